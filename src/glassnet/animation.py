"""A GIF of training: the decision boundary and the hidden layer evolving, for 2-D inputs.

Frames are drawn on a ``matplotlib.figure.Figure`` (no pyplot) and written with
matplotlib's :class:`~matplotlib.animation.PillowWriter`, through a temporary file that
is renamed into place. This module imports matplotlib.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.animation import PillowWriter
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from glassnet._types import Array, ParamList
from glassnet.figures import input_grid
from glassnet.fileio import atomic_save
from glassnet.network import Network
from glassnet.plotting import CLASS_STYLES, pca

COLORS = [color for color, _ in CLASS_STYLES]


def frame_indices(n_snapshots: int, frames: int) -> list[int]:
    """``frames`` snapshot indices spread evenly from the first to the last."""
    if n_snapshots < 1:
        raise ValueError("an animation needs at least one parameter snapshot")
    return sorted({int(round(i)) for i in np.linspace(0, n_snapshots - 1, frames)})


def _scatter(ax, P: Array, t: Array) -> None:  # type: ignore[no-untyped-def]
    for c in np.unique(t):
        color, marker = CLASS_STYLES[int(c) % len(CLASS_STYLES)]
        ax.scatter(*P[t == c].T, c=color, marker=marker, s=18, edgecolors="k", linewidths=0.3)


def _hidden_points(H: Array) -> tuple[Array, str]:
    """Points to draw for the last hidden layer: itself (up to 3 units) or its PCA."""
    if H.shape[1] <= 3:
        return H, f"{H.shape[1]} units"
    return pca(H, 3)[0], f"{H.shape[1]} units, PCA"


def _draw_frame(
    fig: Figure,
    net: Network,
    params: ParamList,
    X: Array,
    t: Array,
    grid: tuple[Array, Array, Array],
    label: str,
) -> None:
    fig.clear()
    g1, g2, points = grid
    ax = fig.add_subplot(1, 2, 1)
    decision = np.asarray(net.predict(params, points)).reshape(g1.shape)
    n = int(max(decision.max(), t.max())) + 1
    ax.contourf(
        g1, g2, decision, levels=np.arange(n + 1) - 0.5, cmap=ListedColormap(COLORS[:n]), alpha=0.25
    )
    _scatter(ax, X, t)
    ax.set_title(f"Decision boundary, {label}", fontsize=9)
    H, how = _hidden_points(net.hidden_activations(params, X)[-1])
    ax3 = fig.add_subplot(1, 2, 2, projection="3d" if H.shape[1] == 3 else None)
    _scatter(ax3, H if H.shape[1] > 1 else np.column_stack([H[:, 0], t]), t)
    ax3.set_title(f"Last hidden layer ({how})", fontsize=9)


def write_training_gif(
    path: str | os.PathLike[str],
    net: Network,
    snapshots: Sequence[ParamList],
    X: Array,
    t: Array,
    frames: int = 30,
    fps: int = 8,
    resolution: int = 80,
) -> Path:
    """Write a GIF of ``frames`` frames taken evenly from ``snapshots`` (snapshot k =
    parameters after k updates)."""
    if X.shape[1] != 2:
        raise ValueError(f"the training animation needs 2-D inputs, got {X.shape[1]} features")
    if not net.activations:
        raise ValueError("the training animation needs a network with a hidden layer")
    grid = input_grid(X, resolution)
    fig = Figure(figsize=(9, 4.2), dpi=80)

    def save(tmp: Path) -> None:
        writer = PillowWriter(fps=fps)
        with writer.saving(fig, str(tmp), dpi=80):
            for k in frame_indices(len(snapshots), frames):
                _draw_frame(fig, net, snapshots[k], X, t, grid, f"iteration {k}")
                writer.grab_frame()

    return atomic_save(path, save)
