"""A GIF of training: the decision boundary and the hidden layer evolving, for 2-D inputs.

The frames are the parameters the training loop recorded (:class:`Snapshots`, an
``on_epoch_end`` hook of :func:`glassnet.train.loop.fit`), each labelled with its epoch;
:func:`training_frames` says which are drawn.

Frames are drawn on a ``matplotlib.figure.Figure`` (no pyplot) and written with
matplotlib's :class:`~matplotlib.animation.PillowWriter`, through a temporary file that
is renamed into place. This module imports matplotlib.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.animation import PillowWriter
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.files.fileio import atomic_save
from glassnet.train.snapshots import Snapshots
from glassnet.views.class_styles import CLASS_STYLES
from glassnet.views.figures import input_grid
from glassnet.views.plotting import pca

COLORS = [color for color, _ in CLASS_STYLES]


def frame_indices(n_snapshots: int, frames: int) -> list[int]:
    """``frames`` snapshot indices spread evenly from the first to the last."""
    if n_snapshots < 1:
        raise ValueError("an animation needs at least one parameter snapshot")
    return sorted({int(round(i)) for i in np.linspace(0, n_snapshots - 1, frames)})


def _scatter(ax, P: Array, t: Array) -> list[Any]:  # type: ignore[no-untyped-def]
    artists = []
    for c in np.unique(t):
        color, marker = CLASS_STYLES[int(c) % len(CLASS_STYLES)]
        pts = P[t == c]
        artists.append(
            ax.scatter(*pts.T, c=color, marker=marker, s=18, edgecolors="k", linewidths=0.3)
        )
    return artists


def _hidden_points(H: Array, t: Array) -> tuple[Array, str]:
    """Points to draw for the last hidden layer: itself (2 or 3 units), its PCA (more), or
    its one value against the class (1 unit)."""
    if H.shape[1] == 1:
        return np.column_stack([H[:, 0], t]), "1 unit"
    if H.shape[1] <= 3:
        return H, f"{H.shape[1]} units"
    return pca(H, 3)[0], f"{H.shape[1]} units, PCA"


def _limits(points: list[Array]) -> tuple[Array, Array]:
    lo = np.min([P.min(axis=0) for P in points], axis=0)
    hi = np.max([P.max(axis=0) for P in points], axis=0)
    pad = 0.05 * np.maximum(hi - lo, 1e-9)
    return lo - pad, hi + pad


class _Frames:
    """The two panels, drawn once; each frame swaps the regions and moves the points."""

    def __init__(
        self,
        fig: Figure,
        net: Network,
        X: Array,
        t: Array,
        grid: tuple[Array, Array, Array],
        hidden: list[Array],
        how: str,
    ) -> None:
        self.net, self.t, self.grid = net, t, grid
        self.contour: Any = None
        self.n = int(t.max()) + 1
        self.left = fig.add_subplot(1, 2, 1)
        _scatter(self.left, X, t)
        dims = hidden[0].shape[1]
        self.right = fig.add_subplot(1, 2, 2, projection="3d" if dims == 3 else None)
        self.points = _scatter(self.right, hidden[0], t)
        lo, hi = _limits(hidden)
        for axis, (a, b) in zip("xyz", zip(lo, hi, strict=True), strict=False):
            getattr(self.right, f"set_{axis}lim")(a, b)
        for ax in (self.left, self.right):  # no tick labels: text is most of a frame's cost
            for axis in ("x", "y", "z") if ax is self.right and dims == 3 else ("x", "y"):
                getattr(ax, f"set_{axis}ticks")([])
        self.right.set_title(f"Last hidden layer ({how})", fontsize=9)

    def draw(self, params: ParamList, hidden: Array, label: str) -> None:
        g1, g2, points = self.grid
        decision = np.asarray(self.net.predict(params, points)).reshape(g1.shape)
        n = max(self.n, int(decision.max()) + 1)
        if self.contour is not None:
            self.contour.remove()
        self.contour = self.left.contourf(
            g1,
            g2,
            decision,
            levels=np.arange(n + 1) - 0.5,
            cmap=ListedColormap(COLORS[:n]),
            alpha=0.25,
        )
        self.left.set_title(f"Decision boundary, {label}", fontsize=9)
        for artist, c in zip(self.points, np.unique(self.t), strict=True):
            P = hidden[self.t == c]
            if P.shape[1] == 3:
                artist._offsets3d = tuple(P.T)
            else:
                artist.set_offsets(P)


def training_frames(
    snapshots: Snapshots | Sequence[ParamList], frames: int
) -> list[tuple[int, ParamList]]:
    """``(epoch, parameters)`` of the ``frames`` snapshots drawn, spread evenly from the
    first recorded to the last; a plain sequence counts as epochs 0, 1, 2, ..."""
    if isinstance(snapshots, Snapshots):
        epochs, params = snapshots.epochs, snapshots.params
    else:
        epochs, params = list(range(len(snapshots))), list(snapshots)
    return [(epochs[k], params[k]) for k in frame_indices(len(params), frames)]


def write_training_gif(
    path: str | os.PathLike[str],
    net: Network,
    snapshots: Snapshots | Sequence[ParamList],
    X: Array,
    t: Array,
    frames: int = 30,
    fps: int = 8,
    resolution: int = 80,
) -> Path:
    """Write a GIF of ``frames`` frames taken evenly from the loop's ``snapshots`` (see
    :func:`training_frames`), each titled with its epoch. ``X (N, 2)`` are the inputs as
    the network reads them, ``t (N,)`` the class codes.

    Raises ``ValueError`` for inputs that are not 2-D, a network without a hidden layer, or
    no snapshots.
    """
    if X.shape[1] != 2:
        raise ValueError(f"the training animation needs 2-D inputs, got {X.shape[1]} features")
    if not net.activations:
        raise ValueError("the training animation needs a network with a hidden layer")
    grid = input_grid(X, resolution)
    shown = training_frames(snapshots, frames)
    found = [_hidden_points(net.hidden_activations(p, X)[-1], t) for _, p in shown]
    fig = Figure(figsize=(9, 4.2), dpi=80)
    panels = _Frames(fig, net, X, t, grid, [P for P, _ in found], found[0][1])

    def save(tmp: Path) -> None:
        writer = PillowWriter(fps=fps)
        with writer.saving(fig, str(tmp), dpi=80):
            for (epoch, params), (P, _) in zip(shown, found, strict=True):
                panels.draw(params, P, f"epoch {epoch}")
                writer.grab_frame()

    return atomic_save(path, save)
