"""The numerical core stays inside the array API standard: it runs on array-api-strict."""

import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov, apply_updates

xps = pytest.importorskip("array_api_strict")
pytest.importorskip("array_api_compat")


def _to(xp, tree):
    return [{k: xp.asarray(v) for k, v in p.items()} for p in tree]


@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu", "identity"])
@pytest.mark.parametrize("output,reduction", [("softmax", "sum"), ("logistic", "mean"),
                                              ("identity", "sum")])  # fmt: skip
def test_loss_and_grad_on_strict_arrays(activation, output, reduction, rng):
    net = Network.mlp([3, 5, 2], activation, output, reduction)
    params = net.init(rng)
    X = rng.normal(size=(7, 3))
    T = np.eye(2)[rng.integers(0, 2, 7)] if output != "identity" else rng.normal(size=(7, 2))
    loss, grads = net.loss_and_grad(params, X, T)
    s_loss, s_grads = net.loss_and_grad(_to(xps, params), xps.asarray(X), xps.asarray(T))
    assert s_loss == pytest.approx(loss, rel=1e-12)
    for g, s in zip(grads, s_grads, strict=True):
        for k in ("W", "b"):
            np.testing.assert_allclose(np.asarray(s[k]), g[k], rtol=1e-12, atol=1e-14)
    predicted = net.predict(_to(xps, params), xps.asarray(X))
    np.testing.assert_array_equal(np.asarray(predicted), net.predict(params, X))


@pytest.mark.parametrize("opt", [SGD(0.1), Momentum(0.1), Nesterov(0.1), Adam(0.1)],
                         ids=lambda o: type(o).__name__)  # fmt: skip
def test_optimizers_on_strict_arrays(opt, rng):
    params = [{"W": rng.normal(size=(2, 3)), "b": rng.normal(size=(1, 3))}]
    grads = [{"W": rng.normal(size=(2, 3)), "b": rng.normal(size=(1, 3))}]
    p, s = params, opt.init(params)
    q, r = _to(xps, params), opt.init(_to(xps, params))
    for _ in range(3):
        u, s = opt.update(grads, s, p)
        p = apply_updates(p, u)
        v, r = opt.update(_to(xps, grads), r, q)
        q = apply_updates(q, v)
    np.testing.assert_allclose(np.asarray(q[0]["W"]), p[0]["W"], rtol=1e-12)
    np.testing.assert_allclose(np.asarray(q[0]["b"]), p[0]["b"], rtol=1e-12)
