"""Central differences: the numerical gradient a backpropagated one is checked against.

For an element ``theta_i`` the numerical gradient is::

    (f(theta_i + eps) - f(theta_i - eps)) / (2 eps)

computed in float64. :func:`compare` applies the tolerance rule of
:mod:`glassnet.core.gradcheck`: an element passes when
``|num - ana| <= atol + rtol * max(|num|, |ana|)``.

The difference has two errors of its own (Nocedal & Wright, *Numerical Optimization*, 2nd
ed., section 8.1): round-off, about ``u |f| / eps`` (``u`` = 2.2e-16, float64's unit
round-off, in each of the two losses; plus ``|num| spacing(theta) / eps`` for the step
itself, rounded to a float64 near ``theta``), which grows as ``eps`` shrinks; and
truncation, ``eps**2`` times the third derivative over 6, which grows with ``eps``.
:func:`roundoff` estimates the first; :func:`truncation` measures the second against
the differences at ``eps / 2, eps / 4, ...`` (Richardson's comparison).
:func:`check_step` refuses a step too small to move a parameter at all (``theta + eps ==
theta`` in float64).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from glassnet.core._types import Array

SUGGESTED = "try 1e-5..1e-7"  # steps where both errors are small for losses of moderate size
UNIT_ROUNDOFF = float(np.finfo(np.float64).eps)  # 2.2e-16
ROUNDOFF_MARGIN = 8.0  # the estimate's safety factor: a loss sums many rounded terms
REFERENCE_STEP = 1e-4  # truncation is measured against differences down to this step


class StepTooSmall(ValueError):
    """An ``eps`` that cannot move a parameter: ``theta + eps == theta`` (or ``theta - eps``)
    in float64, so its central difference is 0 whatever the gradient."""


def check_step(eps: float, elements: Sequence[Array]) -> None:
    """Raise :class:`ValueError` for an ``eps`` that is not a positive finite number, and
    :class:`StepTooSmall` (naming ``eps`` and the parameters' float64 resolution) when it
    cannot move some of the ``elements`` (the values of the parameter elements to be
    checked, arrays of float64), or is below float64's smallest normal number."""
    if isinstance(eps, bool) or not isinstance(eps, int | float | np.number) or not (
        math.isfinite(float(eps)) and eps > 0):  # fmt: skip
        raise ValueError(f"eps must be a positive finite number, got {eps!r}")
    values = np.concatenate([np.ravel(v) for v in elements] or [np.zeros(0)])
    stuck = (values + eps == values) | (values - eps == values)
    if eps < np.finfo(np.float64).tiny:  # a subnormal step: the quotient's 1/eps overflows
        stuck |= True
    if stuck.any():
        a = float(np.max(np.abs(values[stuck])))
        raise StepTooSmall(
            f"eps={eps:g} cannot move the parameters: theta + eps == theta in float64 for "
            f"{int(stuck.sum())} of {len(values)} elements checked (float64 numbers near "
            f"|theta| = {a:.3g} are {float(np.spacing(a)):.2g} apart); {SUGGESTED}"
        )


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


def roundoff(f0: float, theta: Array, num: Array, eps: float) -> Array:
    """Estimated float64 round-off of central differences ``num (n,)`` at elements ``theta
    (n,)`` of a loss ``f0``: ``(8 u |f0| + |num| spacing(theta)) / eps`` (the two losses'
    rounding, with a margin, and the step's; module docstring)."""
    with np.errstate(over="ignore"):
        loss = ROUNDOFF_MARGIN * UNIT_ROUNDOFF * abs(f0)
        return (loss + np.abs(num) * np.spacing(np.abs(theta))) / eps


def truncation(
    f: Callable[[], float], theta: Array, off: list[tuple[int, ...]], num: Array, eps: float,
    rounding: Array,
) -> Array:
    """Truncation error of the central differences ``num (n,)`` at ``eps`` of the elements
    ``off`` of ``theta``: their distance to the differences at ``eps / 2, eps / 4, ...``
    down to :data:`REFERENCE_STEP` (at least one halving), plus 4/3 of the last halving's
    change (the reference's own error, by Richardson), less what the round-off
    ``rounding`` of both may account for; 0 where it accounts for all. A large step is
    past the range where one halving's change measures the error (Richardson's
    assumption), hence the halvings down to a small one."""
    at = tuple(np.array(axis) for axis in zip(*off, strict=True))
    before, h = num, eps / 2
    reference = numerical_gradient(f, theta, h, off)[at]
    while h > REFERENCE_STEP:
        h /= 2
        before, reference = reference, numerical_gradient(f, theta, h, off)[at]
    with np.errstate(over="ignore", invalid="ignore"):
        spread = np.abs(num - reference) + 4.0 / 3.0 * np.abs(before - reference)
        return np.maximum(spread - 3.0 * rounding, 0.0)
