"""Reading a CSV file with pandas (pyarrow where pandas cannot be trusted), and naming any
row by the file's own line number.

:func:`read_csv` reads with pandas' C engine (on two cores it parses numbers in about two
thirds of pyarrow's CPU time). pandas refuses a row with too many fields but fills a short
row's last cells as missing: so when the last column has a missing cell, the file's commas
are counted and must number ``(columns - 1)`` per line of the header and rows. A file pandas
refuses, with quotes there (a quoted cell may hold commas), or whose commas do not add up is
read by pyarrow instead, which checks every row. Blank rows are skipped; the cells in
:data:`NULLS` are missing. A parse error becomes one :class:`DataError` naming the line,
found by reading the file again with :mod:`csv` only then. :func:`line_numbers` maps a data
row to its line (counting the header and blank lines) the same way, on first use.
"""

from __future__ import annotations

import csv
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from glassnet.core.validation import DataError
from glassnet.data.csvscan import parse_options, scan
from glassnet.data.headers import named_header

NULLS = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NULL", "null", "None", "none", "?",
         "#N/A", "-nan", "-NaN"]


def read_csv(path: Path) -> Any:
    """The table in ``path``: a pandas DataFrame, or an Arrow table when pandas cannot read
    it or cannot be trusted with it (see the module's note). Raises :class:`DataError`
    naming the line of a row with the wrong number of fields, or what else is wrong."""
    frame = _read_pandas(path)
    return frame if frame is not None else read_arrow(path)


def _read_pandas(path: Path) -> Any:
    """The DataFrame, or None when pandas refuses the file or a row may lack fields."""
    import pandas as pd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # mixed chunks: checked later
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(path, na_values=NULLS, keep_default_na=False, index_col=False,
                             encoding="utf-8-sig")
        header, first = _head(path)
    except (ValueError, UnicodeDecodeError, csv.Error, pd.errors.ParserWarning):  # ParserError
        return None
    if len(header) != df.shape[1] or (first != len(header) and not (first == 0 and len(df) == 0)):
        return None  # a header pandas read otherwise, or a first row's extra "," dropped
    if df.shape[1] > 1 and len(df) and df.iloc[:, -1].isna().any():  # a short row's last cell
        quoted, commas, _ = scan(path)
        if quoted or commas != (df.shape[1] - 1) * (len(df) + 1):
            return None
    _text_again(path, df)
    df.columns = named_header(header)  # as written: pandas renames duplicates ("a.1")
    return df


def _text_again(path: Path, df: Any) -> None:
    """Columns pandas read as numbers in some chunks of rows and as text in others (a
    ``DtypeWarning``: ``010`` became ``10``), read again whole as text, as pyarrow would."""
    import pandas as pd

    mixed = [j for j, dtype in enumerate(df.dtypes) if dtype.kind == "O" and
             pd.api.types.infer_dtype(df.iloc[:, j], skipna=True) not in ("string", "boolean",
                                                                          "empty")]  # fmt: skip
    if mixed:
        text = pd.read_csv(path, usecols=mixed, dtype=str, na_values=NULLS, keep_default_na=False,
                           index_col=False, encoding="utf-8-sig")  # fmt: skip
        for k, j in enumerate(mixed):
            df.isetitem(j, text.iloc[:, k])


def _head(path: Path) -> tuple[list[str], int]:
    """The names in the first line (stripped), as written, and the number of fields of the
    first data row (0 when there is none)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = [name.strip() for name in next(rows, [])]
        first = next((row for row in rows if row and (len(row) > 1 or row[0].strip())), [])
    return header, len(first)


def read_arrow(path: Path, columns: list[str] | None = None) -> Any:
    """The table in ``path`` read by pyarrow (only ``columns``, as written, when given)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        with quiet_rows():
            table = pcsv.read_csv(
                path,
                parse_options=parse_options(path),
                convert_options=pcsv.ConvertOptions(null_values=NULLS, strings_can_be_null=True,
                                                    quoted_strings_can_be_null=True,
                                                    include_columns=columns or []),
                memory_pool=pa.default_memory_pool(),
            )
        table = table.rename_columns(named_header(table.column_names))
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


def _csv_error(path: Path, exc: Exception) -> DataError:
    """pyarrow's parse error, placed on the file's own line by reading it again."""
    text = str(exc)
    if "Empty CSV file" in text:
        return DataError(f"{path}: empty file (a header row is needed)")
    try:
        found = _records(path)
    except (csv.Error, UnicodeDecodeError) as err:
        return DataError(f"{path}: not a readable CSV file ({err})")
    if not found:  # pyarrow saw bytes that the csv module reads as no row at all
        return DataError(f"{path}: not a readable CSV file ({text.splitlines()[0]})")
    header, *records = found
    from glassnet.data.errors import check_commas

    try:  # a header of one column holding ';' or tabs: named so, whatever the rows hold
        check_commas(str(path), [h.strip() for h in header[1]], ())
    except DataError as err:
        return err
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
    header = named_header(records[0][1]) if records else []
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
