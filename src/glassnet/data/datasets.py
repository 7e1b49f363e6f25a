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

from glassnet.core.validation import DataError

Array = NDArray[np.float64]
Labels = NDArray[np.intp]
#: The names of the circles data's two classes wherever glassnet shows them (the demo, its
#: figures and report, explain, the docs and notebooks): the tutorial's, class 0 the outer
#: ring drawn as red stars, class 1 the inner ring drawn as blue circles.
CIRCLES_CLASSES: tuple[str, str] = ("red stars (t=0)", "blue circles (t=1)")
if TYPE_CHECKING:  # an annotation only: naming np.random here would import it (~15 ms)
    RandomSource: TypeAlias = np.random.Generator | np.random.RandomState


def make_circles(
    rng: RandomSource,
    n_samples: int = 100,
    factor: float = 0.3,
    noise: float | None = 0.1,
    shuffle: bool = False,
) -> tuple[Array, Labels]:
    """Two concentric rings: class 0 on the unit circle, class 1 at radius ``factor`` (the
    tutorial's red stars and blue circles, :data:`CIRCLES_CLASSES`).

    Laid out as scikit-learn's ``make_circles`` lays them out (so the same stream gives the
    same numbers): the first ``n_samples // 2`` rows are the outer ring at the angles
    ``linspace(0, 2 pi, n_out, endpoint=False)``, the rest the inner ring, then Gaussian
    noise of scale ``noise`` is drawn for all coordinates at once, shape (N, 2).
    """
    _check_count(n_samples, 2)
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


def _check_count(n_samples: int, minimum: int) -> None:
    if n_samples < minimum:
        raise ValueError(f"n_samples must be at least {minimum}, got {n_samples}")


def one_hot(t: NDArray[np.integer], n_classes: int | None = None) -> Array:
    """Target matrix ``T (N, C)`` with ``T[i, t_i] = 1``: the tutorial's ``T``.

    ``t (N,)`` holds class codes ``0..C-1``: integers, booleans (False 0, True 1) or floats
    that are whole numbers (``1.0`` is class 1, as :func:`glassnet.train.loop.fit` takes
    them). ``C`` is ``n_classes``, else ``t.max() + 1``. Raises
    :class:`~glassnet.core.validation.DataError` (a ``ValueError``) for a ``t`` that is not
    1-D, a label that is not a whole number (``1.5``, NaN: named with its index), text
    labels, or a code outside ``[0, C)``.
    """
    t = np.asarray(t)
    if t.ndim != 1:
        raise DataError(f"class labels must be 1-D, got shape {t.shape}")
    t = _class_codes(t)
    C = (int(t.max()) + 1 if t.size else 0) if n_classes is None else n_classes
    if t.size and (t.min() < 0 or t.max() >= C):
        raise DataError(f"class labels must lie in [0, {C}), got {t.min()}..{t.max()}")
    T = np.zeros((t.shape[0], C))
    T[np.arange(t.shape[0]), t] = 1.0
    return T


def _class_codes(t: np.ndarray) -> NDArray[np.integer]:
    """``t`` as integer codes: integers as they are, booleans as 0/1, whole floats cast."""
    if t.dtype.kind in "iu":
        return t
    if t.dtype.kind == "b":
        return t.astype(np.intp)
    if t.dtype.kind != "f":
        raise DataError(
            f"class labels must be integer codes 0..C-1, got dtype {t.dtype}; encode other "
            "labels first (codes = np.unique(labels, return_inverse=True)[1])"
        )
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(t) & (np.mod(t, 1) == 0)
    if not np.all(whole):
        i = int(np.argmin(whole))
        raise DataError(
            f"class labels must be whole numbers (class codes 0..C-1), got {t[i].item()!r} "
            f"at index {i}"
        )
    return t.astype(np.intp)


