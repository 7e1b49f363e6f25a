"""Figures for the report: activation maps, diagnostics, the loss landscape, plateaus.

Like :mod:`glassnet.views.plotting`, every function returns a ``matplotlib.figure.Figure``
built without ``pyplot`` and never shows it. This module imports matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.views.diagnostics import DiagnosticsRecord, Plateau
from glassnet.views.diagnostics_summary import DiagnosticsSummary
from glassnet.views.labels import fit_text
from glassnet.views.landscape import LossSlice
from glassnet.views.landscape_plane import line_parts
from glassnet.views.plotting import plot_loss

MAX_UNITS_SHOWN = 8  # activation maps per hidden layer


def input_grid(X: Array, resolution: int, margin: float = 0.25) -> tuple[Array, Array, Array]:
    """A grid over the 2-D input plane: ``g1, g2 (R, R)`` and the points ``(R*R, 2)``."""
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    g1, g2 = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    return g1, g2, np.column_stack([g1.ravel(), g2.ravel()])


def plot_activation_maps(
    net: Network, params: ParamList, X: Array, t: Array, resolution: int = 60
) -> Figure:
    """One small heatmap per hidden unit (rows: layers): its activation over the input plane.

    Shows at most ``MAX_UNITS_SHOWN`` units per layer; the samples are drawn on top.
    """
    if X.shape[1] != 2:
        raise ValueError(f"activation maps need 2-D inputs, got {X.shape[1]} features")
    g1, g2, grid = input_grid(X, resolution)
    hidden = net.hidden_activations(params, grid)  # one (R*R, H_l) per layer
    cols = min(max(A.shape[1] for A in hidden), MAX_UNITS_SHOWN)
    fig = Figure(figsize=(2.2 * cols + 0.6, 2.2 * len(hidden) + 0.4), dpi=100)
    axes = fig.subplots(len(hidden), cols, squeeze=False)
    for layer, A in enumerate(hidden):
        for unit in range(cols):
            ax = axes[layer][unit]
            ax.set_xticks([])
            ax.set_yticks([])
            if unit >= A.shape[1]:
                ax.set_axis_off()
                continue
            ax.pcolormesh(g1, g2, A[:, unit].reshape(g1.shape), cmap="viridis", shading="auto")
            ax.scatter(*X.T, c=np.where(t == 0, "tab:red", "white"), s=4, linewidths=0)
            ax.set_title(f"layer {layer + 1}, unit {unit + 1}", fontsize=8)
    fig.suptitle("Hidden-unit activations over the input plane", fontsize=10)
    fit_text(fig)
    fig.tight_layout()
    return fig


def plot_loss_with_plateaus(
    loss: Sequence[float],
    plateaus: Sequence[Plateau],
    validation: Sequence[float] | None = None,
    xlabel: str = "iteration",
    title: str = "Loss during training",
    marks: Sequence[tuple[str, int]] = (),
    ylabel: str = "loss",
    first: int = 0,
    validation_ylabel: str | None = None,
    training_label: str = "training",
) -> Figure:
    """The loss curve with each detected plateau (in steps) shaded and labelled; ``marks``,
    ``first`` (the step of point 0), ``validation_ylabel`` and ``training_label`` as in
    :func:`glassnet.views.plotting.plot_loss`."""
    fig = plot_loss(loss, validation, xlabel=xlabel, ylabel=ylabel, title=title, marks=marks,
                    first=first, validation_ylabel=validation_ylabel,
                    training_label=training_label)  # fmt: skip
    ax = fig.axes[0]
    for p in plateaus:
        ax.axvspan(p.start, p.end, color="tab:orange", alpha=0.2)
        ax.annotate(
            f"plateau ~{p.level:.4g}",
            ((p.start + p.end) / 2, p.level),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=8,
        )
    return fig


def plot_diagnostics(
    record: DiagnosticsRecord | DiagnosticsSummary, xlabel: str = "iteration"
) -> Figure:
    """Per-layer gradient norms (log scale) and unit health over training: of a record, its
    :class:`~glassnet.views.diagnostics_summary.DiagnosticsSummary`'s curves (every step up
    to ``MOST_POINTS`` of them, else that many evenly spaced), as a stored summary draws."""
    s = record if isinstance(record, DiagnosticsSummary) else DiagnosticsSummary.of(record)
    fig = Figure(figsize=(9, 3.6), dpi=100)
    ax_g, ax_h = fig.subplots(1, 2)
    norms = np.asarray(s.curve_norms, dtype=np.float64)  # (P, layers)
    steps = np.asarray(s.curve_steps)
    for layer in range(norms.shape[1]):
        ax_g.plot(steps, np.maximum(norms[:, layer], 1e-300), label=f"layer {layer + 1}")
    ax_g.set_yscale("log")
    ax_g.set_title("Gradient norm per layer")
    health = np.asarray(s.curve_health, dtype=np.float64).reshape(len(steps), -1)  # (P, hidden)
    for layer, kind in enumerate(s.health_kinds):
        ax_h.plot(steps, 100 * health[:, layer], label=f"hidden {layer + 1}: {kind}")
    ax_h.set_ylim(-2, 102)
    ax_h.set_title("Saturated / dead units (%)")
    for ax in (ax_g, ax_h):
        ax.set_xlabel(xlabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fit_text(fig)
    fig.tight_layout()
    return fig


def plot_landscape(
    s: LossSlice, title: str = "Loss landscape", centre: str = "the centre",
    cut: int | None = None,
) -> Figure:  # fmt: skip
    """Filled contours of the loss slice (log-spaced levels) with the training path (its
    start a circle, its last point a star) and the slice's centre ``(0, 0)`` marked (an X,
    labelled ``centre``: for example the kept parameters). ``cut``: the path's points
    ``cut - 1`` and ``cut`` are not consecutive (the epochs between were not recorded, as
    in a resumed run): no line joins them."""
    fig = Figure(figsize=(6, 5), dpi=100)
    ax = fig.add_subplot()
    floor = max(float(s.loss.min()), 1e-12)
    levels = np.geomspace(floor, max(float(s.loss.max()), floor * 1.01), 20)
    cs = ax.contourf(s.alphas, s.betas, np.maximum(s.loss, floor), levels=levels, cmap="magma")
    fig.colorbar(cs, ax=ax, label="loss", format="%.3g")
    if len(s.path):
        parts = [s.path] if cut is None else [s.path[:cut], s.path[cut:]]
        span = max(float(np.ptp(s.alphas)), float(np.ptp(s.betas)))
        named = False  # the legend names the path once, and only where it shows as a line
        for part in parts:
            shows = bool(line_parts(part, None, span)) and not named
            ax.plot(*part.T, "-", color="cyan", linewidth=1.2,
                    label="training path" if shows else None)  # fmt: skip
            named = named or shows
        ax.plot(*s.path[0], "o", color="white", markeredgecolor="k", label="start (epoch 0)")
        ax.plot(*s.path[-1], "*", color="yellow", markeredgecolor="k", ms=12,
                label="end (the last epoch)")  # fmt: skip
    ax.plot(0.0, 0.0, "X", color="tab:red", markeredgecolor="w", ms=10, label=centre)
    ax.set_xlabel(s.labels[0])
    ax.set_ylabel(s.labels[1])
    ax.set_title(title)
    fit_text(fig)
    _legend_below(ax)  # after fit_text: below the x label's lines
    fig.tight_layout()
    return fig


def _legend_below(ax: Axes) -> None:
    """The legend under the axes, below the tick labels and the (wrapped) x label: the
    training path, its markers and the centre can lie anywhere in the slice, its corners
    included, so a box inside the axes would cover some of them; below, it covers none
    (``tight_layout`` then makes room for it)."""
    tick = ax.xaxis.get_major_ticks()[0]
    label = ax.xaxis.label
    lines = label.get_text().count("\n") + 1
    sizes = float(tick.label1.get_fontsize()) + lines * float(label.get_fontsize())
    pads = tick.get_tick_padding() + float(rcParams["xtick.major.pad"]) + ax.xaxis.labelpad + 4
    below = pads + 1.2 * sizes  # points from the axes' bottom edge to below the x label
    fig = ax.get_figure()
    shift = ScaledTranslation(0, -below / 72, fig.dpi_scale_trans)  # type: ignore[union-attr]
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=ax.transAxes + shift,
              ncol=2, fontsize=8, borderaxespad=0)  # fmt: skip
