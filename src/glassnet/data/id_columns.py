"""ID columns: whole numbers or text with a different value in every row, no features.

:func:`glassnet.data.kinds.column_kind` refuses a column that looks like an ID (in the
words of :func:`id_words`); :func:`counting_columns` finds the integer columns that count
a table's rows before rows are left out, :func:`record_numbers` those unique to each row
that do not count them (worth a warning).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.data.frames import Frame

ID_MIN_ROWS = 20  # an ID column must be unique over at least this many rows to be called one
_UNNAMED = re.compile(r"^Unnamed: \d+$")  # an empty header, named as pandas names it


def counts_rows(values: Array) -> bool:
    """Whether whole numbers ``values (N,)`` count rows: N >= :data:`ID_MIN_ROWS` distinct
    values, consecutive (1..N, 0..N-1, 1001..1000+N, in any order)."""
    n = len(values)
    return (
        n >= ID_MIN_ROWS
        and int(values.max()) - int(values.min()) == n - 1
        and (len(np.unique(values)) == n)
    )


def counting_columns(frame: Frame, names: Any) -> frozenset[str]:
    """The integer columns of ``names`` that count the rows of ``frame`` (IDs), judged on
    these rows: kept as :attr:`Frame.counted` when rows are left out (rows without a target),
    so an ID that counted the rows as read is still refused."""
    found = set()
    for name in (n for n in names if _integer_column(frame, n)):  # other columns: unread
        values, missing = frame.values(name)
        if values.dtype.kind in "iu" and not missing.any() and counts_rows(values):
            found.add(str(name))
    return frozenset(found)


def _integer_column(frame: Frame, name: str) -> bool:
    """Whether column ``name`` is stored as integers (from its type, without reading it)."""
    source = frame.source
    if hasattr(source, "schema"):  # Arrow: int8 ... uint64
        return str(source.schema.field(name).type).startswith(("int", "uint"))
    return getattr(source[name].dtype, "kind", "O") in "iu"  # pandas


def id_words(name: str, n: int) -> str:
    """Why an integer column counting the ``n`` rows is no feature: an ID; under an empty
    header (``Unnamed: i``, see :func:`glassnet.data.frames.named_header`), the row index
    that pandas' ``df.to_csv(path)`` writes."""
    if _UNNAMED.match(name):
        return (f"{looks_like_id(n)}: a row index under an empty header, as "
                "pandas' df.to_csv(path) writes (index=False leaves it out)")  # fmt: skip
    return looks_like_id(n)


def looks_like_id(n: int) -> str:
    """Why a column with a different value in each of its ``n`` rows is no feature."""
    return f"looks like an ID (a different value in each of its {n} rows)"


def record_numbers(frame: Frame, names: Any) -> list[str]:
    """The columns of ``names`` that hold whole numbers, a different one in each of at
    least :data:`ID_MIN_ROWS` rows, not counting rows (those are IDs, refused): record
    numbers, maybe, or a real quantity; worth a warning, not an error."""
    found = []
    for name in names:
        values, missing = frame.values(name)
        if values.dtype.kind in "iu" and not missing.any() and len(values) >= ID_MIN_ROWS:
            if len(np.unique(values)) == len(values):
                found.append(str(name))
    return found
