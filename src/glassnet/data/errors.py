"""A column or array named on the command line that the data file does not have.

:class:`UnknownColumn` is a :class:`DataError` (a ``ValueError`` to Python callers) that the
command line reports as a bad argument (exit code 2): ``--target``, ``--features`` or
``--drop`` naming a column the file lacks. Its message names the closest columns
(:func:`difflib.get_close_matches`) and lists the columns the file has.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

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
