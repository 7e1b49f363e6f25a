"""How a fitted :class:`~glassnet.sklearn.estimator_base.BaseMLP` computes: inputs
checked, made dense, standardized and cast as at training, then the network's output in
blocks of rows.

Importing this module imports scikit-learn; ``import glassnet`` does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from glassnet.core._types import Array
from glassnet.core.validation import DataError, check_finite, check_kind
from glassnet.data.columns import check_numeric_columns
from glassnet.sklearn.column_order import table_note, validate

if TYPE_CHECKING:
    from glassnet.sklearn.estimator_base import BaseMLP


def inputs(est: BaseMLP, X: Any) -> Array:
    """``X`` as the fitted network of ``est`` takes it: numeric columns, validated as
    scikit-learn does (feature count and names; columns in another order refused with a
    hint, see :mod:`~glassnet.sklearn.column_order`), dense, finite, standardized when ``est``
    standardizes, in the parameters' dtype."""
    check_is_fitted(est)
    try:
        check_numbers(X)
    except DataError as exc:
        if est._table_encoding is None:
            raise
        raise DataError(f"{exc}{table_note(est)}") from None
    X = dense(
        validate(
            est, X, scoring=True, reset=False, dtype=(np.float64, np.float32),
            accept_sparse=["csr", "csc"], ensure_all_finite=False,
        )
    )  # fmt: skip
    check_finite(X, "X", feature_names(est))  # NaN or infinity named by row and column
    dtype = est.coefs_[0].dtype
    return (
        est.scaler_.transform(X, dtype) if est.scaler_ is not None else X.astype(dtype, copy=False)
    )


def output_values(est: BaseMLP, X: Any) -> Array:
    """The network output ``Y (N, C)``: probabilities or regression values, computed in
    row blocks so the hidden layers never hold more than about 0.5M numbers each."""
    from glassnet.files.modelfile import BLOCK_ELEMENTS

    Xs = est._inputs(X)  # checks that the estimator is fitted
    step = max(1, BLOCK_ELEMENTS // max(est.network_.sizes))
    parts = [
        est.network_.predict_proba(est.params_, Xs[i : i + step])
        for i in range(0, Xs.shape[0], step)
    ]
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def check_numbers(X: Any, where: str = "X") -> None:
    """Raise :class:`~glassnet.core.validation.DataError` unless ``X`` holds numbers: the
    DataFrame column that does not (by name), or an array of dates, time deltas or byte
    strings, which scikit-learn's cast to float would take as numbers (the error the CLI
    and :meth:`glassnet.Model.predict` give; complex numbers get scikit-learn's own)."""
    check_numeric_columns(X, where)
    if not hasattr(X, "columns"):
        _check_kind(X, where, "real numbers")


def check_label_kind(y: Any) -> None:
    """Raise :class:`~glassnet.core.validation.DataError` for targets ``y`` of dates, time
    deltas or byte strings (the error the CLI gives)."""
    _check_kind(y, "y", "numbers or class labels")


def _check_kind(A: Any, where: str, need: str) -> None:
    if not hasattr(A, "dtype"):  # a list or a DataFrame: its NumPy dtype
        try:
            A = np.asarray(A)
        except (TypeError, ValueError):
            return  # ragged: scikit-learn's validation says so
    if A.dtype.kind != "c":  # complex numbers: scikit-learn's own error, as its checks want
        check_kind(A, where, need)


def dense(X: Any) -> Array:
    """``X`` as a NumPy array: a SciPy sparse matrix (CSR or CSC, as scikit-learn's MLP takes)
    is made dense, since the network's products need every entry; others pass through."""
    return X.toarray() if hasattr(X, "toarray") else X


def checked_dense(X: Any, names: list[str] | None = None) -> Array:
    """:func:`dense`, then NaN or infinity named by row and column (by its name when
    ``names``, one per column, are given)."""
    X = dense(X)
    check_finite(X, "X", names)
    return X


def feature_names(est: Any) -> list[str] | None:
    """The names of the columns ``est`` takes, as text (``feature_names_in_``, which
    scikit-learn's ``validate_data`` sets when fitted on a DataFrame with text column names
    and checks a later DataFrame against), or None when they are not known (fitted on an
    array): what a NaN's or an infinity's column is called by."""
    names = getattr(est, "feature_names_in_", None)
    return None if names is None else [str(n) for n in names]
