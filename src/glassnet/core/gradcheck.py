"""Gradient checking by central differences.

For every element ``theta_i`` of every parameter the numerical gradient is::

    (f(theta_i + eps) - f(theta_i - eps)) / (2 eps)

computed in float64, and compared with the analytical (backpropagated) gradient.

Tolerance rule: an element passes when ``|num - ana| <= atol + rtol * max(|num|, |ana|)``
(with the defaults ``eps = 1e-5``, ``rtol = 1e-5``, ``atol = 1e-7``). The relative error
reported for an element is ``|num - ana| / max(|num|, |ana|)`` (0 where both are 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network


class GradientCheckError(AssertionError):
    """Raised when a gradient check fails; carries the report."""

    def __init__(self, report: GradientReport) -> None:
        super().__init__("gradient check failed:\n" + report.format())
        self.report = report


@dataclass(frozen=True)
class ParamCheck:
    """The check of one parameter array."""

    layer: int
    name: str
    shape: tuple[int, ...]
    max_abs_error: float
    max_rel_error: float
    worst_index: tuple[int, ...]
    passed: bool
    n_checked: int = 0  # elements checked (all of them unless the check was capped)


@dataclass(frozen=True)
class GradientReport:
    """Per-parameter results and the tolerance they were judged by."""

    checks: tuple[ParamCheck, ...]
    eps: float
    rtol: float
    atol: float

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def max_relative_error(self) -> float:
        return max((c.max_rel_error for c in self.checks), default=0.0)

    @property
    def max_absolute_error(self) -> float:
        return max((c.max_abs_error for c in self.checks), default=0.0)

    def format(self) -> str:
        """A table, one row per parameter, and the verdict."""
        head = f"{'layer':>5}  {'param':<5} {'shape':<10} {'max abs err':>12} "
        head += f"{'max rel err':>12}  {'worst':<8} ok"
        rows = [head]
        for c in self.checks:
            rows.append(
                f"{c.layer:>5}  {c.name:<5} {str(c.shape):<10} {c.max_abs_error:>12.3e} "
                f"{c.max_rel_error:>12.3e}  {str(c.worst_index):<8} {'yes' if c.passed else 'NO'}"
            )
        verdict = "passed" if self.passed else "FAILED"
        sampled = [c for c in self.checks if c.n_checked < int(np.prod(c.shape))]
        if sampled:
            counts = ", ".join(
                f"layer {c.layer} {c.name}: {c.n_checked} of {int(np.prod(c.shape))}"
                for c in sampled
            )
            rows.append(f"elements checked (a seeded random choice): {counts}")
        rows.append(
            f"gradient check {verdict}: central differences, eps={self.eps:g}; an element passes "
            f"when |num - ana| <= {self.atol:g} + {self.rtol:g} * max(|num|, |ana|)"
        )
        return "\n".join(rows)

    def _repr_html_(self) -> str:
        """Jupyter's display: the per-parameter table, failing parameters marked."""
        from glassnet.core._repr import html_table

        rows = [
            [c.layer, c.name, str(c.shape), f"{c.max_abs_error:.3e}", f"{c.max_rel_error:.3e}",
             str(c.worst_index), "yes" if c.passed else "\u2717 NO"]
            for c in self.checks
        ]  # fmt: skip
        header = ["layer", "param", "shape", "max abs err", "max rel err", "worst", "ok"]
        verdict = "passed" if self.passed else "FAILED"
        footer = (
            f"central differences, eps={self.eps:g}; an element passes when "
            f"|num - ana| <= {self.atol:g} + {self.rtol:g} * max(|num|, |ana|)"
        )
        failed = [not c.passed for c in self.checks]
        return html_table(f"Gradient check {verdict}", header, rows, failed, footer)

    def as_dict(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "max_relative_error": self.max_relative_error,
            "max_absolute_error": self.max_absolute_error,
            "eps": self.eps,
            "rtol": self.rtol,
            "atol": self.atol,
            "parameters": [
                {
                    "layer": c.layer,
                    "name": c.name,
                    "shape": list(c.shape),
                    "max_abs_error": c.max_abs_error,
                    "max_rel_error": c.max_rel_error,
                    "worst_index": list(c.worst_index),
                    "passed": c.passed,
                    "elements_checked": c.n_checked,
                }
                for c in self.checks
            ],
        }


