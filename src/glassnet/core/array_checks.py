"""One parameter array checked against central differences, element by element, and the
verdict over all arrays (for :mod:`glassnet.core.gradcheck`, whose docstring gives the
tolerance rule and how elements at a kink are left out)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from glassnet.core._types import Array
from glassnet.core.finite_differences import compare, numerical_gradient
from glassnet.core.gradreport import GradientCheckError, GradientReport, ParamCheck


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
    num = numerical_gradient(f, theta, eps, idx, at, kinks)
    judged = [i for i in idx if not kinks[i]] or idx[:0]
    check = ParamCheck(layer, name, theta.shape, 0.0, 0.0, (), True, len(idx))
    return _judge(check, num, grad, judged, rtol=rtol, atol=atol)


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
    check: ParamCheck, num: Array, ana: Array, judged: list[tuple[int, ...]], rtol: float,
    atol: float,
) -> ParamCheck:  # fmt: skip
    """``check`` (one array, ``n_checked`` elements) judged on the elements in ``judged``
    (those not at a kink)."""
    n_kinks = check.n_checked - len(judged)
    if not judged:
        return dataclasses.replace(check, n_kinks=n_kinks)
    picked = tuple(np.array(axis) for axis in zip(*judged, strict=True))
    abs_err, rel_err, worst, ok = compare(num[picked], np.asarray(ana)[picked], rtol, atol)
    return dataclasses.replace(
        check, max_abs_error=abs_err, max_rel_error=rel_err, worst_index=judged[worst[0]],
        passed=ok, n_kinks=n_kinks,
    )  # fmt: skip


def verdict(
    checks: list[ParamCheck], tol: tuple[float, float, float], raise_on_failure: bool
) -> GradientReport:
    """The report of ``checks`` judged with ``tol = (eps, rtol, atol)``; raises
    :class:`GradientCheckError` on failure when ``raise_on_failure``."""
    report = GradientReport(tuple(checks), *tol)
    if raise_on_failure and not report.passed:
        raise GradientCheckError(report)
    return report
