"""The hidden-layer view: the samples mapped into a hidden layer, drawn in its own units
(up to three) or on its first principal components (:func:`pca`).

The figure is a ``matplotlib.figure.Figure`` built without ``pyplot``, as every figure
of :mod:`glassnet.views.plotting`. This module imports matplotlib, so ``import glassnet``
does not import it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from glassnet.views.class_styles import class_legend, scatter_classes
from glassnet.views.labels import fit_text

__all__ = ["pca", "plot_hidden_projection"]


def pca(A: NDArray[np.floating], k: int) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    """Project the rows of ``A (N, H)`` on their first ``k`` principal axes: the eigenvectors
    of the scatter matrix ``C^T C (H, H)`` of the centred ``C`` (the right singular vectors
    of ``C``, at a tenth of the SVD's cost for a 1000 x 512 layer); the SVD of ``C`` where
    ``N < H``.

    Returns the projection ``(N, k)`` and the fraction of variance each axis explains.
    """
    centred = np.asarray(A, dtype=np.float64) - np.mean(A, axis=0, dtype=np.float64)
    if centred.shape[0] < centred.shape[1]:
        _, s, Vt = np.linalg.svd(centred, full_matrices=False)
        var = s**2
    else:
        w, V = np.linalg.eigh(centred.T @ centred)  # ascending
        var, Vt = np.maximum(w[::-1], 0.0), V[:, ::-1].T
    total = var.sum()
    explained = var[:k] / total if total > 0 else np.zeros(min(k, len(var)))
    P = centred @ Vt[:k].T
    missing = k - P.shape[1]  # fewer samples than axes: the rest is zero variance
    return np.pad(P, ((0, 0), (0, missing))), np.pad(explained, (0, missing))


def plot_hidden_projection(
    H: NDArray[np.floating],
    t: NDArray[np.integer],
    layer_name: str = "hidden layer",
    class_names: Sequence[str] | None = None,
) -> Figure:
    """The samples mapped into a hidden layer.

    3 units: a 3-D scatter of ``(h_1, h_2, h_3)``, as in the tutorial; 2 units: a 2-D
    scatter; 1 unit: the values along a line; more: the first three principal components.
    """
    units = H.shape[1]
    fig = Figure(figsize=(6, 5), dpi=100)
    if units == 1:
        ax = fig.add_subplot()
        scatter_classes(ax, np.column_stack([H[:, 0], t]), t, class_names)
        ax.set_xlabel("$h_1$")
        ax.set_ylabel("class")
    elif units == 2:
        ax = fig.add_subplot()
        scatter_classes(ax, H, t, class_names)
        ax.set_xlabel("$h_1$")
        ax.set_ylabel("$h_2$")
    else:
        if units == 3:
            P, axes = H, ["$h_1$", "$h_2$", "$h_3$"]
        else:
            P, explained = pca(H, 3)
            axes = [f"PC{i + 1} ({e:.0%})" for i, e in enumerate(explained)]
        ax = fig.add_subplot(projection="3d")
        scatter_classes(ax, P, t, class_names)
        ax.set_xlabel(axes[0])
        ax.set_ylabel(axes[1])
        ax.set_zlabel(axes[2])
    suffix = f" ({units} units)" if units <= 3 else f" ({units} units, PCA)"
    ax.set_title(f"Samples in the {layer_name}{suffix}")
    class_legend(ax, loc="upper left")
    fit_text(fig)
    fig.tight_layout()
    return fig
