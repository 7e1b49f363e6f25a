"""Checking inputs at the library's entry points, with one clear message per problem.

Every check raises :class:`DataError` (a ``ValueError``) naming what is wrong and, where
there is one, how to fix it. Arrays that live on disk (a ``numpy.memmap``, an HDF5 or
zarr array) are checked block by block and never read whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from glassnet.core._types import Array

BLOCK = 65536  # rows per block when scanning an array for NaN or infinity


class DataError(ValueError):
    """A problem with the user's data; the message names the file, column or row."""


class NonFinite(DataError):
    """A NaN or an infinity in an array of numbers (raised by :func:`check_finite`)."""


def _is_sparse(X: Any) -> bool:
    return hasattr(X, "toarray") and (hasattr(X, "nnz") or hasattr(X, "format"))


_KINDS = {"M": "dates or times", "m": "time deltas", "S": "byte strings",
          "V": "structured records", "c": "complex numbers"}


def _dtype_error(where: str, kind: str, need: str) -> DataError:
    return DataError(f"{where} holds {_KINDS[kind]}; glassnet needs {need}")


def check_kind(A: Any, where: str = "X", need: str = "real numbers") -> None:
    """Raise :class:`DataError` ("X holds dates or times; glassnet needs real numbers") when
    the dtype of the array ``A`` holds dates, time deltas, byte strings, structured records
    or complex numbers, which a cast to float would turn into numbers silently."""
    kind = getattr(getattr(A, "dtype", None), "kind", None)
    if kind in _KINDS:
        raise _dtype_error(where, kind, need)


