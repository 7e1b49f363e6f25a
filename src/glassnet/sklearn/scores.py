"""A regressor's ``score``: scikit-learn's R^2 at any scale of the targets.

``R^2 = 1 - sum w (t - y)^2 / sum w (t - mean_w t)^2`` per target column, averaged over the
columns (scikit-learn's ``multioutput="uniform_average"``, what ``RegressorMixin.score``
returns). Squaring targets of 1e300 overflows to inf (an R^2 of nan), and squaring
those of 1e-300 underflows to 0 (an R^2 of 1 whatever the fit); R^2 has no unit, so
each column of targets and predictions is first divided by one power of two
(:func:`glassnet.data.preprocessing.unit`: exact, every value then in ``[-2, 2]``) and
scikit-learn's :func:`~sklearn.metrics.r2_score` scores what is left. ``glassnet
evaluate`` and the report take the sums in the same units
(:class:`glassnet.views.metrics.RegressionScores`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.data.preprocessing import unit


def r2(y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
    """``r2_score(y_true, y_pred, sample_weight=sample_weight)`` for ``y_true`` and
    ``y_pred`` of shape ``(n,)`` or ``(n, k)``, each column divided by a common power of
    two first, so targets of any float64 scale score without overflow or underflow.

    Inputs that are not numeric arrays of one shape go to scikit-learn as given, which
    raises its own ``ValueError`` (as it does for NaN or inf, or for ``sample_weight`` of
    another length); fewer than 2 samples give nan with scikit-learn's warning.
    """
    from sklearn.metrics import r2_score  # at first use: a heavy import

    T, Y = np.asarray(y_true), np.asarray(y_pred)
    if _scalable(T, Y):
        n = len(T)
        u = unit(np.vstack([T.reshape(n, -1), Y.reshape(n, -1)]).astype(np.float64))  # (k,)
        T, Y = T / u, Y / u  # exact: a power of two per column
    return float(r2_score(T, Y, sample_weight=sample_weight))


def _scalable(T: np.ndarray, Y: np.ndarray) -> bool:
    """Whether ``T`` and ``Y`` are integer or float arrays of ``n`` rows and the same
    number of columns (``(n,)`` and ``(n, 1)`` both one column)."""
    if T.dtype.kind not in "iuf" or Y.dtype.kind not in "iuf" or not 1 <= T.ndim <= 2:
        return False
    if Y.ndim not in (1, 2) or len(T) != len(Y):
        return False
    return T.size == Y.size
