"""Whether the CSV that ``predict --out`` names is a table ``glassnet predict`` wrote
earlier with other ``--keep`` columns (NU13 #1): its header opens with columns of the
``--data`` table (those an earlier ``--keep`` named), then predict's own columns
(``prediction``, or ``prediction_<target>`` for several targets, then ``proba_<class>``
with ``--proba``). Such a file is predict's own kind, so predict replaces it and names it
as replaced; one whose opening columns the data do not hold stays refused (it may be a
table of the user's that merely ends in a ``prediction`` column).
"""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["kept_before", "opening_columns", "table_columns"]


def kept_before(out: Path, data: str | None) -> tuple[str, ...] | None:
    """The columns ``out``'s header opens with before its first ``prediction`` column,
    when there are some, none repeats and each is a column of the table ``data``; else
    None. (Whether the rest is predict's header is :func:`run_file_kind`'s to say.)"""
    opening = opening_columns(out)
    columns = table_columns(data)
    return opening if opening and columns is not None and set(opening) <= columns else None


def opening_columns(out: Path) -> tuple[str, ...] | None:
    """The columns ``out``'s CSV header opens with before its first ``prediction`` column
    (as an earlier ``predict --keep`` wrote them), when there are some and none repeats;
    else None."""
    header = _csv_header(out)
    if header is None:
        return None
    first = next((i for i, c in enumerate(header) if c == "prediction"
                  or c.startswith("prediction_")), 0)  # fmt: skip
    opening = tuple(header[:first])
    return opening if opening and len(set(opening)) == len(opening) else None


def _csv_header(path: Path) -> list[str] | None:
    """The cells of the first line of the CSV file ``path`` (None when unreadable)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def table_columns(data: str | None) -> set[str] | None:
    """The column names of the table ``data`` (CSV, or Parquet read from its footer; a
    CSV's names also with surrounding spaces stripped); None for standard input, an array
    file or a table that cannot be read."""
    if not data or data == "-":
        return None
    path = Path(data)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq

            return {str(n) for n in pq.read_schema(path).names}
        except (ImportError, OSError, ValueError):
            return None
    if suffix in (".npz", ".npy") or not path.is_file():
        return None
    header = _csv_header(path)
    return {c.strip() for c in header} | set(header) if header else None
