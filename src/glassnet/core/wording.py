"""Counts in words: ``counted(1, "row")`` is ``"1 row"``, ``counted(3, "row")`` ``"3 rows"``.

Every message that puts a number before a noun goes through :func:`counted` (or
:func:`noun` where the number stands elsewhere), so none says "1 rows" or "row(s)".
Every text table pads its cells with :func:`pad`, by the columns a terminal gives the text
(:func:`display_width`: ``'花'`` takes two, a combining accent none), not by code points.
"""

from __future__ import annotations

import unicodedata

__all__ = ["counted", "display_width", "noun", "pad"]

_IRREGULAR = {
    "entry": "entries", "epoch": "epochs", "was": "were", "is": "are", "holds": "hold",
}  # fmt: skip


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """``singular`` for ``n == 1``, else ``plural`` (by default English's regular plural:
    ``class`` -> ``classes``, ``row`` -> ``rows``; a few irregular words known)."""
    if n == 1:
        return singular
    if plural is not None:
        return plural
    if singular in _IRREGULAR:
        return _IRREGULAR[singular]
    if singular.endswith(("s", "x", "ch", "sh")):  # epoch: irregular above
        return singular + "es"
    if singular.endswith("y") and singular[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return singular[:-1] + "ies"  # category -> categories; day -> days
    return singular + "s"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``"<n> <noun>"`` with the noun agreeing with ``n`` (see :func:`noun`)."""
    return f"{n} {noun(n, singular, plural)}"


def display_width(text: str) -> int:
    """The terminal columns ``text`` takes: two for an East Asian wide or fullwidth
    character (``unicodedata.east_asian_width`` ``'W'``/``'F'``: ``'花'``, most emoji),
    none for a combining mark or a format character (``'e\\u0301'`` is one column), one
    for any other (ambiguous-width characters are taken as narrow, as Western terminals do)."""
    total = 0
    for c in text:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return total


def pad(text: str, width: int, align: str = ">") -> str:
    """``text`` padded with spaces to ``width`` terminal columns (:func:`display_width`):
    on the left for ``align`` ``">"`` (right-aligned), else on the right; never cut."""
    room = " " * max(0, width - display_width(text))
    return room + text if align == ">" else text + room
