"""A ``batch_size`` larger than the training rows is clipped with scikit-learn's warning,
in the same cases as scikit-learn's MLP (the oracle: its warnings on the same calls)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import neural_network as sk
from sklearn.base import is_classifier

from glassnet import MLPClassifier, MLPRegressor

CLIPPED = "Got `batch_size` less than 1 or larger than sample size"


def _clip_warnings(est, X, y, method):
    fit_kw = {"classes": [0, 1]} if method == "partial_fit" and is_classifier(est) else {}
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        getattr(est, method)(X, y, **fit_kw)
    return [(w.category, str(w.message)) for w in seen if CLIPPED in str(w.message)]


@pytest.mark.parametrize(
    "kw",
    [
        {"batch_size": 10000},  # larger than the 60 rows
        {"batch_size": 60},  # exactly the rows: no warning
        {"batch_size": 10000, "solver": "lbfgs"},  # lbfgs takes no batches
        {"batch_size": 55, "early_stopping": True},  # larger than the 54 training rows
        {"batch_size": 10000, "solver": "sgd"},
    ],
)
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_clipping_warns_as_scikit_learn_does(kw, method, kind):
    if method == "partial_fit" and (kw.get("solver") == "lbfgs" or "early_stopping" in kw):
        pytest.skip("partial_fit takes neither lbfgs nor early_stopping")
    X = np.random.default_rng(0).normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int) if kind == "classifier" else X[:, 0]
    ours = {"classifier": MLPClassifier, "regressor": MLPRegressor}[kind]
    theirs = {"classifier": sk.MLPClassifier, "regressor": sk.MLPRegressor}[kind]
    args = {"hidden_layer_sizes": (4,), "max_iter": 2, "random_state": 0, **kw}
    expected = _clip_warnings(theirs(**args), X, y, method)
    got = _clip_warnings(ours(**args), X, y, method)
    assert got == expected
    rows = 54 if "early_stopping" in kw else 60
    assert bool(got) == (kw["batch_size"] > rows and kw.get("solver") != "lbfgs")
