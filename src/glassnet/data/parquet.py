"""Reading a Parquet table whole, and the columns that hold a pandas DataFrame's index.

``DataFrame.to_parquet`` stores an index other than the default ``0..N-1`` as columns of
the file (``__index_level_0__`` when unnamed, as after filtering rows, else under its
name) and marks them in pandas' metadata (``index_columns``); ``pandas.read_parquet``
restores them as the index, not as columns. glassnet reads them as pandas does: they are
no feature columns unless named (``--features``, ``--target``, ``--drop``), and
``predict --keep`` may still name them. A file without pandas' metadata (written by
pyarrow, polars, Spark) has no such columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from glassnet.core.validation import DataError
from glassnet.data.headers import named_header, unique_names


def read_parquet(path: Path) -> Any:
    """The whole file as an Arrow table; :class:`DataError` when pyarrow cannot read it or
    two of its columns have one name."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        unique_names(str(path), named_header(pq.read_schema(path).names))  # pyarrow: "matches"
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: not a readable Parquet file ({exc})") from None
    renamed = table.rename_columns(named_header(table.column_names))  # '' -> 'Unnamed: i'
    return renamed.replace_schema_metadata(table.schema.metadata)  # pandas' index, kept


def index_columns(schema: Any) -> tuple[str, ...]:
    """The columns of an Arrow ``schema`` that pandas' metadata marks as the index (a range
    index is stored as numbers in the metadata, not as a column); ``()`` without pandas'
    metadata or with metadata that cannot be read."""
    try:
        meta = schema.pandas_metadata or {}
        marked = meta.get("index_columns", ())
        return tuple(c for c in marked if isinstance(c, str) and c in schema.names)
    except (ValueError, TypeError, AttributeError):  # damaged JSON, an odd layout
        return ()


def table_names(
    schema: Any, named: Iterable[str | None]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(columns, index)``: the columns a table offers (the schema's, less pandas' index
    columns not in ``named``), and the index columns so left out."""
    wanted = {n for n in named if n is not None}
    index = [c for c in index_columns(schema) if c not in wanted]
    return tuple(str(c) for c in schema.names if c not in index), tuple(index)
