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
    """Each text shortened; names that the cut makes equal end in ``~1``, ``~2``, ... so
    they stay distinct (and no longer than ``width``)."""
    short = [shorten(t, width) for t in texts]
    seen: dict[str, int] = {}
    for s in short:
        seen[s] = seen.get(s, 0) + 1
    counts: dict[str, int] = {}
    out = []
    for s in short:
        if seen[s] > 1:
            counts[s] = counts.get(s, 0) + 1
            tag = f"~{counts[s]}"
            s = s[: width - len(tag)] + tag
        out.append(s)
    return out
