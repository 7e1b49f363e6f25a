"""Figures: the data, the loss curve, the decision boundary and (from
:mod:`glassnet.views.hidden_projection`, importable from here too) the hidden-layer view.

Every function returns a ``matplotlib.figure.Figure`` built without ``pyplot`` (no
global figure state, no GUI backend, never ``show()``); save it with ``fig.savefig``.
This module imports matplotlib, so ``import glassnet`` does not import it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter
from numpy.typing import NDArray

from glassnet.views.class_styles import CLASS_STYLES, class_legend, class_style, scatter_classes
from glassnet.views.hidden_projection import pca as pca
from glassnet.views.hidden_projection import plot_hidden_projection as plot_hidden_projection
from glassnet.views.labels import fit_text

# documented here; pca and plot_hidden_projection in glassnet.views.hidden_projection
__all__ = ["CLASS_STYLES", "plot_dataset", "plot_decision_boundary", "plot_loss"]

FEW_POINTS = 20  # a loss curve of at most this many points gets a marker at each point


def plot_dataset(
    X: NDArray[np.floating],
    t: NDArray[np.integer],
    class_names: Sequence[str] | None = None,
    title: str = "Data",
) -> Figure:
    """Scatter plot of 2-D samples, one colour and marker per class."""
    fig = Figure(figsize=(5, 5), dpi=100)
    ax = fig.add_subplot()
    scatter_classes(ax, X[:, :2], t, class_names)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    ax.set_aspect("equal", adjustable="datalim")
    class_legend(ax, loc="upper right")
    ax.grid(alpha=0.3)
    fit_text(fig)
    fig.tight_layout()
    return fig


LOG_SPAN = 100.0  # a loss curve whose values span this factor or more is drawn on a log scale


def _spans_decades(curves: Sequence[Sequence[float] | None], span: float | None) -> bool:
    """Whether the finite values of ``curves`` are all positive and span ``span`` or more
    (never, for ``None``): on a linear axis the epochs after the fall (where early stopping
    decides) would lie flat on zero."""
    if span is None:
        return False
    values = np.array([v for c in curves if c is not None for v in c], dtype=float)
    values = values[np.isfinite(values)]
    return values.size > 1 and bool(values.min() > 0) and values.max() >= span * values.min()


def plot_loss(
    loss_history: Sequence[float],
    validation_history: Sequence[float] | None = None,
    xlabel: str = "iteration",
    ylabel: str = "loss",
    title: str = "Loss during training",
    marks: Sequence[tuple[str, int]] = (),
    first: int = 0,
    validation_ylabel: str | None = None,
    training_label: str = "training",
    log_span: float | None = LOG_SPAN,
) -> Figure:
    """The loss curve (and the validation loss, when given); point ``i`` is step
    ``first + i`` (step 0: the initial parameters; ``first=1``: a record without them).
    ``marks``: ``(label, step)`` pairs drawn as
    vertical lines, such as the best and the kept epoch. A curve of at most
    :data:`FEW_POINTS` points is drawn with a marker at each (a one-point curve, a run
    stopped at epoch 0, is its marker), and the steps are then whole numbers with half a
    step of room at each end. ``validation_ylabel``, when given, puts the validation curve
    on an axis of its own, on the right with that label: a validation loss in other units
    than the training loss's (:func:`glassnet.train.target_units.loss_axes`). Long labels
    are wrapped to fit (:func:`~glassnet.views.labels.fit_text`). ``training_label``: the
    training curve's legend entry (``"training (with the L2 penalty)"``). An axis whose
    curves are positive and span ``log_span`` (default :data:`LOG_SPAN`) or more has a log
    scale; ``log_span=None`` keeps both linear (the tutorial's figure)."""
    fig = Figure(figsize=(7, 4), dpi=100)
    ax = fig.add_subplot()
    steps = max(len(loss_history), len(validation_history or ()))
    marker = "o" if steps <= FEW_POINTS else None
    _curve(ax, training_label, loss_history, "b", marker, first)
    right = ax if validation_ylabel is None or validation_history is None else ax.twinx()
    if validation_history is not None:
        _curve(right, "validation", validation_history, "r", marker, first)
    for (label, step), style in zip(marks, ("g--", "k:", "m-."), strict=False):
        ax.axvline(step, color=style[0], linestyle=style[1:], linewidth=1.2, label=label)
    if validation_history is not None or marks or training_label != "training":
        ax.legend(handles=[h for a in dict.fromkeys((ax, right))
                           for h in a.get_legend_handles_labels()[0]])  # fmt: skip
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if validation_ylabel is not None and right is not ax:
        right.set_ylabel(validation_ylabel, color="r")
    ax.set_title(title)
    if marker is None:  # a mark at the last step stands clear of the frame
        last = first + max(steps - 1, 1)
        pad = 0.02 * (last - first) if any(step >= last for _, step in marks) else 0.0
        ax.set_xlim(first, last + pad)
    else:  # room for the markers at both ends; whole steps only
        ax.set_xlim(first - 0.5, first + max(steps - 1, 0) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for axis in dict.fromkeys((ax, right)):  # a log scale where a linear one hides the end
        shown = ([loss_history] if axis is ax else []) + (
            [validation_history] if axis is right else []
        )
        if _spans_decades(shown, log_span):
            axis.set_yscale("log")
        else:  # whole values on the ticks: an offset or a x1e-5 above would meet the title
            axis.yaxis.set_major_formatter(_plain_formatter())
    ax.grid(alpha=0.3)
    fit_text(fig)
    fig.tight_layout()
    return fig


def _plain_formatter() -> ScalarFormatter:
    formatter = ScalarFormatter(useOffset=False)
    formatter.set_scientific(False)
    return formatter


def _curve(
    ax: Any, label: str, values: Sequence[float], color: str, marker: str | None, first: int
) -> None:
    ax.plot(first + np.arange(len(values)), values, color=color, linestyle="-", linewidth=1.5,
            marker=marker, markersize=4, label=label)  # fmt: skip


def plot_decision_boundary(
    predict: Callable[[NDArray[np.floating]], NDArray[np.integer]],
    X: NDArray[np.floating],
    t: NDArray[np.integer],
    resolution: int = 200,
    margin: float = 0.25,
    class_names: Sequence[str] | None = None,
    title: str = "Decision boundary",
) -> Figure:
    """The classifier's decision over the input plane, with the samples on top.

    ``predict`` maps points ``(M, 2)`` to class labels ``(M,)``.
    """
    if X.shape[1] != 2:
        raise ValueError(f"a decision boundary needs 2-D inputs, got {X.shape[1]} features")
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    g1, g2 = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    grid = np.column_stack([g1.ravel(), g2.ravel()])  # (resolution**2, 2)
    decision = np.asarray(predict(grid)).reshape(g1.shape)
    n_classes = int(max(decision.max(), t.max())) + 1
    colors = [class_style(c)[0] for c in range(n_classes)]
    fig = Figure(figsize=(5, 5), dpi=100)
    ax = fig.add_subplot()
    levels = np.arange(n_classes + 1) - 0.5  # one band per class label
    ax.contourf(g1, g2, decision, levels=levels, cmap=ListedColormap(colors), alpha=0.25)
    scatter_classes(ax, X, t, class_names)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    class_legend(ax, loc="upper right")
    fit_text(fig)
    fig.tight_layout()
    return fig
