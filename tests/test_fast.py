"""The fast path (``fast.py``) computes what the pure path computes, in its own buffers."""

from dataclasses import replace

import numpy as np
import pytest
from _targets import random_targets

from glassnet.core import fast, step_update
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov

HEADS = ["softmax", "logistic", "identity"]
OPTIMIZERS = [SGD(0.01), Momentum(0.01, 0.9), Nesterov(0.01, 0.9), Adam(0.01)]
EXTRAS = {  # sample weights (integer and fractional) and the L2 scale
    "plain": (None, 0.0),
    "weights": ("fractional", 0.0),
    "l2": (None, 0.3),
    "weights+l2": ("integer", 0.05),
}


def _weights(kind, rng, n):
    if kind == "integer":
        return rng.integers(0, 4, n).astype(float)
    return None if kind is None else rng.uniform(0.0, 2.0, n)


def _pure(net, params, opt, X, T, steps, w, l2, rates):
    state, losses = opt.init(params), []
    for lr in rates[:steps]:
        loss, params, state = fast.pure_step(
            net, params, replace(opt, learning_rate=lr), state, X, T, sample_weight=w, l2_scale=l2
        )
        losses.append(loss)
    return np.array(losses), params


@pytest.mark.parametrize("extra", sorted(EXTRAS))
@pytest.mark.parametrize("opt", OPTIMIZERS, ids=lambda o: type(o).__name__)
@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu", "identity"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("output", HEADS)
def test_compiled_step_equals_pure_step(output, reduction, activation, opt, extra, rng):
    """Every activation x head x reduction x optimizer, with and without weights and L2,
    and a learning rate that changes every step (a schedule)."""
    net = Network.mlp([3, 6, 5, 4], activation, output, reduction)
    params = net.init(rng)
    X, T = rng.normal(size=(16, 3)), random_targets(output, rng, 16, 4)
    w, l2 = _weights(EXTRAS[extra][0], rng, 16), EXTRAS[extra][1]
    base = opt.learning_rate / (16 if reduction == "sum" else 1)
    rates = base * (1.0 + 0.5 * np.sin(np.arange(25)))
    expected_losses, expected = _pure(net, params, opt, X, T, 25, w, l2, rates)
    before = [{k: v.copy() for k, v in p.items()} for p in params]

    ws, got, state, losses = fast.Workspace(net, 16), params, opt.init(params), []
    for lr in rates:
        step = replace(opt, learning_rate=lr)
        loss, got, state = fast.step(net, got, step, state, X, T, ws, sample_weight=w, l2_scale=l2)
        losses.append(loss)

    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12, atol=1e-12)
    for g, e in zip(got, expected, strict=True):
        for k in ("W", "b"):
            np.testing.assert_allclose(g[k], e[k], rtol=1e-12, atol=1e-12)
    for p, b in zip(params, before, strict=True):  # the caller's arrays are never written
        assert all(np.array_equal(p[k], b[k]) for k in p)
    assert list(ws.programs) == [16]  # compiled once: the rate is read at every step
    assert len(ws.rules) == 1  # the rule too (or found not replayable) once, whatever the rate


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=lambda o: type(o).__name__)
def test_train_steps_equals_pure_steps(opt, rng):
    net = Network.mlp([3, 6, 4], "tanh", "softmax", "mean")
    params = net.init(rng)
    X, T = rng.normal(size=(16, 3)), random_targets("softmax", rng, 16, 4)
    rates = np.full(30, opt.learning_rate)
    expected_losses, expected = _pure(net, params, opt, X, T, 30, None, 0.0, rates)
    losses, got, _ = fast.train_steps(net, params, opt, opt.init(params), X, T, 30)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got[0]["W"], expected[0]["W"], rtol=1e-12, atol=1e-12)


