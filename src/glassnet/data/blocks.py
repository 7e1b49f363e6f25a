"""Reading a table block by block, for predictions that never hold the whole file.

:func:`feature_blocks` yields a file's rows in blocks of about ``rows`` rows: a
:class:`~glassnet.data.frames.Frame` of the named columns for CSV and Parquet files (each
row still located by its file line), or the ``X`` rows of an NPY/NPZ file. Only the
named columns are read; numeric ones are parsed as float64 and categories as text, so a
block's types never depend on which rows it holds. A cell that does not parse stops the
stream with the same :class:`DataError` (file, line, column, value) as a whole read.
Columns to ``keep`` (copied beside predictions: ``glassnet predict --keep``) are read too, a
CSV's as text (as written, unless the column is also a feature), a Parquet file's as typed.
:func:`glassnet.data.labelled.labelled_blocks` pairs each block with its targets.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core.validation import DataError, as_features
from glassnet.data.arrays import row_blocks
from glassnet.data.encoding import Encoding
from glassnet.data.errors import absent as absent_column
from glassnet.data.errors import check_commas
from glassnet.data.frames import Frame
from glassnet.data.headers import matched, named_header, unique_names
from glassnet.data.tables import NULLS, load_table

BLOCK_BYTES = 1 << 18  # CSV bytes parsed per block (pyarrow reads about 24 blocks ahead)
BLOCK_ROWS = 16384  # rows per block of Parquet and array files
PARQUET_ROWS = 4096  # rows per record batch of a Parquet file (each is encoded alone)
PARQUET_BUFFER = 1 << 16  # bytes read at a time from a Parquet column chunk


def feature_blocks(
    path: str | Path,
    encoding: Encoding | None,
    target: str | None = None,
    keep: tuple[str, ...] = (),
) -> Iterator[Any]:
    """Blocks of ``path``'s feature rows: Frames of ``encoding.names`` (and of the columns
    to ``keep``) for tables, ``(B, D)`` arrays for NPY/NPZ files (without the ``target``
    column of an NPY file). A column to ``keep`` the table lacks is an
    :class:`~glassnet.data.errors.UnknownColumn`; ``keep`` of an NPY/NPZ file a
    :class:`DataError`."""
    path = Path(path)
    if not path.is_file():
        missing = "a folder, not a data file" if path.is_dir() else "no such file"
        raise DataError(f"{path}: {missing}")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".parquet", ".pq"):
        if encoding is None:
            raise DataError(f"{path}: this model was trained on arrays; give it a .npy or .npz")
        yield from (_csv_blocks if suffix == ".csv" else _parquet_blocks)(path, encoding, keep)
        return
    if suffix not in (".npy", ".npz"):
        raise DataError(
            f"{path}: unsupported file type {suffix!r}; use .csv, .parquet, .npz or .npy"
        )
    if keep:
        raise DataError(f"{path}: an array file has no named columns to keep; keep columns "
                        "of a table (.csv, .parquet)")  # fmt: skip
    for X in row_blocks(path, BLOCK_ROWS, target if suffix == ".npy" else None):
        yield as_features(X, str(path))


def column_types(encoding: Encoding) -> dict[str, Any]:
    import pyarrow as pa

    return {c.name: pa.float64() if c.kind == "numeric" else pa.string() for c in encoding.columns}


def stream_csv(source: Any, types: dict[str, Any], options: Any) -> Any:
    """pyarrow's block-by-block CSV reader of the columns ``types`` names, as typed there
    (one thread, ``options``: pyarrow's ``ParseOptions``, glassnet's missing-value
    spellings as nulls). Open it through :func:`csv_stream`."""
    import pyarrow.csv as pcsv

    return pcsv.open_csv(
        source,
        read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=False),
        parse_options=options,
        convert_options=pcsv.ConvertOptions(
            column_types=types, include_columns=list(types), null_values=NULLS,
            strings_can_be_null=True, quoted_strings_can_be_null=True,
        ),
    )  # fmt: skip


@contextmanager
def csv_stream(path: Path, types: dict[str, Any]) -> Iterator[Any]:
    """:func:`stream_csv` over ``path`` (read, not memory-mapped: mapped pages count as
    resident), blank rows skipped (:func:`glassnet.data.csvscan.parse_options`).

    pyarrow parses ahead on threads of its own, and calls a Python row handler there; its
    reader's ``close`` does not stop them. So a file gets the handler only when it has a
    line of whitespace, and then a loop that ends early reads the rest here: no pyarrow
    thread holds Python state once the block has ended (NU7 1: an abort at the exit)."""
    import pyarrow as pa

    from glassnet.data.csvread import quiet_rows
    from glassnet.data.csvscan import parse_options

    options = parse_options(path)
    source = pa.OSFile(str(path))
    reader = None
    try:
        reader = stream_csv(source, types, options)
        yield reader
    finally:
        if reader is not None and options.invalid_row_handler is not None:
            with contextlib.suppress(Exception), quiet_rows():  # StopIteration at the end
                while True:
                    reader.read_next_batch()
        source.close()


def _csv_blocks(path: Path, encoding: Encoding, keep: tuple[str, ...]) -> Iterator[Frame]:
    import pyarrow as pa

    from glassnet.data.csvread import line_numbers, quiet_rows

    locate = line_numbers(path)
    written = header_row(path)
    header = named_header(written)  # an empty name as 'Unnamed: i', as the whole file is read
    encoding = matched(encoding, header)  # a model's stored '' (saved before 0.2)
    check_commas(str(path), header, encoding.names)
    unique_names(str(path), header)
    absent = [n for n in encoding.names if n not in header]
    if absent:
        raise DataError(f"{path}: missing feature columns: {', '.join(absent)}")
    raw = dict(zip(header, written, strict=True))
    named = {w: h for h, w in raw.items()}  # a batch's columns (as written) by their names
    for name in keep:
        if name not in raw:
            raise absent_column(str(path), "--keep column", name, header)
    kinds = {**{n: pa.string() for n in keep}, **column_types(encoding)}
    names = [*encoding.names, *(n for n in keep if n not in encoding.names)]
    types = {raw[n]: kinds[n] for n in names}  # in the order of the names
    try:
        with csv_stream(path, types) as reader:
            offset = 0
            while True:
                with quiet_rows():
                    batch = reader.read_next_batch()
                batch = batch.rename_columns([named[n] for n in batch.column_names])
                yield Frame(batch, str(path), np.arange(offset, offset + batch.num_rows),
                            locate)  # fmt: skip
                offset += batch.num_rows
    except StopIteration:
        return
    except pa.ArrowInvalid as exc:
        # a cell that does not parse: read the whole file to name its line and value
        frame = load_table(path, None, encoding.names).frame
        assert frame is not None
        encoding.transform(frame)
        raise DataError(f"{path}: {str(exc).splitlines()[0]}") from None


def header_row(path: Path) -> list[str]:
    """The CSV's column names (its first non-blank record)."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
        for row in csv.reader(f):
            if any(cell.strip() for cell in row):
                return row
    raise DataError(f"{path}: empty file (a header row is needed)")


