"""The estimators continue a run with its divergence bound: a later ``partial_fit`` call
or ``warm_start`` fit is judged against the first fit's first batch loss, not its own
(NU11 #1). The data are those of ``tests/test_resume_bound.py``: rows the model fits
exactly (their loss falls to 1e-15 and below) beside rows it never can, in order
(``shuffle=False``), so every epoch begins with a tiny batch. The oracle: one ``fit``
of as many epochs (with the rows in order, the same steps)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

import glassnet  # noqa: E402

X1 = np.linspace(-1.0, 1.0, 8)
X = np.c_[np.r_[X1, np.zeros(4)], np.r_[np.zeros(8), np.ones(4)]]
Y = np.r_[2.0 * X1, [1.0, -1.0, 1.0, -1.0]]
FAR = np.linspace(1.0, 2.0, 8)
XC = np.r_[FAR, -FAR, [0.0, 0.0]][:, None]
YC = np.array(["pos"] * 8 + ["neg"] * 8 + ["pos", "neg"])

SGD = {"solver": "sgd", "learning_rate_init": 0.1, "momentum": 0.0}
OPTIMIZERS = {
    "sgd": SGD,
    "momentum": {**SGD, "momentum": 0.5, "nesterovs_momentum": False},
    "nesterov": {**SGD, "momentum": 0.5},
}
COMMON = {"hidden_layer_sizes": (2,), "activation": "identity", "alpha": 0.0,
          "batch_size": 4, "shuffle": False, "random_state": 0}  # fmt: skip
EPOCHS = 60


def _one_fit(cls, X, y, **kw):
    """The oracle: ``EPOCHS`` epochs in one fit, never stopped early."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached
        return cls(**kw, max_iter=EPOCHS, tol=0.0, n_iter_no_change=10 * EPOCHS).fit(X, y)


def _assert_same(a, b):
    for ca, cb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        np.testing.assert_array_equal(ca, cb)
    assert a.loss_curve_ == b.loss_curve_


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_partial_fit_calls_keep_the_first_calls_bound(name):
    kw = {**COMMON, **OPTIMIZERS[name]}
    est = glassnet.MLPRegressor(**kw)
    for _ in range(EPOCHS):
        est.partial_fit(X, Y)
    tiny = 0.5 * np.mean((est.predict(X[:4]) - Y[:4]) ** 2)
    assert 0 < tiny * 1e6 < max(est.loss_curve_[-20:])  # a call's own first batch: too low
    _assert_same(est, _one_fit(glassnet.MLPRegressor, X, Y, **kw))


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("parts", [2, 3])
def test_warm_start_fits_keep_the_first_fits_bound(name, parts):
    kw = {**COMMON, **OPTIMIZERS[name]}
    est = glassnet.MLPRegressor(
        **kw, warm_start=True, max_iter=EPOCHS // parts, tol=0.0, n_iter_no_change=10 * EPOCHS
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached
        for _ in range(parts):
            est.fit(X, Y)
    _assert_same(est, _one_fit(glassnet.MLPRegressor, X, Y, **kw))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classifier_partial_fit_keeps_the_first_calls_bound(seed):
    """Rows far from the boundary (loss to 1e-9 and below) beside one row of each class at
    the same point; Adam at rate 1."""
    kw = {**COMMON, "random_state": seed, "learning_rate_init": 1.0}
    est = glassnet.MLPClassifier(**kw)
    for _ in range(EPOCHS):
        est.partial_fit(XC, YC, classes=["neg", "pos"])
    _assert_same(est, _one_fit(glassnet.MLPClassifier, XC, YC, **kw))