def test_float32_stays_float32_and_smaller_batches_fit(rng):
    net = Network.mlp([4, 8, 3], "relu", "softmax", "mean")
    params = net.init(rng, np.float32)
    opt = Momentum(0.1, 0.9)
    state, ws = opt.init(params), fast.Workspace(net, 10, np.float32)
    X = rng.normal(size=(10, 4)).astype(np.float32)
    T = random_targets("softmax", rng, 10, 3, np.float32)
    for n in (10, 7, 10):  # a short last batch uses the leading columns
        loss, params, state = fast.step(net, params, opt, state, X[:n], T[:n], ws)
        assert isinstance(loss, float)
    ws.inputs(10)[...] = X  # a batch written straight into the workspace is not copied
    assert ws.inputs(10) is ws.inputs(10)
    expected = net.loss(params, X, T)  # before the step updates params in place
    assert fast.step(net, params, opt, state, ws.inputs(10), T, ws)[0] == pytest.approx(
        expected, rel=1e-5
    )
    assert all(v.dtype == np.float32 for p in params for v in p.values())
    assert all(v.dtype == np.float32 for p in state.M for v in p.values())
    with pytest.raises(ValueError, match="batch of 11 rows"):
        fast.step(net, params, opt, state, np.zeros((11, 4), np.float32), T[:1].repeat(11, 0), ws)


def test_without_a_workspace_the_step_is_the_pure_path(rng):
    net = Network.mlp([2, 3, 2])
    params = net.init(rng)
    X, T = rng.normal(size=(5, 2)), random_targets("softmax", rng, 5, 2)
    opt = SGD(0.1)
    loss, new, _ = fast.step(net, params, opt, opt.init(params), X, T)
    assert loss == net.loss_and_grad(params, X, T)[0]
    assert new is not params and not np.shares_memory(new[0]["W"], params[0]["W"])


def test_extreme_logits_stay_finite(rng):
    net = Network.mlp([2, 3, 2], "logistic", "softmax")
    params = net.init(rng)
    params[0]["W"] = params[0]["W"] * 1e4
    X, T = rng.normal(size=(6, 2)) * 100, random_targets("softmax", rng, 6, 2)
    losses, _, _ = fast.train_steps(net, params, SGD(1e-3), SGD(1e-3).init(params), X, T, 3)
    assert np.isfinite(losses).all()


def _output(function, args, kwargs):
    """The buffer a recorded call writes into: its ``out`` by keyword or by position
    (``np.add(a, b, out)``, ``np.dot(a, b, out)``, ``np.add.reduce(x, axis, dtype, out,
    keepdims)``), or ``np.copyto``'s destination."""
    if "out" in kwargs:
        return kwargs["out"]
    if function in (np.copyto, getattr(np.copyto, "_implementation", None)):
        return args[0]
    if isinstance(function, np.ufunc):
        assert len(args) == function.nin + 1, function  # inputs, then the output
        return args[-1]
    if function in (np.dot, getattr(np.dot, "_implementation", None)):  # (without dispatch)
        assert len(args) == 3
        return args[2]
    assert function.__name__ == "reduce", function
    return args[3]


def _is_numpy(function):
    """Whether ``function`` is NumPy's (a ufunc, a ufunc's method, or in ``numpy``)."""
    module = getattr(function, "__module__", None) or type(function).__module__
    owner = getattr(function, "__self__", function)  # np.add.reduce: a ufunc's method
    return isinstance(owner, np.ufunc) or module.startswith("numpy")