def _parquet_blocks(path: Path, encoding: Encoding, keep: tuple[str, ...]) -> Iterator[Frame]:
    """Record batches of :data:`PARQUET_ROWS` rows of the named columns, read through a
    buffer of :data:`PARQUET_BUFFER` bytes per column. One thread decodes (pyarrow's threads
    each keep a heap of their own: about 30 MB more at 1M rows), and the memory pool hands
    freed blocks back to the system after each batch, so the peak stays about that of one
    row group's pages and one small batch (``benchmarks/predict_memory.py``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pool = pa.default_memory_pool()
    try:  # pre_buffer (pyarrow's default) would hold every row group read so far
        source = pq.ParquetFile(path, pre_buffer=False, buffer_size=PARQUET_BUFFER)
        written = source.schema_arrow.names
        header = named_header(written)  # '' as 'Unnamed: i', as the whole file is read
        unique_names(str(path), header)
        encoding = matched(encoding, header)  # a model's stored '' (saved before 0.2)
        raw = dict(zip(header, written, strict=True))
        for name in keep:
            if name not in header:
                raise absent_column(str(path), "--keep column", name, header)
        names = [*encoding.names, *(n for n in keep if n not in encoding.names)]
        batches = source.iter_batches(
            PARQUET_ROWS, columns=[raw.get(n, n) for n in names], use_threads=False
        )
        offset = 0
        for batch in batches:
            batch = batch.rename_columns(names)  # the columns asked for, named
            yield Frame(batch, str(path), np.arange(offset, offset + batch.num_rows))
            offset += batch.num_rows
            del batch
            pool.release_unused()
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: not a readable Parquet file ({exc})") from None
