"""The optimizer's rule recorded into the compiled step (``core/compiled_rule.py``): the same
numbers as the rule called every step, the rate read at replay, and rules that cannot be
replayed (a number baked into a call) found by the check and left uncompiled."""

from dataclasses import dataclass, replace

import numpy as np
import pytest
from _targets import random_targets

from glassnet.core import compiled_rule, fast, step_update
from glassnet.core._backend import into, namespace
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov


@dataclass(frozen=True)
class BakedRate(Momentum):
    """The tutorial's momentum with the rate used through Python arithmetic: recording
    bakes its value into the calls."""

    def rule(self, g, slots, t=1, out=None, scratch=None):
        rate_g = namespace(g).multiply(g, self.learning_rate * 1.0, **into(scratch))
        M = self.velocity(slots[0], rate_g, out is not None)
        return M, (M,)


@dataclass(frozen=True)
class AroundTheTape(Momentum):
    """Momentum with one call made by NumPy directly, which the recording never sees."""

    def rule(self, g, slots, t=1, out=None, scratch=None):
        rate_g = np.multiply(g, self.learning_rate, **into(scratch))
        M = self.velocity(slots[0], rate_g, out is not None)
        return M, (M,)


def _problem(rng, dtype=np.float64):
    net = Network.mlp([3, 5, 2], "tanh", "softmax", "mean")
    X = rng.normal(size=(12, 3)).astype(dtype)
    return net, net.init(rng, dtype), X, random_targets("softmax", rng, 12, 2, dtype)


@pytest.mark.parametrize(
    ("opt", "compiled"),
    [(Momentum(0.1, 0.9), True), (Nesterov(0.1, 0.9), True), (Momentum(0.1, 0.0), True),
     (SGD(0.1), True), (Adam(0.01), False), (BakedRate(0.1, 0.9), False),
     (AroundTheTape(0.1, 0.9), False)],
    ids=lambda v: type(v).__name__ if not isinstance(v, bool) else str(v),
)  # fmt: skip
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_rule_is_compiled_only_where_replaying_it_is_the_rule(opt, compiled, dtype, rng):
    """Adam bakes its step number, ``BakedRate`` the rate, ``AroundTheTape`` loses
    a call: the check finds each. Either way the steps are the pure path's, to 1e-12 (1e-6
    in float32), with a rate that changes every step, and the workspace is left as it was."""
    net, params, X, T = _problem(rng, dtype)
    ws = fast.Workspace(net, 12, dtype)
    ws.theta[...] = rng.normal(size=ws.theta.shape)
    before = ws.theta.copy()
    tape = compiled_rule.compile_rule(ws, opt, fast.CHUNK)
    assert (tape is not None) is compiled
    np.testing.assert_array_equal(ws.theta, before)  # compiling wrote nothing in the end

    rates = opt.learning_rate * (1.0 + 0.5 * np.sin(np.arange(20)))
    got, state = params, opt.init(params)
    expected, pure_state = params, opt.init(params)
    for lr in rates:
        step = replace(opt, learning_rate=float(lr))
        loss, got, state = fast.step(net, got, step, state, X, T, ws)
        pure_loss, expected, pure_state = fast.pure_step(net, expected, step, pure_state, X, T)
        assert loss == pytest.approx(pure_loss, rel=1e-12 if dtype == np.float64 else 1e-6)
    tol = 1e-12 if dtype == np.float64 else 1e-6
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g["W"], e["W"], rtol=tol, atol=tol)
        np.testing.assert_allclose(g["b"], e["b"], rtol=tol, atol=tol)
    assert len(ws.rules) == 1  # one per optimizer, whatever its rate: a schedule never recompiles


