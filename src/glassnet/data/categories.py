"""Category cells of a table column: the categories kept in training, and one-hot columns.

The category half of :class:`glassnet.data.encoding.Encoding`: text and boolean cells as
text (``(missing)`` for missing ones), the ``cap`` categories kept (the rest pooled into
``(other)``), and each row's 0/1 columns, categories never seen in training counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from glassnet.core._types import Array

if TYPE_CHECKING:
    from glassnet.data.encoding import Column

MISSING, OTHER = "(missing)", "(other)"
# A boolean column is stored with the categories "False"/"True"; a reader that takes it as
# text (``glassnet predict`` streams categories as text) sees the file's own spelling.
BOOLEAN_TEXT = {t: "True" for t in ("true", "TRUE", "1")} | {
    f: "False" for f in ("false", "FALSE", "0")
}


def labels(values: Array, missing: Array) -> Array:
    """Category cells as text, ``(missing)`` for missing ones."""
    text = (
        np.array([str(v) for v in values], dtype=object)
        if values.dtype.kind != "U"
        else (values.astype(object))
    )
    text[missing] = MISSING
    return text


def categories(values: Array, missing: Array, cap: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The one-hot categories (sorted; at most ``cap``, the last ``(other)`` when more), and
    the training categories pooled into ``(other)``."""
    uniques, counts = np.unique(labels(values, missing), return_counts=True)
    if len(uniques) <= cap:
        return tuple(str(u) for u in uniques), ()
    order = np.argsort(-counts, kind="stable")
    keep, pooled = np.sort(uniques[order[: cap - 1]]), np.sort(uniques[order[cap - 1 :]])
    return (*(str(u) for u in keep), OTHER), tuple(str(u) for u in pooled)


def one_hot(col: Column, values: Array, missing: Array) -> tuple[Array, int]:
    """``(N, C)`` 0/1 columns, and the count of cells whose category training never saw."""
    uniques, inverse = np.unique(labels(values, missing), return_inverse=True)
    index = {c: k for k, c in enumerate(col.categories)}
    index |= {c: len(col.categories) - 1 for c in col.pooled}  # (other) is the last
    codes = np.array(
        [index.get(u, index.get(BOOLEAN_TEXT.get(u, u), -1)) for u in uniques], dtype=np.intp
    )[inverse]
    out = np.zeros((len(values), len(col.categories)))
    seen = codes >= 0
    out[np.flatnonzero(seen), codes[seen]] = 1.0
    return out, int(np.sum(~seen))
