"""Central differences: the numerical gradient a backpropagated one is checked against.

For an element ``theta_i`` the numerical gradient is::

    (f(theta_i + eps) - f(theta_i - eps)) / (2 eps)

computed in float64. :func:`compare` applies the tolerance rule of
:mod:`glassnet.core.gradcheck`: an element passes when
``|num - ana| <= atol + rtol * max(|num|, |ana|)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from glassnet.core._types import Array


def numerical_gradient(
    f: Callable[[], float],
    theta: Array,
    eps: float,
    indices: Iterable[tuple[int, ...]] | None = None,
    pattern: Callable[[], bytes] | None = None,
    kinks: Array | None = None,
) -> Array:
    """Central-difference gradient of ``f()`` with respect to ``theta``, perturbed in place.

    Only the elements at ``indices`` are computed when given (the rest stay 0). ``theta``
    is restored element by element, so it is unchanged on return. With ``pattern`` (the
    on/off pattern of the non-differentiable units) and a boolean buffer ``kinks`` shaped
    like ``theta``, ``kinks[idx]`` is set where ``theta[idx] +- eps`` changes the pattern.
    """
    grad = np.zeros(theta.shape, dtype=np.float64)
    at = pattern() if pattern is not None else b""
    for idx in np.ndindex(theta.shape) if indices is None else indices:
        original = theta[idx]
        theta[idx] = original + eps
        f_plus = f()
        moved = pattern is not None and pattern() != at
        theta[idx] = original - eps
        f_minus = f()
        moved = moved or (pattern is not None and pattern() != at)
        theta[idx] = original
        grad[idx] = (f_plus - f_minus) / (2 * eps)
        if kinks is not None:
            kinks[idx] = moved
    return grad


def compare(
    numerical: Array, analytical: Array, rtol: float, atol: float
) -> tuple[float, float, tuple[int, ...], bool]:
    """Max absolute and relative error, index of the worst element, and the verdict."""
    analytical = np.asarray(analytical, dtype=np.float64)
    diff = np.abs(numerical - analytical)
    scale = np.maximum(np.abs(numerical), np.abs(analytical))
    rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
    passed = bool(np.all(diff <= atol + rtol * scale))
    worst = np.unravel_index(int(np.argmax(diff - (atol + rtol * scale))), diff.shape)
    return float(diff.max()), float(rel.max()), tuple(int(i) for i in worst), passed
