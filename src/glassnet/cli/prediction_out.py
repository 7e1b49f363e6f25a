"""What ``glassnet predict`` writes, block by block: the format ``--out`` names by its suffix
(CSV, or Parquet through pyarrow, one row group per block), the columns to ``--keep``
beside the predictions, and what is said when a stop signal cuts the writing short.

A table's columns: the kept input columns (as read), then ``prediction`` (or
``prediction_<target>`` per target for several regression targets, ``prediction_0``, ...
where they have no names), then ``proba_CLASS`` per class with ``--proba``. A Parquet
file's schema carries ``glassnet: predictions`` in its metadata.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import IO, Any

from glassnet.cli.model_data import prediction_columns, width_error
from glassnet.cli.usage import UsageError
from glassnet.core.wording import counted
from glassnet.files.modelfile import Model

FORMATS = {".csv": "CSV", ".parquet": "Parquet", ".pq": "Parquet"}
METADATA = {b"glassnet": b"predictions"}  # in a Parquet file's schema


class Tally:
    """The predictions written so far (for the line a stop signal gets)."""

    def __init__(self) -> None:
        self.rows = 0


def out_format(out: str | None, direct: bool) -> str:
    """``"CSV"`` or ``"Parquet"``, as the suffix of ``--out`` says (standard output, a
    device or a pipe: CSV); any other suffix is a :class:`UsageError` (exit 2), said before
    anything is read or written."""
    if out is None or direct:
        return "CSV"
    suffix = Path(out).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    named = f"a {suffix} file" if suffix else "a file without a suffix"
    raise UsageError(f"--out {out}: predict writes a table as CSV (.csv) or Parquet "
                     f"(.parquet, .pq), told by the suffix, not {named}; name the file with "
                     "one of these")  # fmt: skip


def block_columns(
    model: Model, X: Any, kept: list[Any], keep: tuple[str, ...], proba: bool
) -> tuple[list[str], list[Any]]:
    """The header and columns of one block: the kept columns, then the predictions."""
    if X.shape[1] != model.n_features:
        raise width_error(model, X.shape[1])
    header, columns = prediction_columns(model, X, proba)
    clash = [name for name in keep if name in header]
    if clash:
        raise UsageError(f"--keep {clash[0]}: the predictions have a column of that name; "
                         "rename it in the data or leave it out")  # fmt: skip
    return [*keep, *header], [*kept, *columns]


def write_csv(f: IO[str], model: Model, blocks: Any, proba: bool, keep: tuple[str, ...],
              tally: Tally) -> int:  # fmt: skip
    """A header and one CSV row per sample to the text stream ``f``; returns the count.
    Numbers are written in full (``repr``), a missing kept cell as an empty one."""
    writer = csv.writer(f, lineterminator="\n")
    started = False
    for X, kept in blocks:
        header, columns = block_columns(model, X, kept, keep, proba)
        if not started:
            writer.writerow(header)
            started = True
        cells = [c.to_pylist() if hasattr(c, "to_pylist") else c.tolist() for c in columns]
        writer.writerows(zip(*cells, strict=True))
        tally.rows += len(X)
        if getattr(f, "stopped", False):  # standard output closed (| head) or full
            break
    return tally.rows


def write_file(fb: IO[bytes], kind: str, model: Model, blocks: Any, proba: bool,
               keep: tuple[str, ...], tally: Tally) -> int:  # fmt: skip
    """The predictions to the binary file ``fb`` as ``kind`` (``"CSV"``, UTF-8, or
    ``"Parquet"``); returns the count."""
    if kind == "Parquet":
        return _write_parquet(fb, model, blocks, proba, keep, tally)
    f = io.TextIOWrapper(fb, encoding="utf-8", newline="")
    count = write_csv(f, model, blocks, proba, keep, tally)
    f.flush()
    f.detach()
    return count


def _write_parquet(fb: IO[bytes], model: Model, blocks: Any, proba: bool,
                   keep: tuple[str, ...], tally: Tally) -> int:  # fmt: skip
    """One row group per block, so only a block is held at a time (the memory pool hands
    freed blocks back after each, as the Parquet reader's does)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pool = pa.default_memory_pool()
    writer = schema = None
    try:
        for X, kept in blocks:
            header, columns = block_columns(model, X, kept, keep, proba)
            arrays = [c if isinstance(c, pa.Array | pa.ChunkedArray) else pa.array(c)
                      for c in columns]  # fmt: skip
            arrays = [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays]
            if writer is None:
                fields = [pa.field(n, a.type) for n, a in zip(header, arrays, strict=True)]
                schema = pa.schema(fields, metadata=METADATA)
                writer = pq.ParquetWriter(fb, schema)
            writer.write_batch(pa.record_batch(arrays, schema=schema))
            tally.rows += len(X)
            del arrays, columns, kept
            pool.release_unused()
    finally:
        if writer is not None:
            writer.close()
    return tally.rows


def interrupted(out: str | None, direct: bool, existed: bool, tally: Tally, signal: str) -> str:
    """The line for a stop signal that cut the predictions short, saying what became of
    ``--out`` (standard output when None)."""
    done = counted(tally.rows, "prediction")
    if out is None or direct:
        where = "standard output" if out is None else out
        return f"interrupted by {signal} after {done}; {where} holds those only (incomplete)"
    kept = "left as it was" if existed else "not created"
    return f"interrupted by {signal} after {done}; nothing was written: {out} was {kept}"


def say(line: str) -> None:
    print(f"glassnet predict: {line}", file=sys.stderr)
