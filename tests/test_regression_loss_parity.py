"""The regression loss means scikit-learn's: half the mean squared error over every output
element plus ``alpha / (2 sum w) ||W||^2``, for any number of target columns.

Oracles: scikit-learn's own ``MLPRegressor.loss_curve_`` at the same parameters, its public
``mean_squared_error``, and central differences of the loss (the gradient is the loss's).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import mean_squared_error
from sklearn.neural_network import MLPRegressor as SkMLPRegressor

from glassnet import MLPRegressor
from glassnet.core.network import Network


def _data(k: int, n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.column_stack([np.sin(X @ rng.normal(size=3)) * (c + 1) for c in range(k)])
    w = rng.uniform(0.2, 3.0, size=n)
    return X, (y[:, 0] if k == 1 else y), w


def _sklearn_loss_at(coefs, intercepts, X, y, w, alpha):  # type: ignore[no-untyped-def]
    """scikit-learn's loss_curve_ entry at the given parameters: one full-batch SGD step
    (whose loss is measured before the update) from those parameters."""
    sk = SkMLPRegressor(hidden_layer_sizes=(coefs[0].shape[1],), solver="sgd", alpha=alpha,
                        batch_size=len(X), learning_rate_init=1e-3, momentum=0.0,
                        shuffle=False, random_state=0)  # fmt: skip
    sk.partial_fit(X, y, sample_weight=w)  # sets up the layers
    sk.coefs_ = [c.copy() for c in coefs]
    sk.intercepts_ = [b.copy() for b in intercepts]
    sk.partial_fit(X, y, sample_weight=w)
    return sk.loss_curve_[-1]


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("alpha", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
def test_loss_curve_equals_scikit_learns_at_the_same_parameters(k, alpha, weighted):
    X, y, w = _data(k)
    w = w if weighted else None
    est = MLPRegressor(hidden_layer_sizes=(5,), solver="sgd", alpha=alpha, batch_size=len(X),
                       learning_rate_init=1e-3, momentum=0.0, max_iter=1, shuffle=False,
                       standardize_target=False, random_state=0)  # fmt: skip
    # the parameters before the one step: a fit of no step at all is the initialization
    est.set_params(learning_rate_init=1e-300).fit(X, y, sample_weight=w)
    coefs, intercepts = [c.copy() for c in est.coefs_], [b.copy() for b in est.intercepts_]
    expected = _sklearn_loss_at(coefs, intercepts, X, y, w, alpha)
    assert est.loss_curve_[0] == pytest.approx(expected, rel=1e-12)
    # and by scikit-learn's public metric: half the MSE averaged over the columns
    pred = est.predict(X)
    penalty = alpha / 2 * sum(np.sum(c * c) for c in coefs) / (len(X) if w is None else w.sum())
    by_metric = mean_squared_error(y, pred, sample_weight=w) / 2 + penalty
    assert est.loss_curve_[0] == pytest.approx(by_metric, rel=1e-9)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_loss_is_the_mean_over_every_output_element(k):
    X, y, w = _data(k)
    T = y.reshape(len(y), -1)
    net = Network.mlp([3, 4, k], "tanh", "identity", "mean")
    params = net.init(np.random.default_rng(1))
    Y = net.predict(params, X).reshape(T.shape)
    assert net.loss(params, X, T) == pytest.approx(np.mean((Y - T) ** 2) / 2, rel=1e-12)
    weighted = np.sum(w[:, None] * (Y - T) ** 2) / (2 * k * w.sum())
    assert net.loss(params, X, T, w) == pytest.approx(weighted, rel=1e-12)
    total = Network.mlp([3, 4, k], "tanh", "identity", "sum").loss(params, X, T)
    assert total == pytest.approx(np.sum((Y - T) ** 2) / 2, rel=1e-12)  # the tutorial's


@pytest.mark.parametrize("weighted", [False, True])
def test_gradient_is_the_gradient_of_the_loss(weighted):
    X, y, w = _data(3, n=12)
    w = w if weighted else None
    net = Network.mlp([3, 4, 3], "tanh", "identity", "mean")
    params = net.init(np.random.default_rng(2))
    _, grads = net.loss_and_grad(params, X, y, w)
    h = 1e-6
    for p, g in zip(params, grads, strict=True):
        for name in p:
            A, G = p[name], g[name]
            numeric = np.zeros_like(A)
            for idx in np.ndindex(A.shape):
                old = A[idx]
                A[idx] = old + h
                up = net.loss(params, X, y, w)
                A[idx] = old - h
                down = net.loss(params, X, y, w)
                A[idx] = old
                numeric[idx] = (up - down) / (2 * h)
            np.testing.assert_allclose(G, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_an_sgd_step_is_scikit_learns_with_alpha_times_k_and_rate_over_k(k, weighted):
    """scikit-learn steps along k times its reported loss's data gradient (its issue
    #8349); glassnet along its loss's own, so one full-batch SGD step of glassnet's
    (alpha, rate) equals scikit-learn's step of (alpha * k, rate / k)."""
    X, y, w = _data(k)
    w = w if weighted else None
    alpha, rate = 0.3, 0.05
    est = MLPRegressor(hidden_layer_sizes=(5,), solver="sgd", alpha=alpha, batch_size=len(X),
                       learning_rate_init=1e-300, momentum=0.0, max_iter=1, shuffle=False,
                       standardize_target=False, random_state=0)  # fmt: skip
    est.fit(X, y, sample_weight=w)  # no step: the initialization
    coefs, intercepts = [c.copy() for c in est.coefs_], [b.copy() for b in est.intercepts_]
    est.set_params(learning_rate_init=rate).fit(X, y, sample_weight=w)
    sk = SkMLPRegressor(hidden_layer_sizes=(5,), solver="sgd", alpha=alpha * k,
                        batch_size=len(X), learning_rate_init=rate / k, momentum=0.0,
                        shuffle=False, random_state=0)  # fmt: skip
    sk.partial_fit(X, y, sample_weight=w)
    sk.coefs_, sk.intercepts_ = coefs, intercepts
    sk.partial_fit(X, y, sample_weight=w)
    for ours, theirs in zip(est.coefs_ + est.intercepts_, sk.coefs_ + sk.intercepts_,
                            strict=True):  # fmt: skip
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-13)
