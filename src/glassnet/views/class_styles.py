"""How the classes look in every figure: a colour, a marker and a legend name each.

Class 0 is drawn as red stars and class 1 as blue circles, as in the tutorial.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from glassnet.views.labels import shorten_all

# Class 0 = red stars, class 1 = blue circles, as in the tutorial; more classes cycle on.
CLASS_STYLES = [
    ("tab:red", "*"),
    ("tab:blue", "o"),
    ("tab:green", "s"),
    ("tab:orange", "^"),
    ("tab:purple", "D"),
    ("tab:brown", "v"),
    ("tab:pink", "P"),
    ("tab:gray", "X"),
    ("tab:olive", "<"),
    ("tab:cyan", ">"),
]


def class_style(c: int) -> tuple[str, str]:
    """The colour and marker of class ``c``."""
    return CLASS_STYLES[c % len(CLASS_STYLES)]


def class_names(t: NDArray[np.integer], names: Sequence[str] | None) -> list[str]:
    """A legend entry per class: ``names`` shortened, else ``class 0``, ``class 1``, ..."""
    classes = np.unique(t)
    if names is None:
        return [f"class {c}" for c in range(int(classes.max()) + 1)]
    return shorten_all(names)  # a legend entry per class; the model file keeps the full names


LEGEND_CLASSES = 10  # as many classes as styles; more share colours and markers


def class_legend(ax: Any, **kwargs: Any) -> None:
    """The legend of :func:`scatter_classes`' classes on ``ax`` (``kwargs`` as
    ``Axes.legend``'s): every class up to :data:`LEGEND_CLASSES`; beyond, the first
    ``LEGEND_CLASSES - 1`` and a last line ``... 204 more classes (colours repeat)``, so
    that the plot keeps its room (a legend of 200 entries leaves none to draw in)."""
    handles, labels = ax.get_legend_handles_labels()
    if len(handles) > LEGEND_CLASSES:
        from matplotlib.lines import Line2D

        keep = LEGEND_CLASSES - 1
        more = f"... {len(handles) - keep} more classes (colours repeat)"
        handles = [*handles[:keep], Line2D([], [], linestyle="none")]
        labels = [*labels[:keep], more]
    ax.legend(handles, labels, **kwargs)


def scatter_classes(
    ax: Any, points: NDArray[np.floating], t: NDArray[np.integer], names: Sequence[str] | None
) -> None:
    """``points (N, 2 or 3)`` on ``ax``, one colour, marker and legend entry per class."""
    labels = class_names(t, names)
    for c in np.unique(t):
        color, marker = class_style(int(c))
        pts = points[t == c]
        ax.scatter(
            *pts.T, c=color, marker=marker, s=40, edgecolors="k", linewidths=0.4,
            label=labels[int(c)],
        )  # fmt: skip
