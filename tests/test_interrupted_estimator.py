"""Ctrl-C during an estimator's fit ends it as scikit-learn's MLP does (its
``_fit_stochastic`` catches KeyboardInterrupt, warns "Training interrupted by user." and
returns the estimator fitted so far; NU11 #20m). The oracle: the same estimator fitted for
the completed epochs only (the same seed, the same minibatch order)."""

from __future__ import annotations

import numpy as np
import pytest
from _interrupts import interrupt_at_step

from glassnet import MLPClassifier, MLPRegressor

X = np.random.default_rng(0).normal(size=(60, 3))
Y = {"clf": (X[:, 0] > 0).astype(int), "reg": X[:, 0] - X[:, 1]}
KINDS = {"clf": MLPClassifier, "reg": MLPRegressor}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_ctrl_c_warns_and_keeps_the_completed_epochs(monkeypatch, kind, solver):
    args = {"hidden_layer_sizes": (5,), "solver": solver, "batch_size": 20, "random_state": 0}
    done = KINDS[kind](max_iter=3, **args).fit(X, Y[kind])  # 3 epochs of 3 steps
    interrupt_at_step(monkeypatch, 3 * 3 + 2)  # in the 4th epoch
    est = KINDS[kind](max_iter=50, **args)
    with pytest.warns(UserWarning, match=r"^Training interrupted by user\.$"):
        assert est.fit(X, Y[kind]) is est  # returned, not raised
    assert est.n_iter_ == 3 and est.loss_curve_ == done.loss_curve_
    assert est.stop_reason_ == "interrupted"
    for a, b in zip(est.coefs_ + est.intercepts_, done.coefs_ + done.intercepts_, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(est.predict(X), done.predict(X))


def test_ctrl_c_in_partial_fit_keeps_the_estimator_as_it_was(monkeypatch):
    est = MLPClassifier((5,), batch_size=20, random_state=0).partial_fit(
        X, Y["clf"], classes=[0, 1]
    )
    before = [w.copy() for w in est.coefs_]
    interrupt_at_step(monkeypatch, 2)  # in the call's one epoch: none completed
    with pytest.warns(UserWarning, match="Training interrupted by user"):
        est.partial_fit(X, Y["clf"])
    for a, b in zip(est.coefs_, before, strict=True):
        np.testing.assert_array_equal(a, b)
    assert est.n_iter_ == 0 and len(est.loss_curve_) == 1
