"""The playground's data: a built-in set or the user's table, and the plane it is drawn on.

:func:`builtin` draws a synthetic set (or loads the digits); :func:`from_table` reads a
file as ``glassnet train`` reads it (:func:`glassnet.data.tables.load_table`, class labels
encoded by :func:`~glassnet.data.tables.encode_labels`). :class:`Plane` maps the 2-D
picture plane to the network's (standardized) inputs: two chosen columns with the other
inputs at their mean (0), or the first two principal components.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError
from glassnet.core.wording import counted
from glassnet.data.datasets import (
    load_digits,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
)
from glassnet.data.tables import encode_labels, load_table

BUILTIN = ("circles", "moons", "spirals", "xor", "digits")


@dataclass(frozen=True)
class DataSet:
    """Features ``X (N, D)`` float64 (or a table's raw columns, ``frame``, to be encoded on
    the training rows), class codes ``y (N,)``, and where they came from."""

    X: Array | None
    y: Array
    classes: Array  # (C,) the class labels, in code order
    feature_names: tuple[str, ...]
    source: str  # one line for the page and the settings file
    frame: Any = None  # a glassnet.data.frames.Frame of the feature columns, or None


def builtin(name: str, n_samples: int, noise: float, seed: int) -> DataSet:
    """A built-in set drawn from ``default_rng(seed)``; ``noise`` is the Gaussian scale."""
    if not 4 <= n_samples <= 5000:
        raise DataError(f"the number of samples must be in [4, 5000], got {n_samples}")
    if not 0.0 <= noise <= 1.0:
        raise DataError(f"noise must be in [0, 1], got {noise}")
    rng = np.random.default_rng(seed)
    if name == "circles":
        X, y = make_circles(rng, n_samples, noise=noise)
    elif name == "moons":
        X, y = make_moons(rng, n_samples, noise=noise)
    elif name == "spirals":
        X, y = make_spirals(rng, n_samples, noise=noise)
    elif name == "xor":
        X, y = make_xor(rng, n_samples, noise=noise)
    elif name == "digits":
        X, y = load_digits()
        return DataSet(X, y, np.unique(y), tuple(f"pixel{j}" for j in range(64)), "digits")
    else:
        raise DataError(f"unknown data set {name!r}; expected one of: {', '.join(BUILTIN)}")
    source = f"{name}, {n_samples} samples, noise {noise:g}, seed {seed}"
    return DataSet(X, y, np.unique(y), ("x1", "x2"), source)


def from_table(path: str | Path, target: str, shown_name: str | None = None) -> DataSet:
    """The table at ``path`` with class labels in column ``target``, read as ``glassnet
    train`` reads it. Raises :class:`DataError` for anything it cannot use."""
    table = load_table(path, target)
    if table.y is None or np.asarray(table.y).ndim != 1:
        raise DataError(f"{shown_name or path}: the target must be one column of class labels")
    y = np.asarray(table.y)
    if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
        raise DataError(
            f"{shown_name or path}: target {target!r} holds fractional numbers; the "
            "playground classifies, so the target must hold class names or whole numbers"
        )
    classes, codes = encode_labels(y)
    if len(classes) < 2:
        raise DataError(f"{shown_name or path}: target {target!r} has only one class")
    where = shown_name or Path(path).name
    source = f"{where}, target {target!r}"
    if table.n_unlabelled:
        source += f" ({counted(table.n_unlabelled, 'row')} without a target left out)"
    if table.frame is not None:  # encoded on the training rows (Session.reset), as train does
        return DataSet(None, codes, classes, tuple(table.feature_names), source, table.frame)
    X = np.asarray(table.X, dtype=np.float64)
    return DataSet(X, codes, classes, tuple(table.feature_names), source)


@dataclass(frozen=True)
class Plane:
    """The picture plane in input space: ``x = origin + u * axes[0] + v * axes[1]``."""

    origin: Array  # (D,)
    axes: Array  # (2, D), orthonormal rows
    names: tuple[str, str]
    how: str  # one sentence for the page

    def inputs(self, UV: Array) -> Array:
        """Plane coordinates ``UV (M, 2)`` -> network inputs ``(M, D)``."""
        return self.origin + UV @ self.axes

    def coords(self, X: Array) -> Array:
        """Network inputs ``X (M, D)`` -> their projection on the plane ``(M, 2)``."""
        return (X - self.origin) @ self.axes.T


def plane_for(Xs: Array, names: tuple[str, ...], columns: tuple[int, int] | None) -> Plane:
    """Two columns of the (standardized) inputs ``Xs (N, D)``, or their PCA plane.

    Two-feature data use its two columns; with ``columns=None`` and more features, the
    first two principal components (from the SVD of the centred inputs).
    """
    D = Xs.shape[1]
    if D == 1:
        axes = np.array([[1.0], [0.0]])
        return Plane(np.zeros(1), axes, (names[0], "(none)"), "the one input column")
    if columns is not None or D == 2:
        i, j = columns if columns is not None else (0, 1)
        if not (0 <= i < D and 0 <= j < D and i != j):
            raise DataError(f"choose two different columns among the {D} inputs")
        axes = np.zeros((2, D))
        axes[0, i] = axes[1, j] = 1.0
        rest = "" if D == 2 else "; the other inputs held at their mean"
        how = f"columns {names[i]!r} and {names[j]!r} (standardized){rest}"
        return Plane(np.zeros(D), axes, (names[i], names[j]), how)
    mean = Xs.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xs - mean, full_matrices=False)
    share = float(np.sum(s[:2] ** 2) / max(float(np.sum(s**2)), 1e-300))
    how = f"the first two principal components of the {D} standardized inputs "
    how += f"({share:.0%} of their variance); the pictures are the network on that plane"
    return Plane(mean, Vt[:2], ("PC1", "PC2"), how)
