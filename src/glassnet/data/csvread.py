"""Reading a CSV file with pyarrow, and naming any row by the file's own line number.

:func:`read_csv` reads the whole file into an Arrow table (pyarrow's multithreaded reader;
blank rows skipped; the cells in :data:`NULLS` are missing). A parse error becomes one
:class:`DataError` naming the line, found by reading the file again with :mod:`csv` only
then. :func:`line_numbers` maps a data row to its line (counting the header and blank
lines) the same way, on first use.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from glassnet.core.validation import DataError

NULLS = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NULL", "null", "None", "none", "?",
         "#N/A", "-nan", "-NaN"]


def read_csv(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    def skip_blank(row: Any) -> str:
        return "skip" if not row.text.strip() else "error"

    try:
        with quiet_rows():
            table = pcsv.read_csv(
                path,
                parse_options=pcsv.ParseOptions(
                    newlines_in_values=has_quotes(path), invalid_row_handler=skip_blank
                ),
                convert_options=pcsv.ConvertOptions(null_values=NULLS, strings_can_be_null=True,
                                                    quoted_strings_can_be_null=True),
                memory_pool=pa.default_memory_pool(),
            )
        table = table.rename_columns([str(n).strip() for n in table.column_names])
        pa.default_memory_pool().release_unused()  # the parser's freed blocks, back to the system
    except UnicodeDecodeError:
        raise DataError(f"{path}: a column name is not UTF-8 text; save the CSV as UTF-8") from None
    except pa.ArrowException as exc:
        raise _csv_error(path, exc) from None
    for name, field in zip(table.column_names, table.schema, strict=True):
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            raise DataError(f"{path}: column {name!r} is not UTF-8 text; save the CSV as UTF-8")
    return table


@contextmanager
def quiet_rows() -> Iterator[None]:
    """Silence pyarrow's report of a row it could not decode for the blank-row handler (the
    row is an error anyway, reported as one line)."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        yield
    finally:
        sys.unraisablehook = hook


def has_quotes(path: Path) -> bool:
    """Whether a quote follows the header line (only a quoted cell can hold a newline, and
    reading without looking for newlines in cells is about a quarter faster). A header
    with an unclosed quote spans lines: then the answer is yes. Read in 1 MiB chunks (a
    memory map would count the whole file in the resident memory)."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
        end = head.find(b"\n")
        if end < 0 or head[:end].count(b'"') % 2:
            return b'"' in head or _found(f, b'"')
        return b'"' in head[end:] or _found(f, b'"')


def _found(f: Any, needle: bytes) -> bool:
    """Whether the rest of the open file ``f`` holds ``needle`` (one byte)."""
    while chunk := f.read(1 << 20):
        if needle in chunk:
            return True
    return False


def _csv_error(path: Path, exc: Exception) -> DataError:
    """pyarrow's parse error, placed on the file's own line by reading it again."""
    text = str(exc)
    if "Empty CSV file" in text:
        return DataError(f"{path}: empty file (a header row is needed)")
    try:
        header, *records = _records(path)
    except (csv.Error, UnicodeDecodeError) as err:
        return DataError(f"{path}: not a readable CSV file ({err})")
    for line, row in records:
        if len(row) != len(header[1]):
            return DataError(
                f"{path}: line {line} has {len(row)} fields, the header has {len(header[1])}"
            )
    return DataError(f"{path}: not a readable CSV file ({text.splitlines()[0]})")


def _records(path: Path) -> list[tuple[int, list[str]]]:
    """``(line where it starts, fields)`` for the header and every non-blank record."""
    out: list[tuple[int, list[str]]] = []
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
        reader = csv.reader(f)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return out
            if row and (len(row) > 1 or row[0].strip() or (out and len(out[0][1]) == 1)):
                out.append((start, row))


def cell_text(path: Path, position: int, column: str) -> str | None:
    """Data row ``position``'s cell of ``column`` as the file spells it (``1e400``, which
    reads as inf), or None when the file does not have it (read again, for messages)."""
    records = _records(path)
    header = records[0][1] if records else []
    if column not in header or position + 1 >= len(records):
        return None
    row = records[position + 1][1]
    k = header.index(column)
    return row[k] if k < len(row) else None


def line_numbers(path: Path) -> Callable[[int], str]:
    """Data row -> ``"line L"`` (the file read again only when an error needs it)."""
    lines: list[int] = []

    def locate(position: int) -> str:
        if not lines:
            lines.extend(line for line, _ in _records(path)[1:])
        return f"line {lines[position]}" if position < len(lines) else f"data row {position + 1}"

    return locate
