"""Figures of a population: how final losses spread, and every member's curve.

Every function returns a ``matplotlib.figure.Figure`` built without ``pyplot``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from glassnet.core._types import Array
from glassnet.train.starts import StartsResult
from glassnet.views import report_html as h
from glassnet.views.labels import fit_text


def plot_final_losses(final_loss: Mapping[str, Array], title: str, xlabel: str) -> Figure:
    """Histograms of each group's final losses ``(n,)`` on shared, logarithmic bins."""
    fig = Figure(figsize=(7, 4), dpi=100)
    ax = fig.add_subplot()
    values = np.concatenate([np.asarray(v, float) for v in final_loss.values()])
    values = values[np.isfinite(values) & (values > 0)]
    lo, hi = (values.min(), values.max()) if len(values) else (1e-3, 1.0)
    bins = np.geomspace(lo, hi * 1.0001 if hi > lo else lo * 10, 40)
    for (name, losses), color in zip(
        final_loss.items(), ("tab:red", "tab:blue", "tab:green"), strict=False
    ):
        ax.hist(
            np.asarray(losses, float),
            bins=list(bins),
            alpha=0.55,
            color=color,
            label=f"{name} ({len(losses)})",
        )
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("starts")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    fit_text(fig)  # long labels wrapped inside the figure
    fig.tight_layout()
    return fig


def plot_member_curves(
    curves: Array,
    labels: Sequence[str],
    title: str,
    ylabel: str,
    highlight: int | None = None,
    *,
    first_epoch: int = 1,
    kept: Array | None = None,
) -> Figure:
    """Every member's curve ``curves (E, K)`` against the epoch (row ``i`` is epoch
    ``first_epoch + i``; 0: the initial parameters), ``highlight`` drawn bold, each
    member's ``kept (K,)`` epoch a dot on its curve in the curve's colour. Labels (one per
    member) show in the legend when there are at most 10 members (else the bold one's)."""
    fig = Figure(figsize=(8, 4.5), dpi=100)
    ax = fig.add_subplot()
    c = np.where(np.isfinite(curves), curves, np.nan)
    epochs = np.arange(first_epoch, first_epoch + c.shape[0])
    K = c.shape[1]
    for k in range(K):
        bold = k == highlight
        (line,) = ax.plot(epochs, c[:, k], linewidth=2.5 if bold else 0.9,
                          alpha=1.0 if bold else 0.6,
                          label=labels[k] if bold or K <= 10 else None)  # fmt: skip
        e = None if kept is None else int(kept[k]) - first_epoch
        if e is not None and 0 <= e < len(c) and np.isfinite(c[e, k]):
            ax.plot([e + first_epoch], [c[e, k]], linestyle="none", marker="o",
                    color=line.get_color(), markersize=6 if bold else 4)  # fmt: skip
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs
    ax.set_xlabel("epoch (0: the initial parameters)" if first_epoch == 0 else "epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if highlight is not None or K <= 10:
        ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fit_text(fig)  # long labels wrapped inside the figure
    fig.tight_layout()
    return fig


def plot_ensemble_loss(
    loss: Array,
    val_loss: Array | None,
    title: str,
    *,
    first_epoch: int = 1,
    kept: Array | None = None,
    best: Array | None = None,
    units: tuple[str, str | None] | None = None,
    training_label: str | None = None,
) -> Figure:
    """Every member's training (and validation) loss per epoch ``(E, K)``, thin, over the
    spread between the members (min to max, shaded) and its median (bold); row ``i`` is
    epoch ``first_epoch + i`` (0: the initial parameters). ``kept (K,)``: each member's kept
    epoch, a dot on its curves; ``best (K,)``: its lowest monitored loss, a cross where it
    differs from the kept one. NaN or inf (a member that stopped or diverged) leaves a gap.
    ``training_label``: the legend entry of the members' training curves (``"each member
    (with the L2 penalty)"``; None: no entry). ``units``: the y labels
    (:func:`glassnet.train.target_units.loss_axes`: both curves', or the training and the
    validation curve's own); None: the curves' names."""
    train_unit, val_unit = units or (None, None)
    panels = [("training loss", loss, train_unit)] + (
        [("validation loss", val_loss, val_unit or train_unit)] if val_loss is not None else []
    )
    fig = Figure(figsize=(5 * len(panels) + 1, 4.2), dpi=100)
    for i, (name, curves, unit) in enumerate(panels, 1):
        ax = fig.add_subplot(1, len(panels), i)
        c = np.where(np.isfinite(curves), curves, np.nan)
        epochs = np.arange(first_epoch, first_epoch + c.shape[0])
        rows = ~np.isnan(c).all(axis=1)  # epochs some member trained
        lo, mid, hi = (np.full(len(c), np.nan) for _ in range(3))
        lo[rows], mid[rows], hi[rows] = (
            f(c[rows], axis=1) for f in (np.nanmin, np.nanmedian, np.nanmax)
        )
        ax.fill_between(epochs, lo, hi, color="tab:blue", alpha=0.18, label="spread (min to max)")
        lines = ax.plot(epochs, c, color="tab:blue", linewidth=0.7, alpha=0.5)
        if i == 1 and training_label and lines:  # the training panel's members
            lines[0].set_label(training_label)
        ax.plot(epochs, mid, color="black", linewidth=2.0, label="median")
        _mark(ax, c, first_epoch, kept, "o", "each member's kept epoch")
        if best is not None and kept is not None:
            differs = np.asarray(best) != np.asarray(kept)
            _mark(ax, c, first_epoch, np.where(differs, best, -1), "x",
                  "its lowest monitored loss, where not kept")  # fmt: skip
        ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs
        ax.set_xlabel("epoch (0: the initial parameters)" if first_epoch == 0 else "epoch")
        ax.set_ylabel(unit or name)
        ax.set_title(f"{title}: {name}", fontsize=10)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fit_text(fig)  # long labels wrapped inside the figure
    fig.tight_layout()
    return fig


def _mark(ax: Axes, c: Array, first: int, epochs: Array | None, marker: str, label: str) -> None:
    """A marker at ``(epochs[k], c[epochs[k] - first, k])`` for every member ``k`` whose
    epoch lies on its curve (``-1`` or a gap: none)."""
    if epochs is None:
        return
    e = np.asarray(epochs, dtype=int)
    k = np.flatnonzero((e >= first) & (e - first < len(c)))
    y = c[e[k] - first, k] if len(k) else np.zeros(0)
    k, y = k[np.isfinite(y)], y[np.isfinite(y)]
    if len(k):
        ax.plot(e[k], y, linestyle="none", marker=marker, color="tab:red", markersize=6,
                label=label)  # fmt: skip


def starts_section(result: StartsResult) -> str:
    """The report's section on many starts: the finding, a table and the histogram."""
    rows = [
        (name, v["starts"], f"{v['share_all_correct']:.1%}", f"{v['final_loss_p10']:.3f}",
         f"{v['final_loss_p50']:.3f}", f"{v['final_loss_p90']:.3f}")
        for name, v in result.summary().items()
    ]  # fmt: skip
    header = ("optimizer", "starts", "all samples correct", "loss p10", "median", "p90")
    fig = plot_final_losses(
        result.final_loss, "Final loss after 300 iterations, per start", "summed cross-entropy"
    )
    return (
        h.paragraph(result.finding())
        + h.table(header, rows)
        + h.image(h.png_bytes(fig), "Distribution of the final losses from every start")
    )
