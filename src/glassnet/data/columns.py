"""What numeric-only entry points say about columns that are not numbers.

The estimators take numbers only, as scikit-learn's do: :func:`check_numeric_columns`
names the first column of a pandas DataFrame that is not (dates, time deltas, periods,
intervals, text, categories of text, byte strings, complex numbers, other objects) and
says what to do, before scikit-learn's own conversion would fail with NumPy's words.
:func:`numeric_targets` does the same for the targets of a regression.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError

ENCODE = (
    "the estimators take numbers only, as scikit-learn's do: encode it in a Pipeline with "
    "scikit-learn's encoders (OneHotEncoder or OrdinalEncoder in a ColumnTransformer), or "
    "drop it"
)
CLASSES_HINT = "text targets are class names: train a classifier (--task classification)"
DATES = "turn it into numbers first (seconds, or parts such as the year and month), or drop it"


def check_numeric_columns(X: Any, where: str = "X") -> None:
    """Raise :class:`DataError` naming the first column of the DataFrame ``X`` that does
    not hold numbers (anything else passes unchecked). Numbers stored as objects (Python
    ints, floats, Decimals) and categories whose values are numbers pass."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(X, "columns") or not hasattr(dtypes, "items"):
        return
    for name, dtype in dtypes.items():
        what = _not_numbers(X[name], dtype)
        if what is not None:
            advice = DATES if what.startswith(("dates", "time deltas", "periods")) else ENCODE
            raise DataError(f"{where}: column {name!r} holds {what} (dtype {dtype}); {advice}")


def _not_numbers(column: Any, dtype: Any) -> str | None:
    """What the column holds when it is not numbers, in words; None for numbers."""
    kind = getattr(dtype, "kind", "O")
    words = {"M": "dates or times", "m": "time deltas", "c": "complex numbers",
             "S": "byte strings", "U": "text", "V": "structured records"}  # fmt: skip
    if kind in words:
        return words[kind]
    if kind in "fiub":
        return None
    name = str(dtype)
    if name == "category":
        categories = dtype.categories
        inner = _not_numbers(categories.to_series(), categories.dtype)
        return None if inner is None else f"categories of {inner}"
    for prefix, what in (("period", "periods"), ("interval", "intervals"),
                         ("string", "text"), ("datetime", "dates or times")):  # fmt: skip
        if name.startswith(prefix):
            return what
    return _object_cells(np.asarray(column, dtype=object))


def _object_cells(cells: Array) -> str | None:
    """Objects: None when every cell is a number (or missing), else what the first is."""
    for v in cells:
        if v is None or isinstance(v, bool | np.bool_):
            continue
        if isinstance(v, numbers.Real | np.number) and not isinstance(v, np.complexfloating):
            continue
        if isinstance(v, str):
            return "text"
        if isinstance(v, bytes):
            return "byte strings"
        if isinstance(v, numbers.Complex):
            return "complex numbers"
        try:
            float(v)  # a Decimal, or another number type
        except (TypeError, ValueError):
            return f"{type(v).__name__} values"
    return None


def numeric_targets(y: Any, where: str, hint: str) -> Array:
    """``y`` as float64 for a regression, or a :class:`DataError` (see
    :func:`check_numeric_targets`); pandas' missing values become NaN."""
    check_numeric_targets(y, where, hint)
    y = np.asarray(y)
    if y.dtype.kind == "O":
        y = np.array([np.nan if _missing(v) else v for v in y.ravel()]).reshape(y.shape)
    return np.asarray(y, dtype=np.float64)


def check_numeric_targets(y: Any, where: str, hint: str) -> None:
    """Regression targets must be numbers: text, categories or dates in ``y`` raise a
    :class:`DataError` naming the first such value, followed by ``hint``."""
    if y is None:
        return
    a = np.asarray(y)
    if a.dtype.kind in "Mm":
        raise DataError(f"{where} holds dates or times; a regression needs numbers; {hint}")
    if a.dtype.kind not in "OUS":
        return
    for v in a.ravel():
        if _missing(v):
            continue
        try:
            float(v)
        except (TypeError, ValueError):
            what, shown = ("text", repr(str(v))) if isinstance(v, str) else (
                f"{type(v).__name__} values", repr(v))  # fmt: skip
            raise DataError(
                f"{where} holds {what} ({shown}); a regression needs numbers; {hint}"
            ) from None


def check_target_cells(y: Any, where: str = "y") -> None:
    """Raise :class:`DataError` (a ``ValueError``, as scikit-learn's checks expect) naming
    the first row (0-based; and column, for 2-D ``y``) of ``y`` whose target is missing
    (NaN, None, pandas' NA) or infinite. The estimators are strict, as scikit-learn's are:
    rows without a target are the caller's to drop."""
    if y is None or not hasattr(y, "__len__"):
        return
    a = np.asarray(y)
    if a.dtype.kind == "f":
        bad = ~np.isfinite(a)
    elif a.dtype.kind == "O":
        bad = np.array([_missing(v) or _not_finite(v) for v in a.ravel()], dtype=bool)
        bad = bad.reshape(a.shape)
    else:
        return
    if not bad.any():
        return
    at = tuple(int(i) for i in np.argwhere(bad)[0])
    value = a[at]
    if _missing(value):
        what = f"a missing value ({'None' if value is None else 'NA'})"
    else:
        what = "a missing value (NaN)" if value != value else f"a non-finite value ({value})"
    column = f", column {at[1]}" if a.ndim == 2 else ""
    raise DataError(f"{where} has {what} at row {at[0]}{column}; the estimators take complete "
                    "targets, as scikit-learn's do: drop the rows without one")  # fmt: skip


def _not_finite(v: Any) -> bool:
    return isinstance(v, float | np.floating) and not np.isfinite(v)


def _missing(v: Any) -> bool:
    return v is None or type(v).__name__ == "NAType"  # pandas' NA
