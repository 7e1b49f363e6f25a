"""Number cells of a table column: parsed as float64, checked finite, missing ones filled.

The numeric half of :class:`glassnet.data.encoding.Encoding`: a column's cells become
``(N,)`` float64 (text that reads as numbers included); a cell that is not a number or
is infinite raises :class:`DataError` naming the file's line and the value as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError
from glassnet.data.frames import Frame, fail, written

if TYPE_CHECKING:
    from glassnet.data.encoding import Column

ROWS = 8192  # rows per block of transform


def numeric_features(frame: Frame, col: Column, values: Array, missing: Array) -> Array:
    """The column as floats ``(N, 1)``, or ``(N, 2)`` with its was-missing indicator;
    missing cells get ``col.fill`` (an error when it has none: the strict reading)."""
    x = as_floats(frame, col.name, values, missing)
    if missing.any():
        if col.fill is None:
            raise fail(frame, col.name, int(np.argmax(missing)), "has a missing value")
        x = np.where(missing, col.fill, x)
    return np.column_stack([x, missing]) if col.indicator else x[:, None]


def unfilled(frame: Frame, name: str, i: int) -> DataError:
    """The error for a missing cell that is not to be filled in."""
    return DataError(f"{fail(frame, name, i, 'has a missing value')}; impute=True fills "
                     "missing cells as `glassnet predict` does (the training median, or the "
                     "'(missing)' category)")  # fmt: skip


def fill_numbers(
    frame: Frame, cols: tuple[Column, ...], columns: list[tuple[Array, Array]], X: Array,
    impute: bool,
) -> dict[str, int]:
    """Fill ``X (N, D)`` from number columns ``(values, missing)`` (one feature each): blocks
    of rows stacked, missing cells filled (or an error), every cell checked finite. Returns
    the count of cells filled per column."""
    filled = {}
    for col, (_, missing) in zip(cols, columns, strict=True):
        if missing.any():
            if col.fill is None:
                raise fail(frame, col.name, int(np.argmax(missing)), "has a missing value")
            if not impute:
                raise unfilled(frame, col.name, int(np.argmax(missing)))
            filled[col.name] = int(missing.sum())
    for start in range(0, frame.n_rows, ROWS):
        rows = slice(start, start + ROWS)
        block = X[rows]  # (B, D), filled while it is in cache
        np.stack([values[rows] for values, _ in columns], axis=1, out=block)
        for j, col in enumerate(cols):
            if col.name in filled:
                block[columns[j][1][rows], j] = col.fill
        if not np.isfinite(block).all():
            i, j = np.argwhere(~np.isfinite(block))[0]
            problem = f"has a non-finite value ({block[i, j]})"
            raise fail(frame, cols[j].name, start + int(i), problem)
    return filled


def as_floats(frame: Frame, name: str, values: Array, missing: Array) -> Array:
    """``(N,)`` float64, NaN where missing (``values`` itself when it is float64: read
    only); a text cell or an infinity is an error."""
    try:
        x = (
            np.asarray(values, dtype=np.float64)
            if values.dtype.kind in "iufb"
            else (
                np.array(
                    [np.nan if m else float(str(v)) for v, m in zip(values, missing, strict=True)]
                )
            )
        )
    except (TypeError, ValueError):
        i = next(
            i
            for i, (v, m) in enumerate(zip(values, missing, strict=True))
            if not m and not _is_float(v)
        )
        raise fail(frame, name, i, f"is not numeric ({_show(values[i])})") from None
    finite = np.isfinite(x)
    if not finite.all():
        bad = ~(finite | missing)  # NaN is expected where the cell is missing
        if bad.any():
            i = int(np.argmax(bad))
            shown = written(frame, name, i, values[i])  # as the file spells it: '1e400'
            raise fail(frame, name, i, f"has a non-finite value ({shown})")
    return x


def _show(v: Any) -> str:
    return repr(v) if isinstance(v, str) else str(v)


def _is_float(v: Any) -> bool:
    try:
        float(str(v))
    except ValueError:
        return False
    return True
