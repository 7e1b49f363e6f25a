"""User text (class and column names) made short enough to draw or print.

Names come from the user's data and can be thousands of characters long, or hold
newlines. Figures, the report's tables and the terminal's tables show them shortened;
the files keep them whole (the model file, the predictions CSV, ``history.json``).
"""

from __future__ import annotations

from collections.abc import Iterable

WIDTH = 24  # characters of a name in a legend or a table column


def shorten(text: object, width: int = WIDTH) -> str:
    """``text`` on one line, at most ``width`` characters, ``...`` marking a cut.

    Raises ``ValueError`` for a ``width`` under 4 (no room for a character and the mark).
    """
    if width < 4:
        raise ValueError(f"width must be at least 4, got {width}")
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: width - 3] + "..."


def shorten_all(texts: Iterable[object], width: int = WIDTH) -> list[str]:
    """Each text shortened (:func:`shorten`), so that different names stay different.

    Names that the shortening makes equal (they differ only in spaces, newlines or past
    the cut: ``'benign'`` and ``'benign '``) are shown quoted as Python writes them
    (``'benign'``, ``'benign '``: what ``glassnet train``'s warning about look-alike labels
    shows) when the quoted names fit in ``width`` and tell them apart; otherwise they end
    in ``~1``, ``~2``, ... (no longer than ``width``), which :func:`name_key` explains.
    """
    texts = [str(t) for t in texts]
    short = [shorten(t, width) for t in texts]
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(short):
        groups.setdefault(s, []).append(i)
    out = list(short)
    for s, members in groups.items():
        if len(members) == 1:
            continue
        quoted = [repr(texts[i]) for i in members]
        if len(set(quoted)) == len(quoted) and max(map(len, quoted)) <= width:
            for i, q in zip(members, quoted, strict=True):
                out[i] = q
            continue
        for k, i in enumerate(members, start=1):
            tag = f"~{k}"
            out[i] = s[: width - len(tag)] + tag
    return out


def name_key(texts: Iterable[object], shown: list[str], width: int = 60) -> str:
    """One line that says which name each ``~N`` of :func:`shorten_all` stands for
    (``"benign~1 = class 1 'benign', benign~2 = class 2 'benign  '"``: the position in
    ``texts`` and the name quoted, cut at ``width``), or ``""`` when no name was tagged."""
    pairs = [
        f"{s} = class {i} {shorten(repr(str(t)), width)}"
        for i, (t, s) in enumerate(zip(texts, shown, strict=True))
        if _tagged(s)
    ]
    return "key: " + ", ".join(pairs) if pairs else ""


def _tagged(shown: str) -> bool:
    head, tilde, number = shown.rpartition("~")
    return bool(tilde and head and number.isdigit())