@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu", "identity"])
@pytest.mark.parametrize("output", HEADS)
def test_the_compiled_step_is_a_flat_list_of_numpy_calls(output, activation, rng):
    """Compiling records the NumPy calls the core's functions make: replaying them runs no
    glassnet Python at all, and every one writes into the workspace's buffers."""
    net = Network.mlp([3, 5, 4, 2], activation, output, "mean")
    params, ws = net.init(rng), fast.Workspace(net, 8)
    X, T = rng.normal(size=(8, 3)), random_targets(output, rng, 8, 2)
    fast.step(net, params, SGD(0.1), SGD(0.1).init(params), X, T, ws)
    program = ws.programs[8]
    buffers = [*ws.Z, *ws.E, *ws.S, ws.row, ws.total, ws.grad, ws.X, ws.T]
    for function, args, kwargs in program.unweighted:
        assert _is_numpy(function), function
        out = _output(function, args, kwargs)
        assert any(np.shares_memory(out, b) for b in buffers), function
    dots = (np.matmul, np.dot, getattr(np.dot, "_implementation", None))  # (without dispatch)
    products = sum(function in dots for function, _, _ in program.unweighted)
    assert products == 3 * 3 + 2  # forward, dW and db of each layer; dX of all but the first


def test_one_network_adds_its_biases_in_place(rng):
    """For one network each layer's product ``A W`` goes straight into ``Z`` and ``b`` is
    added there (no scratch between them); a population keeps the scratch."""
    net = Network.mlp([3, 5, 4, 2], "relu", "softmax", "mean")
    params, ws = net.init(rng), fast.Workspace(net, 8)
    X, T = rng.normal(size=(8, 3)), random_targets("softmax", rng, 8, 2)
    fast.step(net, params, SGD(0.1), SGD(0.1).init(params), X, T, ws)
    biases = [p["b"] for p in ws.params]
    adds = [args for f, args, _ in ws.programs[8].forward
            if f is np.add and any(a is b for a in args for b in biases)]  # fmt: skip
    assert len(adds) == 3
    assert all(args[0] is args[2] and any(args[0] is Z for Z in ws.columns(8)[2])
               for args in adds)  # fmt: skip


def test_a_short_batch_is_compiled_to_numpy_calls_too(rng):
    """A short last batch (fewer rows than the workspace) gets its own flat program, not
    the fallback that calls the functions, and computes what the pure path does."""
    net = Network.mlp([3, 5, 2], "relu", "softmax", "mean")
    params, opt = net.init(rng), Momentum(0.1, 0.9)
    X, T = rng.normal(size=(8, 3)), random_targets("softmax", rng, 8, 2)
    expected_losses, expected = _pure(net, params, opt, X[:5], T[:5], 2, None, 0.0, [0.1, 0.1])
    ws, got, state, losses = fast.Workspace(net, 8), params, opt.init(params), []
    fast.step(net, params, opt, opt.init(params), X, T, ws)  # the full batch first
    for _ in range(2):
        loss, got, state = fast.step(net, got, opt, state, X[:5], T[:5], ws)
        losses.append(loss)
    for n in (8, 5):
        program = ws.programs[n]
        assert all(_is_numpy(f) for f, _, _ in (*program.unweighted, *program.forward))
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12)
    np.testing.assert_allclose(got[0]["W"], expected[0]["W"], rtol=1e-12)


def test_a_function_without_buffers_is_called_as_it_is(rng, monkeypatch):
    """A core function that allocates (no ``out``) cannot be recorded: that part of the step
    calls the bound functions themselves, and still computes what the pure path does."""
    from glassnet.core import activations

    def allocating(self, Z, out=None):  # tanh, written as a user might: allocates
        A = np.tanh(Z)
        if out is not None:
            np.copyto(out, A)
        return A

    monkeypatch.setattr(activations.Tanh, "forward", allocating)
    net = Network.mlp([3, 5, 2], "tanh", "softmax", "mean")
    params, opt = net.init(rng), Momentum(0.1, 0.9)
    X, T = rng.normal(size=(8, 3)), random_targets("softmax", rng, 8, 2)
    expected_losses, expected = _pure(net, params, opt, X, T, 5, None, 0.0, np.full(5, 0.1))
    ws, got, state = fast.Workspace(net, 8), params, opt.init(params)
    losses = []
    for _ in range(5):
        loss, got, state = fast.step(net, got, opt, state, X, T, ws)
        losses.append(loss)
    assert any(not kwargs and not args for _, args, kwargs in ws.programs[8].forward)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12)
    np.testing.assert_allclose(got[0]["W"], expected[0]["W"], rtol=1e-12)


