"""One parameter array checked against central differences, element by element, and the
verdict over all arrays (for :mod:`glassnet.core.gradcheck`, whose docstring gives the
tolerance rule and how elements at a kink are left out).

An element off by more than the tolerance but by no more than the difference's own error
(:func:`~glassnet.core.finite_differences.roundoff`, or twice the measured
:func:`~glassnet.core.finite_differences.truncation`) is *unresolved*: the check cannot
tell its gradient right or wrong at this ``eps`` and tolerance. A report with unresolved
elements and none off by more is inconclusive, not failed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from glassnet.core._types import Array
from glassnet.core.finite_differences import compare, numerical_gradient, roundoff, truncation
from glassnet.core.gradreport import (
    GradientCheckError,
    GradientCheckInconclusive,
    GradientReport,
    ParamCheck,
)

Noise = Callable[[list[tuple[int, ...]]], tuple[Array, Array]]


def check_array(
    layer: int, name: str, theta: Array, grad: Array, f: Callable[[], float],
    at: Callable[[], bytes] | None, idx: list[tuple[int, ...]], tol: tuple[float, float, float],
) -> ParamCheck:  # fmt: skip
    """The check of one parameter array ``theta`` (perturbed in place and restored) at the
    elements ``idx``, against the analytical ``grad``; ``tol`` is ``(eps, rtol, atol)``."""
    eps, rtol, atol = tol
    if grad.shape != theta.shape:
        raise ValueError(
            f"gradient of layer {layer + 1} {name} has shape {grad.shape}, expected {theta.shape}"
        )
    kinks = np.zeros(theta.shape, dtype=bool)
    f0 = f()
    num = numerical_gradient(f, theta, eps, idx, at, kinks)
    judged = [i for i in idx if not kinks[i]] or idx[:0]
    check = ParamCheck(layer, name, theta.shape, 0.0, 0.0, (), True, len(idx))

    def noise(off: list[tuple[int, ...]]) -> tuple[Array, Array]:
        """The round-off and truncation errors of the differences at the elements ``off``
        (the latter from more losses, at ``eps / 2, eps / 4, ...``)."""
        at_ = tuple(np.array(axis) for axis in zip(*off, strict=True))
        rounding = roundoff(f0, theta[at_], num[at_], eps)
        return rounding, truncation(f, theta, off, num[at_], eps, rounding)

    return _judge(check, num, grad, judged, (rtol, atol), noise)


def chosen(
    shape: tuple[int, ...], max_elements: int | None, rng: np.random.Generator
) -> list[tuple[int, ...]]:
    """The indices of the elements to check: all, or ``max_elements`` chosen by ``rng``."""
    size = int(np.prod(shape))
    flat = np.arange(size)
    if max_elements is not None and size > max_elements:
        flat = np.sort(rng.choice(size, max_elements, replace=False))
    return [tuple(int(i) for i in np.unravel_index(k, shape)) for k in flat]


def _judge(
    check: ParamCheck, num: Array, ana: Array, judged: list[tuple[int, ...]],
    tol: tuple[float, float], noise: Noise,
) -> ParamCheck:  # fmt: skip
    """``check`` (one array, ``n_checked`` elements) judged on the elements in ``judged``
    (those not at a kink) with ``tol = (rtol, atol)``; an element over the tolerance by no
    more than its ``noise`` is unresolved (module docstring)."""
    rtol, atol = tol
    n_kinks = check.n_checked - len(judged)
    if not judged:
        return dataclasses.replace(check, n_kinks=n_kinks)
    picked = tuple(np.array(axis) for axis in zip(*judged, strict=True))
    n, a = num[picked], np.asarray(ana, dtype=np.float64)[picked]
    abs_err, rel_err, worst, ok = compare(n, a, rtol, atol)
    over = np.abs(n - a) - (atol + rtol * np.maximum(np.abs(n), np.abs(a)))
    off = np.flatnonzero(over > 0)
    found = dataclasses.replace(
        check, max_abs_error=abs_err, max_rel_error=rel_err, worst_index=judged[worst[0]],
        passed=ok, n_kinks=n_kinks, n_off=len(off),
    )  # fmt: skip
    if not len(off):
        return found
    rounding, trunc = noise([judged[k] for k in off])
    unresolved = over[off] <= np.maximum(rounding, 2 * trunc)
    if not unresolved.any():
        return found
    by_rounding = unresolved & (rounding >= 2 * trunc)
    return dataclasses.replace(
        found, n_unresolved=int(unresolved.sum()),
        roundoff=float(np.max(rounding[by_rounding], initial=0.0)),
        truncation=float(np.max(2 * trunc[unresolved & ~by_rounding], initial=0.0)),
    )  # fmt: skip


def verdict(
    checks: list[ParamCheck], tol: tuple[float, float, float], raise_on_failure: bool
) -> GradientReport:
    """The report of ``checks`` judged with ``tol = (eps, rtol, atol)``; with
    ``raise_on_failure``, raises :class:`GradientCheckError` on failure and
    :class:`GradientCheckInconclusive` when the check cannot judge."""
    report = GradientReport(tuple(checks), *tol)
    if raise_on_failure and report.failed:
        raise GradientCheckError(report)
    if raise_on_failure and report.inconclusive:
        raise GradientCheckInconclusive(report)
    return report
