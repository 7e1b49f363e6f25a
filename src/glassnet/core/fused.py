"""The optimizer's update fused into the weight gradient's product (NumPy with scipy's BLAS).

The compiled step (:mod:`glassnet.core.fast`) computes each weight gradient as a product,
``dW = A^T dZ`` (:meth:`Dense.param_grads <glassnet.core.layers.Dense.param_grads>`), and
then runs the optimizer's rule over it: for the tutorial's momentum
``M <- lambda M - mu dW; W <- W + M`` that is the product plus five passes over every
weight. Where the rule is *affine* in the gradient and writes its update into one buffer
(momentum: ``M``; plain SGD: ``W`` itself), ``gemm``'s ``C <- alpha A^T dZ + beta C``
(:mod:`glassnet.core.blas`) computes the rule in the product, leaving one pass,
``W <- W + M``.

Nothing here restates a rule: :func:`affine_rule` *evaluates* the optimizer's own
``rule`` on probe numbers and reads its coefficients (``alpha = -mu``, ``beta = lambda`` for
momentum), with the learning rate of the step at hand, and checks that the rule is
affine; a rule that is not (Adam, whose step divides by a root of its second moment) or
whose update is not the buffer it writes (Nesterov's ``lambda M - mu g``) is run as it is.
The L2 term enters by the same linearity: the rule of ``g + scale W`` adds
``alpha * scale W`` (:func:`glassnet.core.regularization.l2_gradient`) to the buffer.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from glassnet.core.blas import Product
from glassnet.core.regularization import l2_gradient, l2_value
from glassnet.core.workspace import Workspace


class AffineRule(NamedTuple):
    """A rule whose buffer ``C`` becomes ``beta C + alpha g``, the update being ``C``'s new
    value (``slot``: the optimizer slot ``C`` is) or ``C`` the parameters (``slot`` None)."""

    slot: int | None
    alpha: float
    beta: float


_PROBES = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0],
                    [0.37, -1.3, 2.1], [-2.9, 0.61, -0.45]])  # fmt: skip
_FOUND: dict[Any, AffineRule | None] = {}  # (optimizer, t) -> its rule, or None


def _evaluate(opt: Any, t: int, g: float, s0: float, s1: float) -> list[float]:
    """``[update, slot 0, slot 1]`` after the rule on one number of each (in buffers, as
    the compiled step runs it)."""
    grad, slots, scratch = np.array([g]), (np.array([s0]), np.array([s1])), np.zeros(1)
    update, new = opt.rule(grad, slots, t, out=grad, scratch=scratch)
    after = [*(s[0] for s in new), *(s[0] for s in slots[len(new) :])]
    return [float(update[0]), *after]


def affine_rule(opt: Any, t: int) -> AffineRule | None:
    """The coefficients of ``opt``'s rule at update number ``t``, if it is affine as
    described in the module docstring, else None (cached per optimizer and ``t``)."""
    try:
        key = (opt, t)
        if key in _FOUND:
            return _FOUND[key]
    except TypeError:  # an array hyperparameter (a population): not here
        return None
    try:
        with np.errstate(all="ignore"):
            F = np.array([_evaluate(opt, t, *x) for x in _PROBES])  # (probes, 3)
    except Exception:  # a rule that cannot run on probes is run as it is
        F = np.full((len(_PROBES), 3), np.nan)
    J = F[1:4].T  # J[output, input]: outputs update, slot 0, slot 1; inputs g, s0, s1
    affine = np.all(F[0] == 0) and np.allclose(F[4:], _PROBES[4:] @ J.T, rtol=1e-9, atol=0)
    rule = _classify(J) if affine else None
    if len(_FOUND) > 256:
        _FOUND.clear()
    _FOUND[key] = rule
    return rule


def _classify(J: Any) -> AffineRule | None:
    """The :class:`AffineRule` of an affine rule's matrix ``J`` (see :func:`affine_rule`)."""
    update, slots = J[0], J[1:]
    moved = [j for j in range(2) if not np.array_equal(slots[j], np.eye(3)[j + 1])]
    if not moved and update[0] != 0 and not np.any(update[1:]):  # theta += alpha g
        return AffineRule(None, float(update[0]), 1.0)
    if len(moved) == 1:
        j = moved[0]
        alpha, beta, other = slots[j][0], slots[j][j + 1], slots[j][2 - j]
        if other == 0 and alpha != 0 and np.array_equal(update, slots[j]):  # C = beta C + alpha g
            return AffineRule(j, float(alpha), float(beta))
    return None


def update(
    ws: Workspace, products: list[Product], opt: Any, rule: AffineRule, t: int, l2_scale: Any
) -> float:
    """``theta <- theta + update`` with each layer's weight update computed in its gradient's
    product (``products[l]``: ``A_{l-1}^T dZ_l``; the gradient ``ws.grads[l]["W"]`` is never
    written); the biases by the rule itself. Returns the L2 penalty (0 without ``l2_scale``)."""
    decay = bool(l2_scale)
    weights = [p["W"] for p in ws.params]
    penalty = l2_value(ws.params, l2_scale) if decay else 0.0
    for i, product in enumerate(products):
        W = weights[i]
        C = W if rule.slot is None else ws.slot_views[rule.slot][i]["W"]
        if decay:  # alpha * (scale W), from the weights before this step
            term = l2_gradient(W, rule.alpha * l2_scale, out=ws.scratch_views[i]["W"])
        product.into(C, rule.alpha, rule.beta)  # C <- beta C + alpha A^T dZ
        if decay:
            np.add(C, term, out=C)
        if rule.slot is not None:
            np.add(W, C, out=W)  # theta <- theta + update: the update is C
    slots = [[s[i]["b"] for i in range(len(products))] for s in ws.slot_views]
    for i, (b, g) in enumerate(zip(ws.params, ws.grads, strict=True)):
        step, _ = opt.rule(g["b"], (slots[0][i], slots[1][i]), t, out=g["b"],
                           scratch=ws.scratch_views[i]["b"])  # fmt: skip
        np.add(b["b"], step, out=b["b"])
    return penalty
