"""A column or array named on the command line that the data file does not have.

:class:`UnknownColumn` is a :class:`DataError` (a ``ValueError`` to Python callers) that the
command line reports as a bad argument (exit code 2): ``--target``, ``--features`` or
``--drop`` naming a column the file lacks. Its message names the closest columns
(:func:`difflib.get_close_matches`) and lists the columns the file has. A CSV header read as
one column that holds another separator (semicolons, tabs, bars) is named as such instead
(:func:`check_commas`): the file, not the argument, is wrong (exit code 1), whatever its
data rows hold; numbers written with decimal commas (``1,5``, a European spreadsheet's
export) are named too (:func:`decimal_commas`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from glassnet.core.validation import DataError

LISTED = 30  # columns listed in the message; more are counted


class UnknownColumn(DataError):
    """``--target``/``--features``/``--drop`` (or a target array) the file does not have;
    ``name``: the column (None when not known)."""

    def __init__(self, message: str, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


def unknown_column(
    where: str, what: str, name: str, names: Sequence[str], listed: str | None = None
) -> UnknownColumn:
    """``data.csv: no target column 'lable'; did you mean 'label'? columns are a, b, label``
    (``what``: "target column", "column", "target array"; ``listed``: the list, when the
    caller words it)."""
    names = [str(n) for n in names]
    close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
    if listed is None:
        more = f" ... ({len(names)} in all)" if len(names) > LISTED else ""
        kind = "arrays" if "array" in what else "columns"
        listed = f"{kind} are {', '.join(names[:LISTED])}{more}"
    return UnknownColumn(f"{where}: no {what} {name!r}; {hint}{listed}", str(name))


SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def columns_are(header: list[str], where: str | None = None) -> str:
    """``columns are a, b, c``; a header read as one column that holds another separator
    says so (a CSV file separated by semicolons or tabs: glassnet reads commas), and that
    its numbers have decimal commas when the CSV file ``where`` shows some."""
    if len(header) == 1:
        for sep, name in SEPARATORS.items():
            if header[0].count(sep) >= 1:
                shown = header[0] if len(header[0]) <= 60 else header[0][:57] + "..."
                if where is not None and decimal_commas(where, sep):
                    return (f"the header is one column {shown!r} separated by {name}, and "
                            "its numbers have decimal commas (1,5); glassnet reads "
                            "comma-separated files with decimal points: save the file with "
                            "commas between fields and points in numbers")  # fmt: skip
                return (f"the header is one column {shown!r} separated by {name}; glassnet "
                        "reads comma-separated files: save the file with commas")  # fmt: skip
    return f"columns are {', '.join(header)}"


DECIMAL_COMMA = re.compile(r"^\s*\"?[-+]?\d+,\d+(?:[eE][-+]?\d+)?\"?\s*$")
SNIFFED_LINES = 50  # data lines looked at for decimal commas


def decimal_commas(where: str, sep: str) -> bool:
    """Whether the CSV file ``where``, separated by ``sep``, writes numbers with a decimal
    comma (a cell such as ``17,99`` in one of its first :data:`SNIFFED_LINES` data lines);
    False for anything that cannot be read."""
    path = Path(where)
    if path.suffix.lower() != ".csv":
        return False
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            next(f, None)  # the header
            for _, line in zip(range(SNIFFED_LINES), f, strict=False):
                if any(DECIMAL_COMMA.match(cell) for cell in line.rstrip("\r\n").split(sep)):
                    return True
    except OSError:
        return False
    return False


def check_commas(where: str, header: list[str], wanted: Iterable[str | None]) -> None:
    """Raise :class:`DataError` when a CSV's ``header`` was read as one column that holds
    another separator (a file separated by semicolons, tabs or bars) and is none of the
    ``wanted`` columns: the one diagnosis every command that reads a CSV gives (exit 1)."""
    if len(header) == 1 and header[0].strip() not in set(wanted):
        listed = columns_are(header, where)
        if "separated by" in listed:
            raise DataError(f"{where}: {listed}")


def absent(where: str, what: str, name: str, header: list[str]) -> DataError:
    """A column named that the file lacks: a bad argument (exit 2), but a bad file (exit 1)
    when the header was read as one column holding another separator."""
    listed = columns_are(header, where)
    if len(header) == 1 and "separated by" in listed:
        return DataError(f"{where}: no {what} {name!r}; {listed}")
    return unknown_column(where, what, name, header, listed)
