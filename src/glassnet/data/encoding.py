"""A table's columns as numeric features: one-hot categories and filled-in missing values.

:func:`fit_encoding` learns, from the training rows only, what each feature column becomes:

* a numeric column stays one feature; where the training rows have missing cells, they
  are filled with the training median and a was-missing indicator column (0/1) follows;
* a text or boolean column becomes one 0/1 column per training category (sorted), the
  ``max_categories - 1`` most frequent kept and the rest pooled into ``(other)``; missing
  cells are their own category ``(missing)``.

:meth:`Encoding.transform` applies it to any rows, in float64: categories never seen in
training encode as all zeros and are counted (``Encoded.unseen``). With ``impute=False``
(:func:`strict_encoding`, what the library does by default) a missing cell is an error.
The encoding is plain JSON (:meth:`Encoding.to_json`), stored in the model file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError
from glassnet.data.categories import MISSING, OTHER, categories, one_hot
from glassnet.data.frames import Frame, fail
from glassnet.data.headers import matched
from glassnet.data.kinds import Unusable, column_kind
from glassnet.data.numeric_cells import ROWS, as_floats, fill_numbers, numeric_features, unfilled

MAX_CATEGORIES = 30
MEDIAN_SAMPLE = 10001  # a complete column's fill: the median of at most this many rows


@dataclass(frozen=True)
class Column:
    """How one table column becomes features (and what training saw of it)."""

    name: str
    kind: str  # "numeric" or "category"
    fill: float | None = None  # numeric: the value for missing cells (training median)
    indicator: bool = False  # numeric: a was-missing 0/1 column follows
    categories: tuple[str, ...] = ()  # category: the one-hot columns, in order
    n_missing: int = 0  # missing cells in the training rows
    share_missing: float = 0.0
    pooled: tuple[str, ...] = ()  # category: training categories counted as (other)

    def feature_names(self) -> list[str]:
        if self.kind == "category":
            return [f"{self.name}={c}" for c in self.categories]
        return [self.name, f"{self.name} (missing)"] if self.indicator else [self.name]


class Encoded(NamedTuple):
    X: Array  # (N, D) float64
    unseen: dict[str, int]  # column -> cells of categories not seen in training
    filled: dict[str, int] = {}  # noqa: RUF012  column -> missing cells filled, where training had none
    missing: dict[str, int] = {}  # noqa: RUF012  column -> every missing cell filled


@dataclass(frozen=True)
class Encoding:
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The table columns it reads, in order."""
        return tuple(c.name for c in self.columns)

    def feature_names(self) -> tuple[str, ...]:
        return tuple(n for c in self.columns for n in c.feature_names())

    def transform(self, frame: Frame, impute: bool = True) -> Encoded:
        """The features ``X (N, D)`` in float64 of every row of ``frame`` (filled in blocks
        of rows, so each block of ``X`` stays in cache while its columns are written).

        A missing cell gets the column's training fill (a numeric column's median, a
        category column's ``(missing)`` category, or all zeros as an unseen category);
        with ``impute=False``, or in a column without a fill, it raises :class:`DataError`
        naming the column and the row."""
        if "" in self.names and matched(self, frame.names) is not self:  # saved before 0.2
            return matched(self, frame.names).transform(frame, impute)
        absent = [n for n in self.names if n not in frame.names]
        if absent:
            raise DataError(f"{frame.where}: missing feature columns: {', '.join(absent)}")
        X = np.empty((frame.n_rows, len(self.feature_names())))
        if frame.columnar and all(c.kind == "numeric" and not c.indicator for c in self.columns):
            columns = [frame.values(c.name) for c in self.columns]  # views
            if all(values.dtype.kind in "iuf" for values, _ in columns):
                counts = fill_numbers(frame, self.columns, columns, X, impute)
                return Encoded(X, {}, counts, counts)
        unseen: dict[str, int] = {}
        filled: dict[str, int] = {}
        blanks: dict[str, int] = {}
        start = 0
        for block in frame.blocks(ROWS):
            rows = slice(start, start + block.n_rows)
            j = 0
            for col in self.columns:
                values, missing = block.values(col.name)
                if not impute and missing.any():
                    raise unfilled(block, col.name, int(np.argmax(missing)))
                width = len(col.feature_names())
                n_missing = int(missing.sum())
                if n_missing:
                    blanks[col.name] = blanks.get(col.name, 0) + n_missing
                if col.kind == "numeric":
                    X[rows, j : j + width] = numeric_features(block, col, values, missing)
                    if not col.indicator and missing.any():
                        filled[col.name] = filled.get(col.name, 0) + int(missing.sum())
                else:
                    X[rows, j : j + width], count = one_hot(col, values, missing)
                    if n_missing and MISSING not in (*col.categories, *col.pooled):
                        # a blank where training had none: all zeros, filled, not unseen
                        count -= n_missing
                        filled[col.name] = filled.get(col.name, 0) + n_missing
                    if count:
                        unseen[col.name] = unseen.get(col.name, 0) + count
                j += width
            start += block.n_rows
        return Encoded(X, unseen, filled, blanks)

    def to_json(self) -> list[dict[str, Any]]:
        return [
            asdict(c) | {"categories": list(c.categories), "pooled": list(c.pooled)}
            for c in self.columns
        ]

    @classmethod
    def from_json(cls, items: list[dict[str, Any]]) -> Encoding:
        return cls(
            tuple(
                Column(**(d | {"categories": tuple(d["categories"]), "pooled": tuple(d["pooled"])}))
                for d in items
            )
        )


