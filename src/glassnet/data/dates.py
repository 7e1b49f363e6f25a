"""Is a column of text cells dates? Every distinct cell read by one ``strptime`` format.

:func:`date_format` names the one format (of :data:`FORMATS`: day-month-year orders with
``/``, ``.``, ``-`` or spaces, month names, year-month, each optionally with a time of day)
that reads every cell given, or None. A cell must hold a four-digit year (or a two-digit
one after a ``/``), so numbers and version strings (``2021``, ``1.5``, ``1.2.30``) are not
dates; ISO dates and clock times are matched by :mod:`glassnet.data.kinds` itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

_DAYS = ("%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%m/%d/%y", "%d/%m/%y", "%d.%m.%Y", "%Y.%m.%d",
         "%d-%m-%Y", "%m-%d-%Y", "%Y%m%d", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y",
         "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b, %Y", "%a, %d %b %Y",
         "%a %b %d %Y", "%b %Y", "%B %Y", "%b-%Y", "%b-%y", "%Y-%m", "%Y/%m", "%m/%Y",
         "%m.%Y", "%b. %d, %Y")  # fmt: skip
_TIMES = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", " %I:%M %p", " %I:%M:%S %p",
          "T%H:%M", "T%H:%M:%S", "T%H:%M:%S.%f", ", %H:%M", ", %I:%M %p")  # fmt: skip
FORMATS = tuple(day + time for day in _DAYS for time in _TIMES)
_DATE_LIKE = re.compile(r"^[\w.,:/ +-]{4,40}$")  # what any of them can read, at a glance
_YEAR = re.compile(r"\d{4}|/\d{2}\b|-\d{2}$")  # a year of four digits, or 03/15/21, Jan-21
SAMPLE = 200  # distinct cells tried (every one must read)


def date_format(cells: Iterable[str]) -> str | None:
    """The one format of :data:`FORMATS` that reads every one of ``cells`` (the first
    :data:`SAMPLE` distinct ones), or None: none does, a cell holds no year, or there
    are no cells."""
    texts = [str(c).strip() for c in cells][:SAMPLE]
    if not texts or not all(_DATE_LIKE.match(t) and _YEAR.search(t) for t in texts):
        return None
    for fmt in FORMATS:
        if all(_reads(t, fmt) for t in texts):
            return fmt
    return None


def _reads(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True
