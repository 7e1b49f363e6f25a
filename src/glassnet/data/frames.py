"""A table's raw columns, read once and typed, and where each row came from.

:class:`Frame` wraps an Arrow table (CSV and Parquet files, read by pyarrow) or a pandas
DataFrame (passed by the user). It hands out one column at a time as a NumPy array with
its missing cells marked, and names a row by its place in the file (the file's own line
number, counting the header and blank lines) so every error can point at the cell.

What a column can be is judged by :func:`glassnet.data.kinds.column_kind`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError


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
        self.n_read = self.n_rows  # rows as read, before rows without a target were left out
        self.counted: frozenset[str] = frozenset()  # columns that counted those rows (IDs)
        self.dropped: tuple[str, ...] = ()  # the columns left out by name (--drop)
        self.named: tuple[str, ...] = ()  # the feature columns as named (--features), if so

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
        frame = Frame(source, self.where, self.positions[rows], self._locate, self.names)
        frame.n_read, frame.counted = self.n_read, self.counted
        frame.dropped, frame.named = self.dropped, self.named
        return frame

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
        frame.n_read, frame.counted = self.n_read, self.counted
        frame.dropped, frame.named = self.dropped, self.named
        return frame

    def leave_out(self, *names: str) -> str:
        """The option that leaves the columns ``names`` out too, to be copied as it is:
        ``--drop id,booked`` (with those dropped already), or, where the features were
        named, ``--features`` without them. Quoted for the shell where a name needs it
        (``--drop 'Unnamed: 0'``, ``--drop 'mean radius'``)."""
        from shlex import quote

        if self.named:
            kept = ",".join(n for n in self.named if n not in names)
            return f"--features {quote(kept)}" if kept else "--features naming other columns"
        return "--drop " + quote(",".join(dict.fromkeys((*self.dropped, *names))))


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


def written(frame: Frame, name: str, i: int, value: Any) -> str:
    """Row ``i``'s cell of column ``name`` as the CSV file spells it (``'1e400'``, which
    reads as inf), else ``value`` as read."""
    shown = repr(value) if isinstance(value, str) else str(value)
    if not frame.where.lower().endswith(".csv"):
        return shown
    from pathlib import Path

    from glassnet.data.csvread import cell_text

    try:
        text = cell_text(Path(frame.where), int(frame.positions[i]), name)
    except (OSError, ValueError, IndexError):
        return shown
    return shown if text is None or text.strip() == shown else repr(text.strip())


def fail(frame: Frame, name: str, i: int, problem: str) -> DataError:
    return DataError(f"{frame.where}: column {name!r} {problem} at {frame.locate(i)}")
