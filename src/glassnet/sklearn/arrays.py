"""scikit-learn's checks of a classifier's training data, at no cost for plain arrays.

scikit-learn's ``validate_data`` and ``check_classification_targets`` cost a few hundred
microseconds a call whatever the data's size: a twentieth of a tiny network's whole
``fit`` (``benchmarks/public_api.py``). For the inputs whose outcome is known from their
type, dtype and shape alone (a float ``ndarray`` ``X (N, D)`` and a 1-D ``ndarray`` of
integer, boolean or finite float labels), the functions here do what those checks do:
the same arrays returned, the same attributes set, the same warning. Anything else goes
to scikit-learn's own, which then gives its own errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.multiclass import check_classification_targets

from glassnet.sklearn.column_order import validate

FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


def fit_data(est: Any, X: Any, y: Any, reset: bool) -> tuple[Any, Any]:
    """``validate_data(est, X, y, reset=reset, dtype=(float64, float32), multi_output=True,
    accept_sparse=["csr", "csc"], ensure_all_finite=False)``: ``(X, y)`` as they are when
    both are plain arrays of a fresh fit (``est.n_features_in_`` set, ``feature_names_in_``
    removed: an array has no column names), else scikit-learn's result."""
    if reset and _plain(X, y):
        if hasattr(est, "feature_names_in_"):
            del est.feature_names_in_
        est.n_features_in_ = X.shape[1]
        return X, y
    return validate(
        est, X, y, scoring=False, reset=reset, dtype=FLOATS, multi_output=True,
        accept_sparse=["csr", "csc"], ensure_all_finite=False,
    )  # fmt: skip


def _plain(X: Any, y: Any) -> bool:
    """Whether scikit-learn's checks would pass ``X`` and ``y`` through unchanged: an
    ``X (N, D)`` ndarray of float64 or float32 with ``N, D >= 1``, and labels ``y (N,)``,
    an ndarray of integers, booleans or finite floats."""
    if type(X) is not np.ndarray or X.ndim != 2 or X.dtype not in FLOATS or 0 in X.shape:
        return False
    if type(y) is not np.ndarray or y.shape != X.shape[:1] or y.dtype.kind not in "iubf":
        return False
    return y.dtype.kind != "f" or bool(np.isfinite(y).all())


def check_class_labels(y: Any) -> None:
    """``check_classification_targets(y)``: nothing to check for a 1-D ndarray of integers
    or booleans (binary or multiclass labels, always allowed), unless scikit-learn would
    warn that its many classes look like a regression target (more than 20 labels, over
    half of them distinct), which its own check then does."""
    if type(y) is np.ndarray and y.ndim == 1 and y.dtype.kind in "iub" and y.size:
        n, classes = len(y), len(np.unique(y))
        if classes <= 2 or n <= 20 or classes <= round(0.5 * n):
            return
    check_classification_targets(y)
