"""Features with one value in every training row (NU11 #21).

A column that holds one value in every training row carries nothing to learn from, and
standardized it is 0 in every row, so the weights it feeds never receive a gradient: they
stay as initialized. At prediction a row with another value there goes through those
untrained weights. :func:`constant_features` finds such features (stored in the model
file); :func:`off_counts` counts, per column, the cells of new rows that differ from the
training value, which ``glassnet predict``/``evaluate``/``report`` print in one line and
:meth:`glassnet.Model.predict` gives as one :class:`ConstantColumnWarning`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core._types import Array

__all__ = ["OFF", "ConstantColumnWarning", "constant_features", "off_counts"]

OFF = (
    "differ from the one value their column held in every training row, so they go through "
    "weights that never trained"
)
BLOCK = 65536  # rows per pass


class ConstantColumnWarning(UserWarning):
    """Training rows hold one value in a feature column (its weights never train), or rows
    given to :meth:`glassnet.Model.predict` hold another value there (counted per column)."""


def constant_features(X: Any, rows: Array | None = None) -> dict[int, float]:
    """``{feature index: value}`` of the columns of ``X (N, D)`` that hold one value in
    every row of ``rows`` (default: all; none when there are fewer than two rows)."""
    n = X.shape[0] if rows is None else len(rows)
    if n < 2:
        return {}
    low = high = None
    for start in range(0, n, BLOCK):
        take = slice(start, start + BLOCK) if rows is None else np.sort(rows[start:start + BLOCK])
        block = np.asarray(X[take], dtype=np.float64)
        lo, hi = block.min(axis=0), block.max(axis=0)
        low = lo if low is None else np.minimum(low, lo)
        high = hi if high is None else np.maximum(high, hi)
    assert low is not None and high is not None
    return {int(j): float(low[j]) for j in np.flatnonzero(low == high)}


def off_counts(X: Array, constants: dict[int, float], names: tuple[str, ...]) -> dict[str, int]:
    """Per column name (``names[j]``, else ``x{j}``), the rows of ``X (B, D)`` whose value
    in a feature of ``constants`` differs from its training value (none counted as 0)."""
    counts: dict[str, int] = {}
    for j, value in constants.items():
        off = int(np.count_nonzero(np.asarray(X[:, j]) != value))
        if off:
            name = names[j] if j < len(names) else f"x{j}"
            counts[name] = counts.get(name, 0) + off
    return counts


def stored(constants: dict[int, float]) -> list[list[float]]:
    """The JSON form kept in the model file: ``[[index, value], ...]``."""
    return [[j, v] for j, v in sorted(constants.items())]


def loaded(items: Any) -> dict[int, float] | None:
    """:func:`stored`'s form back (None for a file written before it was stored)."""
    return None if items is None else {int(j): float(v) for j, v in items}
