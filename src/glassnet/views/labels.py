"""User text (class and column names) made short enough to draw or print.

Names come from the user's data and can be thousands of characters long, or hold
newlines. Figures, the report's tables and the terminal's tables show them shortened;
the files keep them whole (the model file, the predictions CSV, ``history.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters (at spaces where it can)."""
    import textwrap

    if len(text) <= width or "$" in text:  # mathtext is never broken
        return text
    return "\n".join(textwrap.wrap(text, max(width, 8), break_on_hyphens=False))


def fit_text(fig: Any) -> None:
    """Wrap every title and axis label of the matplotlib figure ``fig`` to the length its
    axes give it (a y label to the axes' height, a title or x label to their width, the
    figure's title to its width), so a long label (a loss unit, a column name) is drawn
    on several lines inside the figure instead of running off its edges. Call it before
    ``tight_layout``, which then makes room for the extra lines."""
    width_in, height_in = fig.get_size_inches()
    for ax in fig.axes:
        box = ax.get_position()
        across, up = box.width * width_in, box.height * height_in
        title = min(width_in * 0.9, 1.5 * across)  # a title may reach past its axes
        for text, inches in ((ax.title, title), (ax.xaxis.label, across), (ax.yaxis.label, up)):
            text.set_text(wrap(text.get_text(), _chars(inches, text.get_fontsize())))
    top = getattr(fig, "_suptitle", None)
    if top is not None:
        top.set_text(wrap(top.get_text(), _chars(width_in, top.get_fontsize())))


def _chars(inches: float, fontsize: float) -> int:
    """Characters of a line ``inches`` long at ``fontsize`` points (about 0.55 em each, with
    a tenth to spare)."""
    return int(0.9 * inches * 72 / (0.55 * fontsize))