def numerical_gradient(
    f: Callable[[], float],
    theta: Array,
    eps: float,
    indices: Iterable[tuple[int, ...]] | None = None,
) -> Array:
    """Central-difference gradient of ``f()`` with respect to ``theta``, perturbed in place.

    Only the elements at ``indices`` are computed when given (the rest stay 0). ``theta``
    is restored element by element, so it is unchanged on return.
    """
    grad = np.zeros(theta.shape, dtype=np.float64)
    for idx in np.ndindex(theta.shape) if indices is None else indices:
        original = theta[idx]
        theta[idx] = original + eps
        f_plus = f()
        theta[idx] = original - eps
        f_minus = f()
        theta[idx] = original
        grad[idx] = (f_plus - f_minus) / (2 * eps)
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


def check_gradients(
    loss_fn: Callable[[ParamList], float],
    params: ParamList,
    grads: ParamList,
    eps: float = 1e-5,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    raise_on_failure: bool = False,
    max_elements: int | None = None,
) -> GradientReport:
    """Check analytical ``grads`` against central differences of ``loss_fn(params)``.

    ``params`` is copied to float64 first and never modified. Every element of every
    parameter is perturbed, unless ``max_elements`` caps how many (a seeded random choice)
    are checked in each parameter array, for networks too large to check whole.
    Raises :class:`GradientCheckError` on failure when asked to.
    """
    work = [{k: np.array(v, dtype=np.float64) for k, v in p.items()} for p in params]
    rng = np.random.default_rng(0)
    checks = []
    for layer, (p, g) in enumerate(zip(work, grads, strict=True)):
        for name, theta in p.items():
            if g[name].shape != theta.shape:
                raise ValueError(
                    f"gradient of layer {layer} {name} has shape {g[name].shape}, "
                    f"expected {theta.shape}"
                )
            flat = np.arange(theta.size)
            if max_elements is not None and theta.size > max_elements:
                flat = np.sort(rng.choice(theta.size, max_elements, replace=False))
            idx = [tuple(int(i) for i in np.unravel_index(k, theta.shape)) for k in flat]
            num = numerical_gradient(lambda: loss_fn(work), theta, eps, idx)
            picked = tuple(np.array(axis) for axis in zip(*idx, strict=True))
            abs_err, rel_err, worst, ok = compare(num[picked], g[name][picked], rtol, atol)
            worst_index = idx[worst[0]]
            checks.append(
                ParamCheck(layer, name, theta.shape, abs_err, rel_err, worst_index, ok, len(idx))
            )
    report = GradientReport(tuple(checks), eps, rtol, atol)
    if raise_on_failure and not report.passed:
        raise GradientCheckError(report)
    return report


def check_network(
    net: Network,
    params: ParamList,
    X: Array,
    T: Array,
    eps: float = 1e-5,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    raise_on_failure: bool = False,
    max_elements: int | None = None,
) -> GradientReport:
    """Check :meth:`Network.loss_and_grad` of ``net`` at ``params`` on the batch ``(X, T)``."""
    X64 = np.asarray(X, dtype=np.float64)
    T64 = np.asarray(T, dtype=np.float64)
    params64 = [{k: np.array(v, dtype=np.float64) for k, v in p.items()} for p in params]
    _, grads = net.loss_and_grad(params64, X64, T64)
    return check_gradients(
        lambda ps: net.loss(ps, X64, T64),
        params64,
        grads,
        eps,
        rtol,
        atol,
        raise_on_failure,
        max_elements,
    )


def check_vjp(
    forward: Callable[[Array], Array],
    backward: Callable[[Array], Array],
    x: Array,
    rng: np.random.Generator,
    eps: float = 1e-5,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> tuple[float, bool]:
    """Check one layer's backward pass: a vector-Jacobian product with a random upstream.

    With a random upstream gradient ``G`` the scalar ``sum(forward(x) * G)`` has the
    gradient ``backward(G)`` with respect to ``x``; returns (max relative error, passed).
    """
    x = np.array(x, dtype=np.float64)
    G = rng.standard_normal(forward(x).shape)
    num = numerical_gradient(lambda: float(np.sum(forward(x) * G)), x, eps)
    _, rel, _, ok = compare(num, backward(G), rtol, atol)
    return rel, ok
