"""The end of :mod:`glassnet.views.explain`'s pass: each gradient beside its
central-difference estimate (:func:`numerical_check`), and the optimizer's first step from
those gradients with its numbers (:func:`update_step`)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.gradcheck import compare, numerical_gradient, relu_pattern
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer, apply_updates
from glassnet.views.explain_text import PARAM_ROWS, SYMBOLS, UPDATE_TEXT, LayerNames, matrix


def numerical_check(
    net: Network,
    params: ParamList,
    X: Array,
    T: Array,
    grads: ParamList,
    names: list[LayerNames],
    eps: float,
    out: list[str],
) -> bool:
    out.append(f"\nNUMERICAL CHECK (central differences, eps = {eps:g})")
    out.append("  ∂ξ/∂θ_i ≈ (ξ(θ_i + eps) - ξ(θ_i - eps)) / (2 eps), for every element θ_i")
    work = [{k: np.array(v, dtype=np.float64) for k, v in p.items()} for p in params]
    relu = relu_pattern(net, X) if any(a.name == "relu" for a in net.activations) else None
    ok_all = True
    for i, nm in reversed(list(enumerate(names))):
        for key, sym in (("W", nm.W), ("b", nm.b)):
            kinks = np.zeros(work[i][key].shape, dtype=bool)
            pattern = None if relu is None else (lambda: relu(work))
            num = numerical_gradient(
                lambda: net.loss(work, X, T), work[i][key], eps, pattern=pattern, kinks=kinks
            )
            judged = ~kinks  # at a ReLU kink the central difference is no gradient
            ana = np.asarray(grads[i][key], dtype=np.float64)
            _, rel, _, ok = compare(num[judged], ana[judged], rtol=1e-5, atol=1e-7)
            ok_all &= ok
            left_out = f", {kinks.sum()} at a ReLU kink left out" if kinks.any() else ""
            out.append(
                f"  {sym}: numerical gradient, max relative error {rel:.2e}{left_out}: "
                f"{'ok' if ok else 'MISMATCH'}  (‖numerical‖ = {np.linalg.norm(num):.6g}, "
                f"‖analytic‖ = {np.linalg.norm(grads[i][key]):.6g})"
            )
    return ok_all


def update_step(
    net: Network,
    params: ParamList,
    X: Array,
    T: Array,
    grads: ParamList,
    names: list[LayerNames],
    optimizer: Optimizer,
    out: list[str],
) -> None:
    """The optimizer's first step from these gradients, with its numbers; its settings
    named by symbol and by name (``μ = learning_rate = 0.003``), as the key defines them."""
    rule = UPDATE_TEXT.get(type(optimizer).__name__, "θ = θ + update(J)")
    settings = ", ".join(
        f"{SYMBOLS[k]} = {k} = {v:g}" if k in SYMBOLS else f"{k} = {v:g}"
        for k, v in dataclasses.asdict(optimizer).items()
    )
    name = type(optimizer).__name__
    out.append(f"\nUPDATE ({name}: {settings}; its first step, from zero state)")
    out.append(f"  {rule}")
    state: Any = optimizer.init(params)
    updates, _ = optimizer.update(grads, state, params)
    new = apply_updates(params, updates)
    for i, nm in reversed(list(enumerate(names))):
        for key, sym in (("W", nm.W), ("b", nm.b)):
            out.append(f"  step of {sym} (the change added to it)")
            out.append(matrix(updates[i][key], PARAM_ROWS))  # no sample axis: never --rows
    before, after = net.loss(params, X, T), net.loss(new, X, T)
    out.append(f"  loss before the step ξ = {before:.6g}, after it ξ = {after:.6g}")
