"""Toy data sets, generated from a seed (no downloads).

Every generator takes the random source as an argument. It is a
``numpy.random.Generator`` everywhere except for the tutorial's data, which must come
from the tutorial's legacy ``RandomState(1)`` stream to be reproduced number for number;
the generators only call ``normal`` and ``permutation``, which both kinds offer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Labels = NDArray[np.intp]
if TYPE_CHECKING:  # an annotation only: naming np.random here would import it (~15 ms)
    RandomSource: TypeAlias = np.random.Generator | np.random.RandomState


def make_circles(
    rng: RandomSource,
    n_samples: int = 100,
    factor: float = 0.3,
    noise: float | None = 0.1,
    shuffle: bool = False,
) -> tuple[Array, Labels]:
    """Two concentric rings: class 0 on the unit circle, class 1 at radius ``factor``.

    Laid out as scikit-learn's ``make_circles`` lays them out (so the same stream gives the
    same numbers): the first ``n_samples // 2`` rows are the outer ring at the angles
    ``linspace(0, 2 pi, n_out, endpoint=False)``, the rest the inner ring, then Gaussian
    noise of scale ``noise`` is drawn for all coordinates at once, shape (N, 2).
    """
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2, got {n_samples}")
    if not 0.0 <= factor < 1.0:
        raise ValueError(f"factor must be in [0, 1), got {factor}")
    n_out = n_samples // 2
    n_in = n_samples - n_out
    angle_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    angle_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack(
        [
            np.append(np.cos(angle_out), np.cos(angle_in) * factor),
            np.append(np.sin(angle_out), np.sin(angle_in) * factor),
        ]
    ).T  # (N, 2)
    t = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    if shuffle:
        order = rng.permutation(n_samples)
        X, t = X[order], t[order]
    if noise is not None:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, t


def one_hot(t: NDArray[np.integer], n_classes: int | None = None) -> Array:
    """Target matrix ``T (N, C)`` with ``T[i, t_i] = 1``: the tutorial's ``T``."""
    t = np.asarray(t)
    if t.ndim != 1:
        raise ValueError(f"class labels must be 1-D, got shape {t.shape}")
    C = int(t.max()) + 1 if n_classes is None else n_classes
    if t.size and (t.min() < 0 or t.max() >= C):
        raise ValueError(f"class labels must lie in [0, {C}), got {t.min()}..{t.max()}")
    T = np.zeros((t.shape[0], C))
    T[np.arange(t.shape[0]), t] = 1.0
    return T