def fit_encoding(
    frame: Frame,
    names: tuple[str, ...] | None = None,
    max_categories: int = MAX_CATEGORIES,
    impute: bool = True,
    rows: Array | None = None,
) -> Encoding:
    """Learn each column's encoding from the ``rows`` of ``frame`` (the training rows;
    default all); ``names``: the feature columns (default: all). A column's type is judged
    on every row. Raises :class:`DataError` for a column that cannot be a feature, or with
    ``impute=False`` for a missing cell; the columns that cannot be features (IDs, dates,
    ...) are named together, with the one ``--drop`` that leaves them all out."""
    columns, unusable = [], []
    train = np.arange(frame.n_rows) if rows is None else np.asarray(rows)
    for name in names if names is not None else frame.names:
        values, missing = frame.values(name)
        try:
            kind = column_kind(frame, name, values, missing)
        except Unusable as error:
            unusable.append(error)
            continue
        n_missing = int(missing[train].sum()) if missing.any() else 0
        if n_missing and not impute:
            raise fail(frame, name, int(train[np.argmax(missing[train])]), "has a missing value")
        share = n_missing / max(1, len(train))
        if kind == "category":
            kept, pooled = categories(values[train], missing[train], max_categories)
            columns.append(Column(name, kind, None, False, kept, n_missing, share, pooled))
            continue
        numbers = as_floats(frame, name, values, missing)  # every row checked
        if n_missing == len(train):  # named with the other unusable columns, one --drop
            unusable.append(Unusable(frame, name, "has no values",
                                     f"; leave it out with {frame.leave_out(name)}"))  # fmt: skip
            continue
        if n_missing:
            present = numbers[train][~missing[train]]
        else:  # the fill is only for cells missing at prediction: a sample will do
            present = numbers[train[:: max(1, len(train) // MEDIAN_SAMPLE)]]
        fill = float(np.median(present)) if impute else None
        columns.append(Column(name, kind, fill, bool(n_missing), (), n_missing, share))
    if len(unusable) == 1:
        raise unusable[0]
    if unusable:
        why = "; ".join(f"{e.column!r} {e.why}" for e in unusable)
        drop = frame.leave_out(*(e.column for e in unusable))
        raise DataError(f"{frame.where}: {len(unusable)} columns cannot be features: {why}; "
                        f"leave them all out with {drop}")
    return Encoding(tuple(columns))


def strict_encoding(names: tuple[str, ...]) -> Encoding:
    """Every named column numeric, no missing cells (the library's strict reading)."""
    return Encoding(tuple(Column(n, "numeric") for n in names))


__all__ = ["MISSING", "OTHER", "ROWS", "Column", "Encoded", "Encoding", "fit_encoding",
           "strict_encoding", "unfilled"]
