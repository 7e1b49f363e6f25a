"""Counts in words: ``counted(1, "row")`` is ``"1 row"``, ``counted(3, "row")`` ``"3 rows"``.

Every message that puts a number before a noun goes through :func:`counted` (or
:func:`noun` where the number stands elsewhere), so none says "1 rows" or "row(s)".
"""

from __future__ import annotations

__all__ = ["counted", "noun"]

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
