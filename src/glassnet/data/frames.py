"""A table's raw columns, read once and typed, and where each row came from.

:class:`Frame` wraps an Arrow table (CSV and Parquet files, read by pyarrow) or a pandas
DataFrame (passed by the user). It hands out one column at a time as a NumPy array with
its missing cells marked, and names a row by its place in the file (the file's own line
number, counting the header and blank lines) so every error can point at the cell.

:func:`column_kind` says what a column can be: ``"numeric"``, ``"category"`` (text or
booleans), or it raises :class:`DataError` for columns that cannot be features (dates,
time deltas, byte strings, IDs unique to every row, numbers with stray text).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator
from typing import Any, Literal

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError

Kind = Literal["numeric", "category"]
ID_MIN_ROWS = 20  # an ID column must be unique over at least this many rows to be called one
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_TIME = re.compile(r"^-?(\d+ days?,? ?)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")  # 1 day 02:03:04


class Frame:
    """Named raw columns of ``N`` rows; ``locate(i)`` names row ``i`` (``"line 7"``)."""

    def __init__(
        self,
        source: Any,
        where: str,
        positions: Array | None = None,
        locate: Callable[[int], str] | None = None,
        names: tuple[str, ...] | None = None,
    ) -> None:
        self.source, self.where = source, where  # an Arrow table or a pandas DataFrame
        self.names: tuple[str, ...] = (
            tuple(str(c) for c in _names(source)) if names is None else names
        )  # the columns it offers (a selection of the source's, never copied out of it)
        self.n_rows = int(source.num_rows if hasattr(source, "num_rows") else len(source))
        self.positions = np.arange(self.n_rows) if positions is None else positions
        self._locate = locate or (lambda p: f"row {p}")
        self._columns: dict[str, tuple[Array, Array]] = {}  # a DataFrame's, read once

    def locate(self, i: int) -> str:
        """Where row ``i`` of this frame is in its source: ``"line 7"`` or ``"row 6"``."""
        return self._locate(int(self.positions[i]))

    def values(self, name: str) -> tuple[Array, Array]:
        """Column ``name`` as ``(values (N,), missing (N,) bool)``; missing cells hold
        ``None`` or NaN in ``values``."""
        if hasattr(self.source, "num_rows"):  # Arrow: nulls come out as NaN, NaT or None
            column = _decimals_as_floats(self.source.column(name))
            values = column.to_numpy(zero_copy_only=False)
            return values, _missing(values, column)
        if name not in self._columns:  # views of a DataFrame's column and its missing cells
            series = self.source[name]
            self._columns[name] = (series.to_numpy(), series.isna().to_numpy())
        return self._columns[name]

    def blocks(self, rows: int) -> Iterator[Frame]:
        """The frame in consecutive blocks of at most ``rows`` rows (views, never copies;
        an Arrow table's blocks follow its chunks, so each column of a block is one array)."""
        if hasattr(self.source, "to_batches") and hasattr(self.source, "num_rows"):
            start = 0
            for batch in self.source.to_batches(max_chunksize=rows):
                yield Frame(batch, self.where, self.positions[start : start + batch.num_rows],
                            self._locate, self.names)
                start += batch.num_rows
            return
        for start in range(0, self.n_rows, rows):
            yield self.slice(start, start + rows)

    def take(self, rows: Array) -> Frame:
        """The rows ``rows`` (an increasing index array), keeping their positions."""
        source = (
            self.source.take(rows) if hasattr(self.source, "num_rows") else (self.source.iloc[rows])
        )
        return Frame(source, self.where, self.positions[rows], self._locate, self.names)

    def slice(self, start: int, stop: int) -> Frame:
        """Rows ``start:stop`` (a view where the source allows)."""
        stop = min(stop, self.n_rows)
        if start == 0 and stop == self.n_rows:
            return self
        source = (
            self.source.slice(start, stop - start)
            if hasattr(self.source, "num_rows")
            else self.source.iloc[start:stop]
        )
        return Frame(source, self.where, self.positions[start:stop], self._locate, self.names)

    @property
    def columnar(self) -> bool:
        """Whether :meth:`values` hands out views of whole columns (a pandas DataFrame; an
        Arrow table's columns are copied out of its chunks)."""
        return not hasattr(self.source, "num_rows")

    def select(self, names: list[str]) -> Frame:
        """The columns ``names`` only (the source is shared, not copied)."""
        frame = Frame(self.source, self.where, self.positions, self._locate, tuple(names))
        frame._columns = self._columns  # the same source: the same columns
        return frame


def _decimals_as_floats(column: Any) -> Any:
    """A decimal column (Parquet's exact numbers) as float64, like any other number."""
    import pyarrow as pa

    return column.cast(pa.float64()) if pa.types.is_decimal(column.type) else column


def _missing(values: Array, column: Any) -> Array:
    """Which cells of an Arrow ``column`` (converted to ``values``) are missing: NaN, NaT
    or null."""
    kind = values.dtype.kind
    if kind == "f":
        return np.isnan(values)
    if kind in "Mm":
        return np.isnat(values)
    if column.null_count == 0:
        return np.zeros(len(values), dtype=bool)
    return np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def _names(source: Any) -> list[Any]:
    return list(source.column_names if hasattr(source, "column_names") else source.columns)


def fail(frame: Frame, name: str, i: int, problem: str) -> DataError:
    return DataError(f"{frame.where}: column {name!r} {problem} at {frame.locate(i)}")


def column_kind(
    frame: Frame, name: str, values: Array, missing: Array, target: bool = False
) -> Kind:
    """``"numeric"`` or ``"category"`` for a feature column, or a :class:`DataError`.

    Rules: numbers are numeric; text and booleans are categories; text cells that all read
    as numbers are numeric; a column where most cells are numbers and a few are not is an
    error naming the first stray cell; dates, time deltas, byte strings, other objects, and
    IDs (text, or integers counting rows, unique to each of >= 20 rows) cannot be features.
    A ``target`` column is not checked for IDs.
    """
    drop = ", which cannot be a target" if target else f"; leave it out with --drop {name}"
    kind = values.dtype.kind
    if kind in "Mm":
        raise DataError(f"{frame.where}: column {name!r} holds dates or times{drop}")
    if kind in "SV":
        raise DataError(f"{frame.where}: column {name!r} holds {_dtype_words(kind)}{drop}")
    if kind == "b":
        return "category"
    if kind in "iuf":
        if kind in "iu" and not target and _counts_rows(values):
            raise DataError(
                f"{frame.where}: column {name!r} looks like an ID{_unique(values)}{drop}"
            )
        return "numeric"
    present = np.flatnonzero(~missing)
    types = {type(v) for v in values[present]}
    if not types:
        return "numeric"  # every cell missing: a numeric column to be filled
    odd = [t for t in types if not issubclass(t, str | bool | np.bool_ | int | float | np.number)]
    if odd:
        i = int(next(i for i in present if type(values[i]) in odd))
        raise DataError(
            f"{frame.where}: column {name!r} holds {_words(odd[0])} "
            f"({_shown(values[i])} at {frame.locate(i)}){drop}"
        )
    return _text_kind(frame, name, values, present, drop, target)


def _words(kind: type) -> str:
    """What cells of Python type ``kind`` are, in words."""
    if issubclass(kind, _dt.date | _dt.time | _dt.timedelta):
        return "dates or times"
    if issubclass(kind, bytes):
        return "byte strings"
    if issubclass(kind, list | tuple | np.ndarray):
        return "lists"
    if issubclass(kind, dict):
        return "records (several fields per cell)"
    return f"{kind.__name__} values"


def _shown(value: Any) -> str:
    text = repr(value.tolist() if isinstance(value, np.ndarray) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def _dtype_words(kind: str) -> str:
    return "byte strings" if kind == "S" else "structured records"


def _counts_rows(values: Array) -> bool:
    n = len(values)
    return (
        n >= ID_MIN_ROWS
        and int(values.max()) - int(values.min()) == n - 1
        and (len(np.unique(values)) == n)
    )


def _unique(values: Array) -> str:
    return f" (a different value in each of its {len(values)} rows)"


def _text_kind(
    frame: Frame, name: str, values: Array, present: Array, drop: str, target: bool
) -> Kind:
    """Text cells: numbers written as text, categories, or one of the errors above."""
    cells = values[present]
    if any(isinstance(v, bool | np.bool_) for v in cells[:1]):
        return "category"
    text = cells.astype(str)
    uniques, first = np.unique(text, return_index=True)
    stray = np.array([not _is_number(u) for u in uniques], dtype=bool)
    if not stray.any():
        return "numeric"
    n_stray = int(np.sum(np.isin(text, uniques[stray])))
    if n_stray < len(text) - n_stray:  # mostly numbers: the rest are typing errors
        i = present[first[stray].min()]
        raise fail(frame, name, i, f"holds numbers but also {values[i]!r}")
    if all(_DATE.match(u) or _TIME.match(u) for u in uniques[stray][:100]):
        raise DataError(f"{frame.where}: column {name!r} holds dates or times{drop}")
    if len(uniques) == len(text) >= ID_MIN_ROWS and not target:
        raise DataError(f"{frame.where}: column {name!r} looks like an ID{_unique(text)}{drop}")
    return "category"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
