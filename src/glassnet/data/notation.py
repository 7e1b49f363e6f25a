"""Numbers written in a notation a table reader does not take as numbers: thousands
separators (``1,234,567``, ``1.234.567``, ``1 234``) and a unit sign or word before or after
the number (``12.5%``, ``$123.45``, ``€5``, ``-$3``, ``1.2e3 kg``, ``US$ 7``, ``21.5 °C``).

:func:`notation_error` judges a text column's distinct cells that are not numbers: when all
of them are numbers in one such notation it returns the error naming the column, the first
such cell's line and value, and how to write it (the column is refused, never taken for an
ID or one-hot encoded as categories). A unit is one that every such cell shares: a currency
sign (Unicode category ``Sc``, alone or in ``US$``, ``HK$``), ``%``, ``‰``, ``°`` (``°C``),
or a unit word of :data:`UNIT_WORDS` (``kg``, ``km``, ``ms``, ``USD``, ...). Other words
before a number (``Q1``, ``Grade 3``, ``P00017``) are categories or IDs, judged elsewhere.
"""

from __future__ import annotations

import re
import unicodedata

from glassnet.core.validation import DataError

GROUPED = re.compile(r"^[+-]?\d{1,3}((,\d{3})+(\.\d+)?|(\.\d{3})+(,\d+)?|( \d{3})+([.,]\d+)?)$")
_AFFIXED = re.compile(
    r"^(?P<sign>[+-]?)(?P<pre>[^\d.+-]*?)\s*"
    r"(?P<num>[+-]?(?:\d[\d,. ]*\d|\d|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<post>[^\d]*?)$"
)
_SIGNS = "%‰‱°"
_COMMAS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234.5
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$")  # 1.234,5 or 6,50
CURRENCY_WORDS = frozenset("usd eur gbp jpy chf cad aud cny inr".split())
UNIT_WORDS = CURRENCY_WORDS | frozenset(
    "pct percent kg g mg lb lbs oz km m cm mm mi ft yd sec s ms min h hr hrs yr yrs "
    "l ml kwh wh kw mw w v mv hz khz mhz ghz kb mb gb tb px mph kph".split()
)


def notation_error(
    where: str, name: str, stray: list[str], at: str, target: bool, drop: str
) -> DataError | None:
    """The error for a column whose distinct cells that are not numbers, ``stray`` (in the
    order they first come; the first at ``at``, ``"line 3"``), are all numbers with
    thousands separators or all numbers with one unit (else None). ``drop``: how to leave
    the column out (``"; leave it out with --drop x"``), not offered for a ``target``."""
    other = "" if target else drop.replace(";", ", or")
    shown = f"{stray[0]!r} at {at}"
    if all(GROUPED.match(s) for s in stray):  # 1,234,567: one number, not a category
        return DataError(f"{where}: column {name!r} holds numbers with thousands separators "
                         f"({shown}); write them without (1234567){other}")  # fmt: skip
    parts = [_affixed(s) for s in stray]
    units = {p[1] for p in parts if p is not None}
    if None in parts or len(units) != 1 or not _is_unit(*units.pop()):
        return None
    number, (pre, post) = parts[0]  # type: ignore[misc]
    return DataError(f"{where}: column {name!r} holds numbers written with the unit "
                     f"{pre or post!r} ({shown}); write them as plain numbers ({number})"
                     f"{other}")  # fmt: skip


def _affixed(text: str) -> tuple[str, tuple[str, str]] | None:
    """``(number, (prefix, suffix))`` of a number written with something before or after
    it (``'-$1,234.5'`` -> ``('-1234.5', ('$', ''))``), else None."""
    found = _AFFIXED.match(text.strip())
    if found is None:
        return None
    pre, post = found["pre"].strip(), found["post"].strip()
    plain = _plain(found["num"])
    try:
        float(plain)
    except ValueError:
        return None
    if not (pre or post) or (pre and post):
        return None
    sign = "-" if (found["sign"] == "-") != plain.startswith("-") else ""
    return sign + plain.lstrip("+-"), (pre, post)


def _plain(num: str) -> str:
    """A number as Python writes it: ``1,234.5``, ``1.234,5``, ``1 234,5``, ``1.234.567``
    -> ``1234.5``, ..., ``6,50`` -> ``6.50`` (a comma for the point); ``1.234`` stays."""
    if " " in num:
        num = num.replace(" ", "") if GROUPED.match(num) else num
    if _COMMAS.match(num):
        return num.replace(",", "")
    if _DECIMAL_COMMA.match(num) or (num.count(".") > 1 and GROUPED.match(num)):
        return num.replace(".", "").replace(",", ".")
    return num


def _is_unit(pre: str, post: str) -> bool:
    """Whether ``pre`` or ``post`` (one of them empty) is a unit: a currency sign or word
    before or after the number; ``%``, ``°C`` or a unit word of :data:`UNIT_WORDS` after."""
    affix = pre or post
    if any(unicodedata.category(c) == "Sc" for c in affix):
        return True
    if pre:
        return pre.lower() in CURRENCY_WORDS
    return any(c in _SIGNS for c in post) or post.lower() in UNIT_WORDS