def as_features(X: Any, where: str = "X", n_features: int | None = None) -> Any:
    """``X`` as a 2-D numeric array-like (lists become ndarrays; lazy arrays stay lazy).

    Rejected: sparse matrices; dates, time deltas, byte strings, structured records, text
    or complex values; anything not 2-D (a 1-D ``X`` given to a model of ``n_features`` > 1
    is told to use ``reshape(1, -1)`` for one sample); zero samples or features; NaN or
    infinity. A pandas DataFrame must have numeric columns (the error names the first that
    is not).
    """
    if _is_sparse(X):
        raise DataError(
            f"{where} is a sparse matrix, which glassnet does not take; "
            "convert it with X.toarray() (it must fit in memory)"
        )
    names = None
    if hasattr(X, "dtypes") and hasattr(X, "columns"):  # a pandas DataFrame
        names = [str(c) for c in X.columns]
        X = _frame_values(X, where)
    if not (hasattr(X, "shape") and hasattr(X, "dtype")):
        X = np.asarray(X)
    check_kind(X, where)
    if X.dtype.kind not in "fiub":
        try:
            X = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            raise DataError(f"{where} holds non-numeric values (dtype {X.dtype})") from None
    if len(X.shape) != 2:
        raise DataError(
            f"{where} must be 2-D (samples, features), got shape {X.shape}"
            f"{reshape_hint(X.shape, n_features)}"
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise DataError(
            f"{where} has no data (shape {X.shape}): need at least one sample and one feature"
        )
    check_finite(X, where, names)
    return X


def _frame_values(X: Any, where: str) -> Any:
    """A DataFrame's values as float64, once every column is numeric (the first that is not
    is named)."""
    for name, dtype in zip(X.columns, X.dtypes, strict=True):
        if getattr(dtype, "kind", "O") not in "fiub":
            raise DataError(
                f"{where}: column {name!r} is not numeric (dtype {dtype}); encode it "
                "first (glassnet.data.encoding, or scikit-learn's OneHotEncoder)"
            )
    return X.to_numpy(dtype=np.float64)


def reshape_hint(shape: tuple[int, ...], n_features: int | None) -> str:
    """The hint for a 1-D ``X`` of ``shape`` given where ``n_features`` columns are taken
    ("" for any other shape): ``reshape(1, -1)`` when it is one sample of that many features,
    ``reshape(-1, 1)`` when the network takes a single feature (as scikit-learn's message)."""
    if len(shape) != 1:
        return ""
    if n_features is None:
        return "; use X.reshape(1, -1) for one sample or X.reshape(-1, 1) for one feature"
    if n_features == 1:
        return "; use X.reshape(-1, 1) for a single feature"
    if shape[0] == n_features:
        return f"; use X.reshape(1, -1) for a single sample of {n_features} features"
    return (
        f"; a single sample is X.reshape(1, -1) of {n_features} values (one per feature), "
        f"this has {shape[0]}"
    )


_FINITE: ContextVar[tuple[Any, ...]] = ContextVar("glassnet_known_finite", default=())


@contextmanager
def known_finite(*arrays: Any) -> Iterator[None]:
    """While active, :func:`check_finite` takes ``arrays`` (these very objects, already
    checked by the caller, which does not change them meanwhile) as finite without scanning
    them again: an estimator checks its ``X`` once, and the loop it calls then need not."""
    token = _FINITE.set((*_FINITE.get(), *arrays))
    try:
        yield
    finally:
        _FINITE.reset(token)


def finite_sum(A: Array) -> bool:
    """Whether the sum of a float array's values is finite, which proves every value finite
    (a NaN or an infinity never leaves a sum): one read of ``A``, no boolean array. False
    also when finite values overflow the sum; then look at each value (``np.isfinite``)."""
    with np.errstate(all="ignore"):
        return bool(np.isfinite(np.add.reduce(A, axis=None)))


def check_finite(A: Any, where: str, names: list[str] | None = None) -> None:
    """No NaN or infinity in a real array (scanned in blocks of rows); raises
    :class:`NonFinite` naming the row and the column (by its name when ``names`` are given).
    An array inside :func:`known_finite` is not scanned again."""
    if A.dtype.kind != "f" or any(A is known for known in _FINITE.get()):
        return
    for start in range(0, A.shape[0], BLOCK):
        block = np.asarray(A[start : start + BLOCK])
        if finite_sum(block):
            continue
        bad = ~np.isfinite(block)
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            column = "".join(f", column {i}" for i in index[1:])
            if names is not None and len(index) == 2:
                column = f", column {names[index[1]]!r}"
            place = f"row {start + index[0]}{column}"
            value = float(block[index])
            text = "NaN" if value != value else ("inf" if value > 0 else "-inf")
            raise NonFinite(f"{where} has a non-finite value {text} at {place}")


def as_targets(y: Any, n_samples: int, where: str = "y") -> Array:
    """Targets as an ndarray with one entry (or row) per sample, real and finite if numeric."""
    if _is_sparse(y):
        raise DataError(f"{where} is a sparse matrix; convert it with y.toarray()")
    y = np.asarray(y)
    if y.ndim == 0 or y.ndim > 2:
        raise DataError(f"{where} must be 1-D (or 2-D for several outputs), got shape {y.shape}")
    if len(y) != n_samples:
        raise DataError(f"X has {n_samples} samples but {where} has {len(y)}")
    check_kind(y, where, "numbers or class labels")
    if y.dtype.kind == "O":
        kinds = [isinstance(v, str | int | float | np.number) for v in y.ravel()]
        if not all(kinds):
            odd = y.ravel()[kinds.index(False)]
            raise DataError(
                f"{where} holds {type(odd).__name__} values ({odd!r}); glassnet needs numbers "
                "or class labels"
            )
    if y.dtype.kind in "fiub":
        check_finite(y, where)
    return y


def check_class_labels(y: Array, where: str = "y") -> None:
    """Classification targets: 1-D, discrete (not continuous floats), at least 2 classes."""
    if y.ndim != 1:
        raise DataError(f"class labels {where} must be 1-D, got shape {y.shape}")
    if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
        raise DataError(
            f"{where} holds continuous values, not class labels; "
            "use a regressor (--task regression) for continuous targets"
        )
    classes = np.unique(y)
    if len(classes) < 2:
        raise DataError(
            f"classification needs at least 2 classes, found only {classes[0].item()!r}"
        )


def check_codes(codes: Any, n_classes: int, where: str = "y") -> None:
    """Integer class codes ``(N,)`` in ``[0, n_classes)`` (what a softmax head is trained on;
    whole floats such as ``1.0`` count as their integer). A 2-D ``codes`` is refused with the
    fix: a one-hot matrix ``(N, n_classes)`` is told to pass the labels, not ``one_hot(t)``."""
    codes = np.asarray(codes)
    if codes.ndim != 1:
        raise DataError(
            f"{where} must be 1-D class codes (N,), got shape {codes.shape}"
            f"{_codes_hint(codes.shape, n_classes, where)}"
        )
    if codes.size == 0:
        return
    if codes.dtype.kind not in "iub":
        whole = np.mod(codes, 1) == 0
        if not np.all(whole):
            i = int(np.argmin(whole))
            raise DataError(
                f"{where} must hold integer class codes for a softmax output, got "
                f"{codes[i].item()!r} at row {i}"
            )
    if codes.min() < 0 or codes.max() >= n_classes:
        raise DataError(
            f"{where} holds class codes outside [0, {n_classes}): {codes.min()}..{codes.max()}"
        )


def _codes_hint(shape: tuple[int, ...], n_classes: int, where: str) -> str:
    """How to turn targets of ``shape`` into class codes."""
    if len(shape) == 2 and shape[1] == n_classes:
        one_hot = f"from a one-hot {where}: {where}.argmax(axis=1)"
        return f": pass the labels t, not one_hot(t) ({one_hot})"
    if len(shape) == 2 and shape[1] == 1:
        return f": use {where}.ravel()"
    return ": one class code per sample"


def check_is_array(A: Any, where: str = "X") -> None:
    """An array (NumPy's, the array API's, a DataFrame), not a list or another sequence: the
    message of :meth:`glassnet.core.network.Network.predict` ("X must be an array, got list;
    use np.asarray(X, dtype=float) first")."""
    if not hasattr(A, "shape"):
        cast = "dtype=float" if where.startswith("X") else ""
        raise DataError(
            f"{where} must be an array, got {type(A).__name__}; use "
            f"np.asarray({where}{', ' + cast if cast else ''}) first"
        )
