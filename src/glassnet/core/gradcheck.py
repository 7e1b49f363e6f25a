"""Gradient checking by central differences.

For every element ``theta_i`` of every parameter the numerical gradient is::

    (f(theta_i + eps) - f(theta_i - eps)) / (2 eps)

computed in float64, and compared with the analytical (backpropagated) gradient.

Tolerance rule: an element passes when ``|num - ana| <= atol + rtol * max(|num|, |ana|)``
(with the defaults ``eps = 1e-5``, ``rtol = 1e-5``, ``atol = 1e-7``). The relative error
reported for an element is ``|num - ana| / max(|num|, |ana|)`` (0 where both are 0).

Kinks: where moving an element by ``+-eps`` changes which side of a non-differentiable
point some unit is on (a ReLU pre-activation within ``eps``-reach of 0), the two sides have
different slopes and the central difference is no gradient at all. Such elements are
found by comparing the units' on/off pattern at ``theta +- eps`` with that at ``theta``;
they are counted and reported as kinks, and left out of the verdict (CS231n's notes on
gradient checks call these "kinks in the objective").

The step: an ``eps`` that cannot move a checked element (``theta + eps == theta`` in
float64: 1e-300 beside weights near 1) is refused before any loss is computed
(:class:`~glassnet.core.finite_differences.StepTooSmall`, a ``ValueError`` naming ``eps``
and the parameters' float64 resolution). An element off by more than the tolerance but
within the difference's own error (round-off, which grows as ``eps`` shrinks; truncation,
which grows as ``eps**2``: :mod:`glassnet.core.finite_differences`) is *unresolved*; a
report whose only elements off are unresolved is *inconclusive*
(:attr:`GradientReport.verdict`), not failed, and says why (``eps too small for float64
round-off; try 1e-5..1e-7``), so correct gradients are never blamed for the step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.array_checks import check_array, chosen, verdict
from glassnet.core.batch_checks import check_batch
from glassnet.core.finite_differences import StepTooSmall, check_step, compare, numerical_gradient
from glassnet.core.gradreport import (
    GradientCheckError,
    GradientCheckInconclusive,
    GradientReport,
    ParamCheck,
)
from glassnet.core.layered_loss import LayerLoss
from glassnet.core.network import Network


def check_gradients(
    loss_fn: Callable[[ParamList], float],
    params: ParamList,
    grads: ParamList,
    eps: float = 1e-5,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    raise_on_failure: bool = False,
    max_elements: int | None = None,
    pattern: Callable[[ParamList], bytes] | None = None,
) -> GradientReport:
    """Check analytical ``grads`` against central differences of ``loss_fn(params)``.

    ``params`` is copied to float64 first and never modified. Every element of every
    parameter is perturbed, unless ``max_elements`` caps how many (a seeded random choice)
    are checked in each parameter array, for networks too large to check whole. With
    ``pattern(params)``, the on/off pattern of the non-differentiable units, elements at
    a kink are counted and not judged (module docstring).
    Raises :class:`GradientCheckError` on failure when asked to
    (:class:`GradientCheckInconclusive` when the check cannot judge), and
    :class:`StepTooSmall` (a ``ValueError``) for an ``eps`` that cannot move the elements.
    """
    work = [{k: np.array(v, dtype=np.float64) for k, v in p.items()} for p in params]
    at = None if pattern is None else (lambda: pattern(work))
    picks = _picks(work, [max_elements] * len(work), eps)
    checks, tol = [], (eps, rtol, atol)
    for layer, (p, g) in enumerate(zip(work, grads, strict=True)):
        for name, theta in p.items():
            picked = picks[layer, name]
            checks.append(check_array(layer, name, theta, g[name], lambda: loss_fn(work), at,
                                       picked, tol))  # fmt: skip
    return verdict(checks, (eps, rtol, atol), raise_on_failure)


def _picks(
    work: ParamList, caps: list[int | None], eps: float
) -> dict[tuple[int, str], list[tuple[int, ...]]]:
    """The elements to check in each parameter array (a seeded choice where capped), once
    ``eps`` is known to move every one of them (:func:`check_step`)."""
    rng = np.random.default_rng(0)
    picks = {(layer, name): chosen(theta.shape, caps[layer], rng)
             for layer, p in enumerate(work) for name, theta in p.items()}  # fmt: skip
    check_step(eps, [np.array([work[layer][name][i] for i in idx], dtype=np.float64)
                     for (layer, name), idx in picks.items()])  # fmt: skip
    return picks


def relu_pattern(net: Network, X: Array) -> Callable[[ParamList], bytes]:
    """The on/off pattern ``A > 0`` of every ReLU hidden unit on ``X`` (ReLU's kink is at 0,
    and ``A > 0`` exactly when its input ``Z > 0``)."""
    check_batch(X, net.sizes[0], "X")  # once, not at each perturbation
    relu = [i for i, a in enumerate(net.activations) if a.name == "relu"]

    def pattern(params: ParamList) -> bytes:
        hidden = net._forward(params, X)[0][1:]  # unchecked: X was checked once
        return b"".join(np.packbits(hidden[i] > 0).tobytes() for i in relu)

    return pattern


def check_network(
    net: Network,
    params: ParamList,
    X: Array,
    T: Array,
    eps: float = 1e-5,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    raise_on_failure: bool = False,
    max_elements: int | Sequence[int | None] | None = None,
) -> GradientReport:
    """Check :meth:`Network.loss_and_grad` of ``net`` at ``params`` on the batch ``(X, T)``;
    elements at a ReLU kink are reported as such (:func:`relu_pattern`).

    ``max_elements``: at most this many elements (a seeded choice) of each parameter array,
    or one cap per layer (a sequence, ``None`` for all of that layer's). Each perturbed loss
    runs the forward pass from the perturbed layer on (:class:`LayerLoss`), in float64.
    Raises :class:`~glassnet.core.validation.DataError` for inputs the network refuses
    (:meth:`Network.check_inputs`: no samples, non-numeric values, NaN, wrong shapes),
    checked once, before the float64 copies; each perturbed loss is then unchecked.
    ``eps`` and ``raise_on_failure`` as in :func:`check_gradients`."""
    net.check_inputs(params, X, T)
    X64 = np.asarray(X, dtype=np.float64)
    T64 = np.asarray(T, dtype=np.float64)
    work = [{k: np.array(v, dtype=np.float64) for k, v in p.items()} for p in params]
    _, grads = net._loss_and_grad(work, X64, T64)
    inputs, _ = net._forward(work, X64)  # A_{l-1}, the input of each layer, at theta
    relu = any(a.name == "relu" for a in net.activations)
    picks = _picks(work, _per_layer(max_elements, len(work)), eps)
    checks, tol = [], (eps, rtol, atol)
    for layer, (p, g) in enumerate(zip(work, grads, strict=True)):
        f = LayerLoss(net, work, inputs[layer], layer, T64, relu)
        for name, theta in p.items():
            at = f.pattern if relu else None
            checks.append(check_array(layer, name, theta, g[name], f.loss, at,
                                      picks[layer, name], tol))  # fmt: skip
    return verdict(checks, (eps, rtol, atol), raise_on_failure)


def _per_layer(max_elements: int | Sequence[int | None] | None, n: int) -> list[int | None]:
    if max_elements is None or isinstance(max_elements, int | np.integer):
        return [None if max_elements is None else int(max_elements)] * n
    caps = list(max_elements)
    if len(caps) != n:
        raise ValueError(f"max_elements has {len(caps)} caps for {n} layers")
    return caps


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
    check_step(eps, [x])
    G = rng.standard_normal(forward(x).shape)
    num = numerical_gradient(lambda: float(np.sum(forward(x) * G)), x, eps)
    _, rel, _, ok = compare(num, backward(G), rtol, atol)
    return rel, ok


__all__ = [
    "GradientCheckError",
    "GradientCheckInconclusive",
    "GradientReport",
    "ParamCheck",
    "StepTooSmall",
    "check_gradients",
    "check_network",
    "check_vjp",
    "compare",
    "numerical_gradient",
    "relu_pattern",
]