def make_moons(
    rng: np.random.Generator, n_samples: int = 200, noise: float = 0.1
) -> tuple[Array, Labels]:
    """Two interleaving half circles: class 0 the upper moon, class 1 the lower, shifted."""
    _check_count(n_samples, 2)
    n0 = n_samples // 2
    n1 = n_samples - n0
    a0 = np.linspace(0, np.pi, n0)
    a1 = np.linspace(0, np.pi, n1)
    X = np.vstack(
        [
            np.column_stack([np.cos(a0), np.sin(a0)]),
            np.column_stack([1 - np.cos(a1), 0.5 - np.sin(a1)]),
        ]
    )
    t = np.hstack([np.zeros(n0, dtype=np.intp), np.ones(n1, dtype=np.intp)])
    return X + rng.normal(scale=noise, size=X.shape), t


def make_spirals(
    rng: np.random.Generator, n_samples: int = 300, arms: int = 3, noise: float = 0.2
) -> tuple[Array, Labels]:
    """``arms`` interleaved spirals, one class per arm: radius grows from 0 to 1 while the
    angle turns by 4 radians, each arm offset by ``2 pi / arms``, with angular noise."""
    if arms < 2:
        raise ValueError(f"a spiral data set needs at least 2 arms, got {arms}")
    _check_count(n_samples, 2 * arms)
    t = np.arange(n_samples, dtype=np.intp) % arms
    r = np.empty(n_samples)
    for k in range(arms):
        members = t == k
        r[members] = np.linspace(0.0, 1.0, int(members.sum()))
    angle = t * 2 * np.pi / arms + 4 * r + rng.normal(scale=noise, size=n_samples)
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)]), t


def make_xor(
    rng: np.random.Generator, n_samples: int = 200, noise: float = 0.1
) -> tuple[Array, Labels]:
    """Points in the four quadrants; class 1 where the signs of x1 and x2 differ."""
    _check_count(n_samples, 2)
    corners = rng.integers(0, 2, size=(n_samples, 2))
    t = (corners[:, 0] ^ corners[:, 1]).astype(np.intp)
    X = (2 * corners - 1) * 0.5 + rng.normal(scale=noise, size=(n_samples, 2))
    return X, t


def load_digits() -> tuple[Array, Labels]:
    """The 8x8 handwritten digits (1,797 images, 64 pixels valued 0..16, classes 0-9).

    The copy shipped inside scikit-learn (no download); needs the optional dependency
    ``scikit-learn``.
    """
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the digits data set is read from scikit-learn's copy: pip install scikit-learn"
        ) from None
    bunch = sklearn_digits()
    return np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target, dtype=np.intp)


DATASETS = ("circles", "moons", "spirals", "xor", "digits")
# Every built-in data set is a classification problem, its targets class codes 0..K-1,
# whatever the number of samples drawn: K per set, and the fewest samples a synthetic set
# is drawn with (one per class; two per spiral arm). digits is a fixed set, never drawn.
CLASSES = {"circles": 2, "moons": 2, "spirals": 3, "xor": 2, "digits": 10}
MIN_SAMPLES = {"circles": 2, "moons": 2, "spirals": 6, "xor": 2}


def dataset_task(name: str) -> str:
    """Why a built-in data set is classification, in words (the CLI's task line)."""
    return f"the {name} data set is a classification problem: class codes 0..{CLASSES[name] - 1}"


def load_dataset(
    name: str, rng: np.random.Generator, n_samples: int | None = None
) -> tuple[Array, Labels]:
    """A built-in data set by name; the synthetic ones are drawn from ``rng``."""
    if name == "circles":
        return make_circles(rng, 100 if n_samples is None else n_samples)
    if name == "moons":
        return make_moons(rng, 200 if n_samples is None else n_samples)
    if name == "spirals":
        return make_spirals(rng, 300 if n_samples is None else n_samples)
    if name == "xor":
        return make_xor(rng, 200 if n_samples is None else n_samples)
    if name == "digits":
        return load_digits()
    raise ValueError(f"unknown data set {name!r}; expected one of: {', '.join(DATASETS)}")
