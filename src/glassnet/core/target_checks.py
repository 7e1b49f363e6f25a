"""What an output head's derivation needs of its targets, checked at the public entries.

The fused heads of :mod:`glassnet.core.losses` give the output error ``Eo = Y - T``; that
is the gradient of the loss they return only for targets of the kind their derivation
assumes:

* softmax with cross-entropy: each row of ``T`` a probability distribution, non-negative
  and summing to 1 (one-hot rows, or label-smoothed ones). For a row summing to ``s`` the
  gradient of ``-sum_c t_c log y_c`` is ``s Y - T``, not ``Y - T``; a negative target makes
  the loss unbounded below.
* logistic with binary cross-entropy: each target in ``[0, 1]`` (outside it the loss has
  no lower bound).

:meth:`glassnet.core.network.Network.check_inputs` refuses other targets with a
:class:`~glassnet.core.validation.DataError` naming the row (and the column of a value out
of range), as the checks of :mod:`glassnet.core.batch_checks` name a NaN; the training loop
makes the same check once per fit (class codes for softmax, :func:`check_unit_interval`
for logistic, one column per output unit: :func:`check_output_columns`), never per step.
A row sum is compared with 1 in float64 within :func:`sum_tolerance`, which admits the
rounding of float32 targets.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core._backend import namespace
from glassnet.core.validation import DataError


def sum_tolerance(eps: float, n_columns: int) -> float:
    """How far a row of ``n_columns`` targets may sum from 1: ``1e-6`` plus one rounding
    ``eps`` of their dtype (0 for integers) per column. Label-smoothed float32 rows pass;
    a row off by a thousandth does not."""
    return 1e-6 + n_columns * eps


def check_distributions(T: Any, where: str = "T") -> None:
    """Rows of ``T (N, C)`` that are probability distributions: no negative value (the
    first is named by row and column), each row summing to 1 within :func:`sum_tolerance`
    (the first row that does not is named with its sum). ``T`` is finite and 2-D (checked
    before), of NumPy or of the array API (scanned in its own namespace)."""
    xp = namespace(T)
    T = xp.astype(T, xp.float64) if xp.isdtype(T.dtype, "bool") else T
    if _any(xp, T < 0):
        _raise_at(np.asarray(T), np.asarray(T) < 0, where, "negative", "a softmax output")
    sums = _row_sums(xp, T)  # (N,), in float64
    off = xp.abs(sums - 1.0) > sum_tolerance(_eps(xp, T), T.shape[-1])
    if _any(xp, off):
        row = int(np.argmax(np.asarray(off)))
        raise DataError(
            f"{where}'s row {row} sums to {_number(np.asarray(sums)[row])}, not 1: a softmax "
            f"output's cross-entropy needs each row of {where} to be a probability "
            "distribution (non-negative, summing to 1: one-hot or label-smoothed), for which "
            "Eo = Y - T is the gradient of the loss"
        )


def check_unit_interval(T: Any, where: str = "T") -> None:
    """Targets of a logistic output: every value of ``T (N, C)`` in ``[0, 1]`` (the first
    outside is named by row and column); of NumPy or of the array API."""
    xp = namespace(T)
    if xp.isdtype(T.dtype, "bool"):
        return
    for bad, what in ((T < 0, "negative"), (T > 1, "above 1")):
        if _any(xp, bad):
            _raise_at(np.asarray(T), np.asarray(bad), where, what, "a logistic output")


def check_output_columns(y: Any, n_outputs: int, where: str = "y") -> None:
    """Targets of a logistic or identity output, one column per output unit: ``(N,)`` or
    ``(N, 1)`` for one unit, ``(N, n_outputs)`` for several (a 1-D ``y`` is never spread
    over several units)."""
    shape = tuple(y.shape)
    columns = 1 if len(shape) == 1 else shape[1]
    if columns != n_outputs:
        has = f"{columns} column" + ("s" if columns != 1 else "")
        n = shape[0]
        want = f"({n},) or ({n}, 1)" if n_outputs == 1 else f"({n}, {n_outputs})"
        raise DataError(
            f"{where} has {has} (shape {shape}), the network has {n_outputs} output "
            f"unit{'s' if n_outputs != 1 else ''}: give {where} of shape {want}, one column per "
            "output"
        )


def _row_sums(xp: Any, T: Any) -> Any:
    if isinstance(T, np.ndarray):
        return np.add.reduce(T, axis=-1, dtype=np.float64)
    return xp.sum(T, axis=-1, dtype=xp.float64)


def _any(xp: Any, bad: Any) -> bool:
    return bool(xp.any(bad))


def _eps(xp: Any, T: Any) -> float:
    """The rounding of ``T``'s dtype (0 for integers)."""
    return float(xp.finfo(T.dtype).eps) if xp.isdtype(T.dtype, "real floating") else 0.0


def _raise_at(A: np.ndarray, bad: np.ndarray, where: str, what: str, head: str) -> None:
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    place = f"row {index[0]}" + "".join(f", column {i}" for i in index[1:])
    need = (
        "targets in [0, 1] (its binary cross-entropy has no lower bound outside them)"
        if "logistic" in head
        else "rows that are probability distributions (non-negative, summing to 1)"
    )
    raise DataError(
        f"{where} has a value {_number(A[index])} ({what}) at {place}; {head} needs {need}"
    )


def _number(value: Any) -> str:
    return f"{float(value):.6g}"
