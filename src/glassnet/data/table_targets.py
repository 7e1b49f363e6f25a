"""A table's target columns read alone, before its features: the first read of
:func:`glassnet.data.labelled.labelled_blocks`.

:func:`table_targets` reads a CSV's or Parquet file's target column without the others
(a CSV streamed a block at a time): its labelled cells, typed as a whole read of the table
types them (:func:`glassnet.data.tables.target_column`), and which rows have one; text
and boolean cells as indices into their distinct labels. Several target columns (``'a,b'``)
are read one by one and joined over the rows where each has a value.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError
from glassnet.data import blocks
from glassnet.data.errors import check_commas, unknown_column
from glassnet.data.frames import Frame
from glassnet.data.headers import named_header, unique_names
from glassnet.data.kinds import typing_errors
from glassnet.data.tables import load_table, target_column
from glassnet.data.targets import SEVERAL, BadTargets, stacked, target_names


def table_targets(path: Path, target: str, numeric: bool) -> tuple[Array, Array, Array | None]:
    """The CSV or Parquet table ``path``'s target column ``target`` read alone:
    ``(y, labelled, labels)``, ``labelled (N,) bool`` the rows with a value and ``y (M,)``
    their targets, numbers (``labels`` None) or indices into their distinct ``labels``
    (text, booleans). Several target columns (``'a,b'``, numbers) are each read alone and
    joined over the rows where every one has a value (``y (M, k)`` float64, no labels).
    ``numeric``: a regressor's (a column of numbers is read as float64). Raises
    :class:`DataError` (:class:`~glassnet.data.targets.BadTargets` for several columns
    that are not all numbers)."""
    header = _header(path)
    unique_names(str(path), header)  # as every reader: a column named twice is no column
    names = target_names(target, header)
    if len(names) == 1:
        return _table_target(path, target, numeric)
    columns = [_table_target(path, name, True) for name in names]
    if any(labels is not None for _, _, labels in columns):  # text: indices into labels
        name = next(n for n, c in zip(names, columns, strict=True) if c[2] is not None)
        raise BadTargets(f"{path}: target column {name!r} does not hold numbers; {SEVERAL}")
    return (*stacked(str(path), names, [(y, lab) for y, lab, _ in columns]), None)


def _header(path: Path) -> list[str]:
    """A table's column names (a CSV's header row, a Parquet file's schema)."""
    if path.suffix.lower() == ".csv":
        return named_header(blocks.header_row(path))
    import pyarrow.parquet as pq

    try:
        return named_header(pq.ParquetFile(path).schema_arrow.names)
    except Exception:  # unreadable: the reader names why
        return []


def _table_target(path: Path, target: str, numeric: bool) -> tuple[Array, Array, Array | None]:
    """A CSV or Parquet table's target column alone: its labelled cells, which rows have
    one, typed as :func:`glassnet.data.tables.target_column` types them. Text and boolean
    cells come back as indices ``(M,)`` into their distinct labels (the third value; None
    for numbers), never as one Python string per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if path.suffix.lower() == ".csv":
        column = _csv_column(path, target, pa.float64() if numeric else pa.string())
        if column is None:  # a cell that is not a number: typed as text, then refused
            column = _csv_column(path, target, pa.string())
        assert column is not None
        from glassnet.data.csvread import line_numbers

        locate = line_numbers(path)
    else:
        column, locate = _parquet_column(path, target), (lambda p: f"row {p}")
    labelled = ~np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if not len(labelled):
        raise DataError(f"{path}: has no data rows")
    if not labelled.any():
        raise DataError(f"{path}: the target column {target!r} is empty (no row has a value)")
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        frame = Frame(pa.table({target: column}), str(path), None, locate)
        return (*target_column(frame, target), None)
    if not pa.types.is_dictionary(column.type):  # a Parquet column
        column = pa.chunked_array([pc.drop_null(column).combine_chunks().dictionary_encode()])
    column = pc.drop_null(column)
    dictionary = column.chunks[0].dictionary if column.num_chunks else pa.array([], pa.string())
    if pa.types.is_string(dictionary.type) and len(dictionary) and set(
        dictionary.to_pylist()) <= {"true", "false", "True", "False", "TRUE", "FALSE"}:
        dictionary = pa.array([v.lower() == "true" for v in dictionary.to_pylist()])  # booleans
    indices = np.concatenate([np.asarray(c.indices.to_numpy(zero_copy_only=False), np.int32)
                              for c in column.chunks] or [np.zeros(0, np.int32)])  # fmt: skip
    del column
    counts = np.bincount(indices, minlength=len(dictionary))  # cells of each label
    _typing_errors(path, target, dictionary, indices, counts, np.flatnonzero(labelled), locate)
    distinct = Frame(pa.table({target: dictionary}), str(path))
    labels, _ = target_column(distinct, target, counts)  # each label typed once
    pa.default_memory_pool().release_unused()  # the text, back to the system
    return indices, labelled, labels


def _typing_errors(
    path: Path, target: str, dictionary: Any, indices: Array, counts: Array, rows: Array,
    locate: Callable[[int], str],
) -> None:
    """A column of numbers with a few cells that are not is an error naming the first such
    cell's line and value, as :func:`glassnet.data.kinds.column_kind` names it in a whole
    read (``rows``: the file row of each labelled cell, ``indices`` its label)."""
    import pyarrow as pa

    if not (pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type)):
        return
    stray = typing_errors(np.asarray(dictionary.to_pylist(), dtype=object), counts)
    if stray is not None:
        j = int(np.argmax(stray[indices]))  # the first cell that is not a number
        value = dictionary[int(indices[j])].as_py()
        raise DataError(f"{path}: column {target!r} holds numbers but also {value!r} at "
                        f"{locate(int(rows[j]))}")  # fmt: skip


def _parquet_column(path: Path, target: str) -> Any:
    """The Parquet file's column ``target`` alone, read without the others."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path, pre_buffer=False)
        names = source.schema_arrow.names
        if target not in names:
            raise unknown_column(str(path), "target column", target, names)
        return source.read(columns=[target], use_threads=False).column(target)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: not a readable Parquet file ({exc})") from None


def _csv_column(path: Path, target: str, kind: Any) -> Any:
    """The CSV's column ``target`` as one Arrow array of type ``kind``, streamed (a block
    of the file at a time, one thread); None when a cell does not parse as ``kind``."""
    import pyarrow as pa

    from glassnet.data.csvread import quiet_rows

    header = named_header(blocks.header_row(path))
    check_commas(str(path), header, (target,))
    if target not in header:
        raise unknown_column(str(path), "target column", target, header)
    raw = blocks.header_row(path)[header.index(target)]
    try:
        with blocks.csv_stream(path, {raw: kind}) as reader, quiet_rows():
            chunks = [batch.column(0) if pa.types.is_floating(kind) else
                      batch.column(0).dictionary_encode() for batch in reader]  # fmt: skip
    except pa.ArrowInvalid:
        if pa.types.is_string(kind):
            load_table(path, None, (target,))  # names the line of a bad row, or passes
            raise DataError(f"{path}: the target column {target!r} cannot be read") from None
        return None
    pa.default_memory_pool().release_unused()  # the parser's blocks, back to the system
    if pa.types.is_floating(kind):
        return pa.chunked_array(chunks, kind)
    return pa.chunked_array(chunks, pa.dictionary(pa.int32(), kind)).unify_dictionaries()
