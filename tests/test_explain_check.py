"""The numerical check at the end of ``explain``: each verdict shows what it rests on (the
absolute error and the tolerance that passed it), against central differences written out
here, so a 100% relative error is never read as "ok" without its reason (NU9 finding 2)."""

import re

import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.views.explain import explain, layer_names
from glassnet.views.explain_check import numerical_check

RTOL, ATOL = 1e-5, 1e-7


def _central(net, params, X, T, i, key, eps=1e-5):
    """The oracle: central differences of ``net.loss``, one element at a time."""
    work = [{k: np.array(v, dtype=np.float64) for k, v in p.items()} for p in params]
    theta = work[i][key]
    num = np.zeros_like(theta)
    for idx in np.ndindex(theta.shape):
        keep = theta[idx]
        theta[idx] = keep + eps
        up = net.loss(work, X, T)
        theta[idx] = keep - eps
        down = net.loss(work, X, T)
        theta[idx] = keep
        num[idx] = (up - down) / (2 * eps)
    return num


def _lines(text, symbol):
    """The check's text for parameter ``symbol``: its line and the lines wrapped under it."""
    check = text.split("NUMERICAL CHECK")[1].split("\nUPDATE")[0].split("\ngradient check")[0]
    lines = check.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  {symbol}: "))
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("     "):
            break
        block.append(line)
    return " ".join(" ".join(block).split())


def _saturated(rng, head="logistic", outputs=1):
    """A tanh layer held near saturation (pre-activations about ±17, where 1 - H² is about
    1e-14): its gradients are ~1e-16 and the numerical ones 0, so the relative error is 1
    while the absolute error is tiny."""
    net = Network.mlp([5, 4, outputs], "tanh", head, "mean")
    X = rng.normal(size=(12, 5))
    T = np.eye(outputs)[rng.integers(0, outputs, 12)] if outputs > 1 else (
        rng.integers(0, 2, (12, 1)).astype(float)
    )
    params = net.init(rng)
    params[0]["W"] = params[0]["W"] * 0.01
    params[0]["b"] = np.array([[17.0, -17.5, 16.5, -18.0]])
    return net, params, X, T


def _printed(block, name):
    return float(re.search(rf"{name} ([0-9.e+-]+)", block).group(1))


@pytest.mark.parametrize(("head", "outputs"), [("logistic", 1), ("softmax", 3)])
def test_a_pass_on_the_absolute_tolerance_says_so(rng, head, outputs):
    net, params, X, T = _saturated(rng, head, outputs)
    text, passed = explain(net, params, X, T, show=1)
    assert passed
    said = " ".join(text.split())
    rule = "|num - ana| ≤ atol + rtol · max(|num|, |ana|)"
    assert f"{rule} (atol = {ATOL:g}, rtol = {RTOL:g};" in said
    _, grads = net.loss_and_grad(params, X, T)
    judged_on_atol = 0
    for i, nm in enumerate(layer_names(1)):
        for key, sym in (("W", nm.W), ("b", nm.b)):
            num = _central(net, params, X, T, i, key)
            ana = grads[i][key]
            diff = np.abs(num - ana)
            scale = np.maximum(np.abs(num), np.abs(ana))
            rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
            block = _lines(text, sym)
            np.testing.assert_allclose(_printed(block, "max abs error"), diff.max(),
                                       rtol=6e-3, atol=1e-20)  # fmt: skip
            shown_rel = _printed(block, "max relative error,?")
            assert shown_rel == pytest.approx(rel.max(), rel=6e-3)
            if rel.max() > RTOL:  # passed only because of atol: said, with the sizes
                judged_on_atol += 1
                assert "ok on the absolute tolerance" in block, block
                big = rel > RTOL
                size = _printed(block, "at most")
                assert size == pytest.approx(scale[big].max(), rel=6e-3)
                assert f"atol = {ATOL:g}" in text
            else:
                assert "ok, every relative error within rtol" in block, block
    assert judged_on_atol >= 1  # the saturated layer's W_h and b_h


def test_no_ok_follows_a_large_relative_error_without_its_reason(rng):
    net, params, X, T = _saturated(rng)
    text, _ = explain(net, params, X, T)
    for sym in ("W_h", "b_h"):
        block = _lines(text, sym)
        assert "max relative error 1.00e+00: ok" not in block
        assert "max abs error" in block.split("max relative error")[0]
        assert block.split(": ", 1)[1].startswith("ok on the absolute tolerance")


def test_a_mismatch_names_its_element_and_the_bound_it_broke(rng):
    net = Network.mlp([3, 4, 2], "tanh", "softmax", "mean")
    X, T = rng.normal(size=(10, 3)), np.eye(2)[rng.integers(0, 2, 10)]
    params = net.init(rng)
    _, grads = net.loss_and_grad(params, X, T)
    grads[0]["W"][2, 1] += 1e-3
    out = []
    assert not numerical_check(net, params, X, T, grads, layer_names(1), 1e-5, out)
    text = "NUMERICAL CHECK" + "\n".join(out).split("NUMERICAL CHECK")[1]
    block = _lines(text, "W_h")
    num = _central(net, params, X, T, 0, "W")
    d = abs(num[2, 1] - grads[0]["W"][2, 1])
    bound = ATOL + RTOL * max(abs(num[2, 1]), abs(grads[0]["W"][2, 1]))
    assert "MISMATCH at element (2, 1)" in block, block
    assert _printed(block, r"\|num - ana\| =") == pytest.approx(d, rel=6e-3)
    assert _printed(block, "allowed") == pytest.approx(bound, rel=6e-3)
    assert sum("MISMATCH" in line for line in out) == 1


def test_every_element_at_a_kink_is_said_not_judged(rng):
    """A ReLU unit whose every sample sits at its kink: its bias is not judged at all."""
    net = Network.mlp([3, 1, 2], "relu", "softmax", "mean")
    X = np.zeros((6, 3))
    T = np.eye(2)[[0, 1, 0, 1, 1, 0]]
    params = net.init(rng)
    params[0]["b"][:] = 0.0
    text, passed = explain(net, params, X, T)
    assert passed
    block = _lines(text, "b_h")
    assert "its 1 element is at a ReLU kink: none judged" in block, block
