"""Class labels as integer codes, and splitting rows into training and held-out sets."""

from __future__ import annotations

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError


def encode_labels(y: Array) -> tuple[Array, Array]:
    """Class labels -> (sorted unique classes, integer codes (N,))."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise DataError(f"class labels must be 1-D, got shape {y.shape}")
    classes, codes = np.unique(y, return_inverse=True)
    return classes, codes.astype(np.intp)


def split_sizes(n: int, size: float | int) -> int:
    """A fraction in (0, 1) of ``n``, rounded, or an absolute count >= 1."""
    if isinstance(size, float) and 0 < size < 1 and max(1, round(size * n)) < n:
        return max(1, round(size * n))
    if float(size) == int(size) and 1 <= int(size) < n:
        return int(size)
    raise ValueError(
        f"a split size must be a fraction in (0, 1) or a count in [1, {n}), got {size}"
    )


def split_indices(
    n: int, size: float | int, rng: np.random.Generator, stratify: Array | None = None
) -> tuple[Array, Array]:
    """Split ``range(n)`` into (rest, held out) with ``size`` held out.

    With ``stratify`` (integer class codes), every class is held out in proportion: the
    held-out count per class is its share of ``size`` (largest remainders first).
    """
    k = split_sizes(n, size)
    if stratify is None:
        order = rng.permutation(n)
        return np.sort(order[k:]), np.sort(order[:k])
    classes, counts = np.unique(stratify, return_counts=True)
    quota = counts * k / n
    take = np.floor(quota).astype(int)
    short = k - take.sum()
    take[np.argsort(-(quota - take), kind="stable")[:short]] += 1
    held = []
    for c, m in zip(classes, take, strict=True):
        members = np.flatnonzero(stratify == c)
        held.append(rng.permutation(members)[:m])
    held_out = np.sort(np.concatenate(held))
    mask = np.ones(n, dtype=bool)
    mask[held_out] = False
    return np.flatnonzero(mask), held_out
