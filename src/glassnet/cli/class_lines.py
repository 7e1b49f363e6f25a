"""The class labels on one line, as ``glassnet train``'s task line and the training report's
task row show them: quoted as the data spells them, long ones shortened as ``evaluate``'s
tables shorten them, with a key to the tagged ones."""

from __future__ import annotations

from glassnet.core._types import Array


def class_list(classes: Array, width: int = 80) -> str:
    """The class labels as :func:`classes_shown` shows them (without its key)."""
    return classes_shown(classes, width)[0]


def classes_shown(classes: Array, width: int = 80) -> tuple[str, str]:
    """The class labels as the data spells them (``repr``, so that ``'benign '`` shows its
    space), as many as fit ``width`` terminal columns (``'花'`` takes two), and the key line of
    :func:`~glassnet.views.labels.name_key` (``""`` when no name is tagged). A label whose
    ``repr`` is longer than 24 characters is shortened as ``evaluate``'s tables shorten it
    (:func:`~glassnet.views.labels.shorten_all`): cut with ``...``, and names that would
    then look alike tagged ``~1``, ``~2``, which the key names in full."""
    from glassnet.core.wording import display_width
    from glassnet.views.labels import WIDTH, name_key, shorten_all

    raw = [c.item() if hasattr(c, "item") else c for c in classes]
    short = shorten_all(raw, WIDTH)
    names = [repr(r) if len(repr(r)) <= WIDTH else s for r, s in zip(raw, short, strict=True)]
    shown: list[str] = []
    for n in names:
        if shown and display_width(", ".join([*shown, n])) > width:  # terminal columns
            break
        shown.append(n)
    more = f", ... ({len(names) - len(shown)} more)" if len(shown) < len(names) else ""
    key = name_key(raw[: len(shown)], names[: len(shown)])
    return ", ".join(shown) + more, key
