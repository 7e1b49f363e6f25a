"""NU10 #7, #8, #11: lbfgs ignores early_stopping and has no partial_fit, and float
hidden_layer_sizes are refused, as in scikit-learn's own MLP (the oracle)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.neural_network import MLPClassifier as SkC
from sklearn.neural_network import MLPRegressor as SkR

import glassnet

X, y = make_classification(n_samples=80, n_features=5, random_state=0)
Xr, yr = make_regression(n_samples=80, n_features=5, random_state=0)
CASES = [(glassnet.MLPClassifier, SkC, X, y), (glassnet.MLPRegressor, SkR, Xr, yr / 100)]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(("Ours", "Theirs", "A", "b"), CASES)
def test_lbfgs_ignores_early_stopping(Ours, Theirs, A, b) -> None:
    kw = {"solver": "lbfgs", "hidden_layer_sizes": (4,), "max_iter": 15, "random_state": 0}
    theirs = Theirs(early_stopping=True, **kw).fit(A, b)
    assert getattr(theirs, "validation_scores_", None) is None  # the oracle's lbfgs
    on = Ours(early_stopping=True, **kw).fit(A, b)
    off = Ours(early_stopping=False, **kw).fit(A, b)
    for w_on, w_off in zip(on.coefs_ + on.intercepts_, off.coefs_ + off.intercepts_, strict=True):
        assert np.array_equal(w_on, w_off)  # all rows trained on, bit for bit
    assert on.loss_curve_ == off.loss_curve_
    assert on.validation_loss_curve_ is None
    assert on.validation_scores_ is None and on.best_validation_score_ is None
    assert on.best_loss_ == min(on.loss_curve_)
    assert on.history_.best_epoch == off.history_.best_epoch


@pytest.mark.parametrize("Ours", [glassnet.MLPClassifier, glassnet.MLPRegressor])
def test_partial_fit_unavailable_with_lbfgs(Ours) -> None:
    # The oracle is scikit-learn's MLPClassifier. Its MLPRegressor (1.9.1) guards
    # partial_fit with ``available_if(lambda est: est._check_solver)`` (not called, so
    # always true) and runs a whole L-BFGS fit; glassnet refuses for both, as documented.
    theirs, ours = SkC(solver="lbfgs"), Ours(solver="lbfgs")
    assert hasattr(theirs, "partial_fit") is hasattr(ours, "partial_fit") is False
    assert hasattr(Ours(solver="adam"), "partial_fit")
    with pytest.raises(AttributeError) as oracle:
        theirs.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(AttributeError) as got:
        ours.partial_fit(X, y)
    assert str(got.value) == str(oracle.value).replace("MLPClassifier", Ours.__name__)
    assert str(got.value.__cause__) == str(oracle.value.__cause__)
    assert "lbfgs is not stochastic" in str(got.value.__cause__)


@pytest.mark.parametrize(("Ours", "Theirs", "A", "b"), CASES)
@pytest.mark.parametrize("sizes", [(2.5,), (3, 2.0), 2.5, [3.0], True, (True,)])
def test_float_hidden_layer_sizes_refused(Ours, Theirs, A, b, sizes) -> None:
    with pytest.raises((TypeError, ValueError)) as oracle:
        Theirs(hidden_layer_sizes=sizes, max_iter=2).fit(A, b)
    with pytest.raises(type(oracle.value), match="hidden_layer_sizes"):
        Ours(hidden_layer_sizes=sizes, max_iter=2).fit(A, b)
