"""What a table column can be: ``"numeric"``, ``"category"``, or an error naming why not.

:func:`column_kind` judges a column of a :class:`~glassnet.data.frames.Frame`: numbers
are numeric, text and booleans categories; it raises :class:`DataError` for columns that
cannot be features (dates, time deltas, byte strings, IDs unique to every row:
:mod:`glassnet.data.id_columns`, numbers with stray text, numbers with thousands
separators or a unit: :mod:`glassnet.data.notation`).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Literal

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError
from glassnet.data.dates import SAMPLE, date_format
from glassnet.data.frames import Frame, fail
from glassnet.data.id_columns import ID_MIN_ROWS as ID_MIN_ROWS
from glassnet.data.id_columns import counting_columns as counting_columns
from glassnet.data.id_columns import counts_rows, id_words, looks_like_id
from glassnet.data.id_columns import record_numbers as record_numbers
from glassnet.data.notation import notation_error


class Unusable(DataError):
    """A column that cannot be a feature (an ID, dates, ...), to be left out with --drop:
    ``column`` its name, ``why`` the reason in words ("looks like an ID (...)")."""

    def __init__(self, frame: Frame, column: str, why: str, drop: str) -> None:
        super().__init__(f"{frame.where}: column {column!r} {why}{drop}")
        self.where, self.column, self.why = frame.where, column, why

Kind = Literal["numeric", "category"]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_TIME = re.compile(r"^-?(\d+ days?,? ?)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")  # 1 day 02:03:04


def column_kind(
    frame: Frame, name: str, values: Array, missing: Array, target: bool = False,
    counts: Array | None = None,
) -> Kind:
    """``"numeric"`` or ``"category"`` for a feature column, or a :class:`DataError`.

    Rules: numbers are numeric; text and booleans are categories; text cells that all read
    as numbers are numeric; a column where most cells are numbers and a few are not is an
    error naming the first stray cell; dates (ISO, and every format of
    :data:`glassnet.data.dates.FORMATS`), time deltas, byte strings, other objects, and
    IDs (text, or integers counting rows, unique to each of >= 20 rows) cannot be features.
    A ``target`` column is not checked for IDs. An ID is judged on the rows as read
    (``frame.n_read``, ``frame.counted``: rows without a target left out do not hide it).
    ``counts (N,)``: how many cells each row stands for (a column read as its distinct
    cells), default one each. A column that cannot be a feature raises :class:`Unusable`.
    """
    drop = f"; leave it out with {frame.leave_out(name)}" if not target else ""
    drop = drop or ", which cannot be a target"
    kind = values.dtype.kind
    if kind in "Mm":
        raise _refuse(frame, name, "holds dates or times", drop, target)
    if kind in "SV":
        raise _refuse(frame, name, f"holds {_dtype_words(kind)}", drop, target)
    if kind == "b":
        return "category"
    if kind in "iuf":
        if kind in "iu" and not target and (name in frame.counted or counts_rows(values)):
            raise _refuse(frame, name, id_words(name, frame.n_read), drop, target)
        return "numeric"
    present = np.flatnonzero(~missing)
    types = {type(v) for v in values[present]}
    if not types:
        return "numeric"  # every cell missing: a numeric column to be filled
    odd = [t for t in types if not issubclass(t, str | bool | np.bool_ | int | float | np.number)]
    if odd:
        i = int(next(i for i in present if type(values[i]) in odd))
        why = f"holds {_words(odd[0])} ({_shown(values[i])} at {frame.locate(i)})"
        raise _refuse(frame, name, why, drop, target)
    return _text_kind(frame, name, values, present, drop, target, counts)


def _words(kind: type) -> str:
    """What cells of Python type ``kind`` are, in words."""
    if issubclass(kind, _dt.date | _dt.time | _dt.timedelta):
        return "dates or times"
    if issubclass(kind, bytes):
        return "byte strings"
    if issubclass(kind, list | tuple | np.ndarray):
        return "lists"
    if issubclass(kind, dict):
        return "records (several fields per cell)"
    return f"{kind.__name__} values"


def _shown(value: Any) -> str:
    text = repr(value.tolist() if isinstance(value, np.ndarray) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def _dtype_words(kind: str) -> str:
    return "byte strings" if kind == "S" else "structured records"


def _refuse(frame: Frame, name: str, why: str, drop: str, target: bool) -> DataError:
    """The error for a column that cannot be a feature (:class:`Unusable`) or a target."""
    if target:
        return DataError(f"{frame.where}: column {name!r} {why}{drop}")
    return Unusable(frame, name, why, drop)


def typing_errors(uniques: Array, counts: Array) -> Array | None:
    """Which distinct text cells ``uniques (U,)`` of a column (found ``counts (U,)`` times)
    are typing errors in a column of numbers: a mask ``(U,)`` when most of its cells are
    numbers and some are not (the rule of :func:`column_kind`), else None."""
    stray = np.array([not _is_number(str(u)) for u in uniques], dtype=bool)
    n_stray = int(np.sum(counts[stray]))
    return stray if 0 < n_stray < int(np.sum(counts)) - n_stray else None


def _text_kind(
    frame: Frame, name: str, values: Array, present: Array, drop: str, target: bool,
    counts: Array | None = None,
) -> Kind:
    """Text cells: numbers written as text, categories, or one of the errors above."""
    cells = values[present]
    if any(isinstance(v, bool | np.bool_) for v in cells[:1]):
        return "category"
    text = cells.astype(str)
    uniques, first, inverse = np.unique(text, return_index=True, return_inverse=True)
    stray = np.array([not _is_number(u) for u in uniques], dtype=bool)
    if not stray.any():
        return "numeric"
    order = np.argsort(first[stray], kind="stable")  # as they first come in the file
    at = frame.locate(int(present[first[stray][order[0]]]))
    written = notation_error(frame.where, name, uniques[stray][order].tolist(), at, target, drop)
    if written is not None:  # 1,234,567 or 12.5%: numbers, not a category or an ID
        raise written
    weights = None if counts is None else np.asarray(counts)[present]
    if typing_errors(uniques, np.bincount(inverse.reshape(-1), weights)) is not None:
        i = present[first[stray].min()]
        raise fail(frame, name, i, f"holds numbers but also {values[i]!r}")
    others = uniques[stray][:SAMPLE]
    if all(_DATE.match(u) or _TIME.match(u) for u in others) or date_format(others):
        raise _refuse(frame, name, "holds dates or times", drop, target)
    n = len(text) + frame.n_read - frame.n_rows  # rows left out (no target) had IDs too
    if len(uniques) == len(text) and n >= ID_MIN_ROWS and not target:
        raise _refuse(frame, name, looks_like_id(n), drop, target)
    return "category"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