@pytest.mark.parametrize("opt", [Momentum(0.05, 0.9), Nesterov(0.05, 0.8)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_the_replayed_rule_gives_the_rule_s_own_bits(opt, dtype, l2, rng, monkeypatch):
    """The compiled rule against the same rule called every step (the tape switched
    off): equal to the last bit, in float32 too (the rate buffer has the vectors' dtype, as
    NumPy casts a Python number), with and without L2."""

    def run(compile_rules: bool):
        if not compile_rules:
            monkeypatch.setattr(step_update, "rule_tape", lambda ws, opt, size: None)
        net, params, X, T = _problem(np.random.default_rng(3), dtype)
        ws, state = fast.Workspace(net, 12, dtype), opt.init(params)
        losses = []
        for k in range(15):
            step = replace(opt, learning_rate=opt.learning_rate / (1 + k))
            loss, params, state = fast.step(net, params, step, state, X, T, ws, l2_scale=l2)
            losses.append(loss)
        assert bool(ws.rules) is compile_rules
        return losses, ws.theta.copy(), ws.slots[0].copy()

    compiled, called = run(True), run(False)
    assert compiled[0] == called[0]
    np.testing.assert_array_equal(compiled[1], called[1])
    np.testing.assert_array_equal(compiled[2], called[2])


def test_one_workspace_takes_several_optimizers_in_turn(rng):
    """Optimizers alternating on one workspace: each replay reads its own rate (the buffer
    is rewritten whenever the optimizer changes); the numbers are the pure path's."""
    net, params, X, T = _problem(rng)
    ws = fast.Workspace(net, 12)
    turns = [Momentum(0.1, 0.9), Nesterov(0.2, 0.9), Momentum(0.05, 0.9), Momentum(0.1, 0.5)]
    got, state = params, Momentum().init(params)
    expected, pure_state = params, Momentum().init(params)
    for k in range(12):
        opt = turns[k % len(turns)]
        loss, got, state = fast.step(net, got, opt, state, X, T, ws)
        pure_loss, expected, pure_state = fast.pure_step(net, expected, opt, pure_state, X, T)
        assert loss == pytest.approx(pure_loss, rel=1e-12)
    np.testing.assert_allclose(got[1]["W"], expected[1]["W"], rtol=1e-12, atol=1e-15)
    assert len(ws.rules) == 3  # Momentum(0.9), Nesterov(0.9), Momentum(0.5)


@pytest.mark.parametrize(
    ("dtype", "rate", "compiled"),
    [(np.float64, 0.1, True), (np.float64, np.float64(0.1), True),
     (np.float64, np.float32(0.1), True), (np.float32, 0.1, True),
     (np.float32, np.float32(0.1), True), (np.float32, np.float64(0.1), False)],
)  # fmt: skip
def test_the_rate_is_compiled_where_numpy_computes_in_the_vectors_dtype(dtype, rate, compiled, rng):
    """A rate of a wider type than the vectors (``np.float64`` with float32) makes NumPy
    compute the rule in float64: the rule is called as it is. The numbers stay the pure
    path's either way (to float32's rounding: that path's velocity is float64 then)."""
    net, params, X, T = _problem(rng, dtype)
    ws, opt = fast.Workspace(net, 12, dtype), Momentum(rate, 0.9)
    got, state = params, opt.init(params)
    expected, pure_state = params, opt.init(params)
    for _ in range(5):
        _, got, state = fast.step(net, got, opt, state, X, T, ws)
        _, expected, pure_state = fast.pure_step(net, expected, opt, pure_state, X, T)
    assert (compiled_rule.rule_tape(ws, opt, fast.CHUNK) is not None) is compiled
    tol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(got[0]["W"], expected[0]["W"], rtol=tol, atol=tol)


@pytest.mark.parametrize("opt", [Momentum(0.1, 0.9), Nesterov(0.1, 0.9), SGD(0.1), Adam(0.01)],
                         ids=lambda o: type(o).__name__)  # fmt: skip
@pytest.mark.parametrize(("weighted", "l2"), [(False, 0.0), (True, 0.0), (False, 0.05)])
def test_a_batch_in_the_buffers_is_stepped_by_two_replays(opt, weighted, l2, rng, monkeypatch):
    """A full batch written into the workspace (as the loop loads one): with a compiled rule
    and nothing else to do (no weights, no L2) the step is the pass's replay and the rule's,
    nothing more; the numbers are the pure path's, a rate changing every step, either way."""
    net, params, X, T = _problem(rng)
    w = rng.uniform(0.5, 1.5, 12) if weighted else None
    ws = fast.Workspace(net, 12)
    X_in, T_in = ws.columns(12)[:2]
    X_in[...], T_in[...] = X, T
    general = []
    backprop = fast._backprop
    monkeypatch.setattr(fast, "_backprop", lambda *a, **k: general.append(1) or backprop(*a, **k))
    got, state = params, opt.init(params)
    expected, pure_state = params, opt.init(params)
    for k in range(10):
        step = replace(opt, learning_rate=opt.learning_rate / (1 + k))
        loss, got, state = fast.step(net, got, step, state, X_in, T_in, ws, sample_weight=w,
                                     l2_scale=l2)  # fmt: skip
        pure_loss, expected, pure_state = fast.pure_step(
            net, expected, step, pure_state, X, T, sample_weight=w, l2_scale=l2
        )
        assert loss == pytest.approx(pure_loss, rel=1e-12)
    np.testing.assert_allclose(got[0]["W"], expected[0]["W"], rtol=1e-12, atol=1e-15)
    replays_only = isinstance(opt, Momentum | Nesterov | SGD) and not weighted and not l2
    assert len(general) == (1 if replays_only else 10)  # (the first step compiles)


def test_a_fused_step_s_compile_calls_its_rule_without_recording_it(rng):
    """A network wide enough for the fused update (``step_update.fusion``) records no rule:
    the step that compiles the pass calls the rule once, the later steps fuse it. The
    numbers are the pure path's either way."""
    net = Network.mlp([300, 256, 3], "relu", "softmax", "mean")
    params, opt = net.init(rng), Momentum(0.05, 0.9)
    X = rng.normal(size=(16, 300))
    T = random_targets("softmax", rng, 16, 3, np.float64)
    ws = fast.Workspace(net, 16)
    p, s, q, r = params, opt.init(params), params, opt.init(params)
    for _ in range(3):
        loss, p, s = fast.step(net, p, opt, s, X, T, ws)
        expected, q, r = fast.pure_step(net, q, opt, r, X, T)
        assert loss == pytest.approx(expected, rel=1e-12)
    assert ws.programs[16].products and not ws.rules
    for a, b in zip(p, q, strict=True):
        np.testing.assert_allclose(a["W"], b["W"], rtol=1e-12, atol=1e-14)