@pytest.mark.parametrize("opt", [SGD(0.1), Momentum(0.1, 0.9), Nesterov(0.1, 0.9), Adam(0.01)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_long_parameter_vector_is_updated_in_chunks_to_the_same_numbers(opt, dtype, monkeypatch):
    """More parameters than ``fast.CHUNK``: the update (with its L2 term) runs chunk by
    chunk, and gives the numbers of one pass over the whole vector (the oracle: ``CHUNK``
    set beyond it); the penalty in the loss is summed chunk by chunk, so it agrees to the
    dtype's rounding."""
    net = Network.mlp([400, 400, 3], "tanh", "softmax", "mean")
    assert net.n_params > 2 * fast.CHUNK  # several chunks and a short last one
    assert net.n_params % fast.CHUNK
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 400)).astype(dtype)
    T = random_targets("softmax", rng, 40, 3, dtype)

    def run():
        params, state = net.init(np.random.default_rng(1), dtype), None
        ws = fast.Workspace(net, 40, dtype)
        state = opt.init(params)
        losses = []
        for _ in range(3):
            loss, params, state = fast.step(net, params, opt, state, X, T, ws, l2_scale=0.01)
            losses.append(loss)
        return losses, ws.theta.copy(), [s.copy() for s in ws.slots]

    chunked = run()
    monkeypatch.setattr(step_update, "CHUNK", 10**9)
    whole = run()
    rtol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(chunked[0], whole[0], rtol=rtol)
    if dtype == np.float64:  # and both are the pure path's step
        expected_losses, expected = _pure(
            net, net.init(np.random.default_rng(1)), opt, X, T, 3, None, 0.01,
            [opt.learning_rate] * 3,
        )  # fmt: skip
        np.testing.assert_allclose(chunked[0], expected_losses, rtol=1e-12)
        flat = np.concatenate([p[k].ravel() for p in expected for k in ("W", "b")])
        np.testing.assert_allclose(chunked[1], flat, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(chunked[1], whole[1])
    for a, b in zip(chunked[2], whole[2], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=lambda o: type(o).__name__)
@pytest.mark.parametrize("output", ["logistic", "identity"])
@pytest.mark.parametrize("n_out", [1, 2])
def test_one_element_operands_are_read_at_replay(output, n_out, opt, rng):
    """One output unit: its ``(1, 1)`` bias enters the compiled calls as a 0-d view of the
    parameter vector (no broadcasting loop), read at every replay: the steps equal the pure
    path's while the bias moves, with sample weights and L2 too."""
    net = Network.mlp([3, 4, n_out], "tanh", output, "mean")
    params = net.init(rng)
    X, T = rng.normal(size=(10, 3)), random_targets(output, rng, 10, n_out)
    w = rng.uniform(0.5, 1.5, 10)
    rates = np.full(12, opt.learning_rate)
    expected_losses, expected = _pure(net, params, opt, X, T, 12, w, 0.1, rates)
    ws, got, state, losses = fast.Workspace(net, 10), params, opt.init(params), []
    for _ in range(12):
        loss, got, state = fast.step(net, got, opt, state, X, T, ws, sample_weight=w, l2_scale=0.1)
        losses.append(loss)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got[1]["b"], expected[1]["b"], rtol=1e-12, atol=1e-12)
    assert got[1]["b"].shape == (1, n_out) and not np.array_equal(got[1]["b"], params[1]["b"])
    calls = [c for part in (ws.programs[10].unweighted, ws.programs[10].forward) for c in part]
    inputs = [a for f, args, _ in calls if isinstance(f, np.ufunc) for a in args[: f.nin]]
    assert not [a for a in inputs if isinstance(a, np.ndarray) and a.size == 1 and a.ndim]
