"""The end of :mod:`glassnet.views.explain`'s pass: each gradient beside its
central-difference estimate (:func:`numerical_check`), and the optimizer's first step from
those gradients with its numbers (:func:`update_step`)."""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.gradcheck import compare, numerical_gradient, relu_pattern
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer, apply_updates
from glassnet.core.regularization import l2_penalty, l2_value
from glassnet.core.wording import counted
from glassnet.views.explain_key import SYMBOLS
from glassnet.views.explain_text import PARAM_ROWS, UPDATE_TEXT, LayerNames, matrix, number

RTOL, ATOL = 1e-5, 1e-7  # an element passes when |num - ana| <= ATOL + RTOL * max(|num|, |ana|)


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
    """Each parameter's gradient ``grads`` beside its central differences, with what each
    verdict rests on (:func:`verdict`); elements at a ReLU kink are left out and counted."""
    out.append(f"\nNUMERICAL CHECK (central differences, eps = {eps:g})")
    out.append("  ∂ξ/∂θ_i ≈ (ξ(θ_i + eps) - ξ(θ_i - eps)) / (2 eps), for every element θ_i")
    out.append("  an element passes when |num - ana| ≤ atol + rtol · max(|num|, |ana|)")
    out.append(f"    (atol = {ATOL:g}, rtol = {RTOL:g}; num, ana: its numerical and analytic "
               "gradient;\n    its relative error: |num - ana| / max(|num|, |ana|))")
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
            ana = np.asarray(grads[i][key], dtype=np.float64)
            ok, said = verdict(num, ana, ~kinks)  # at a kink the difference is no gradient
            ok_all &= ok
            norms = (f"(‖numerical‖ = {number(np.linalg.norm(num), '.6g')}, "
                     f"‖analytic‖ = {number(np.linalg.norm(ana), '.6g')})")  # fmt: skip
            out.append(_wrap(f"{sym}: {said}  {norms}", "       "))
    return ok_all


def _wrap(text: str, under: str) -> str:
    """``text`` from column 2, wrapped at 92 columns, its next lines indented by ``under``."""
    return textwrap.fill(text, 92, initial_indent="  ", subsequent_indent=under,
                         break_on_hyphens=False)  # fmt: skip


def verdict(num: Array, ana: Array, judged: Array) -> tuple[bool, str]:
    """Whether the ``judged`` elements of ``num`` and ``ana`` (same shape) agree by
    :func:`glassnet.core.gradcheck.compare`'s rule, and the words: the max absolute and
    relative errors, then what the verdict rests on: every relative error within rtol; or
    the absolute tolerance, with the size of the gradients it passed (near 0 a relative
    error means little); or the element that broke the bound, with the bound."""
    n = int(judged.sum())
    if n == 0:
        size = judged.size
        return True, (f"its {size} element is at a ReLU kink: none judged" if size == 1
                      else f"all {size} of its elements are at a ReLU kink: none judged")
    at = np.flatnonzero(judged)  # the judged elements, flat
    n_j, a_j = num.reshape(-1)[at], ana.reshape(-1)[at]
    max_abs, max_rel, worst, ok = compare(n_j, a_j, rtol=RTOL, atol=ATOL)
    left_out = f" ({judged.size - n} at a ReLU kink left out)" if n < judged.size else ""
    errors = f"max abs error {max_abs:.2e}, max relative error {max_rel:.2e}{left_out}"
    scale = np.maximum(np.abs(n_j), np.abs(a_j))
    if not ok:
        w = worst[0]
        where = tuple(int(i) for i in np.unravel_index(int(at[w]), num.shape))
        return False, (f"MISMATCH at element {where}: |num - ana| = {abs(n_j[w] - a_j[w]):.2e} "
                       f"> allowed {ATOL + RTOL * scale[w]:.2e} = atol + rtol · "
                       f"max(|num|, |ana|); {errors}")  # fmt: skip
    big = np.abs(n_j - a_j) > RTOL * scale  # relative error over rtol: atol passed them
    if not big.any():
        return True, f"ok, every relative error within rtol: {errors}"
    k = int(big.sum())
    return True, (f"ok on the absolute tolerance: max abs error {max_abs:.2e}{left_out}, each "
                  f"|num - ana| within atol + rtol · max(|num|, |ana|); the max relative "
                  f"error, {max_rel:.2e}, is of {counted(k, 'element')} at most "
                  f"{scale[big].max():.2e} in size: near 0, where a relative error means "
                  f"little")  # fmt: skip


def update_step(
    net: Network,
    params: ParamList,
    X: Array,
    T: Array,
    grads: ParamList,
    names: list[LayerNames],
    optimizer: Optimizer,
    out: list[str],
    notes: Sequence[str] = (),
    l2: float = 0.0,
) -> None:
    """The optimizer's first step from these gradients, with its numbers; its settings
    named by symbol and by name (``μ = learning_rate = 0.003``), as the key defines them;
    ``notes``: lines under the rule (where the settings come from, what the step leaves
    out). Each step is printed as ``Δθ`` (:func:`~glassnet.views.explain_text.matrix`).
    ``l2``: the scale ``s`` of the L2 penalty ``(s / 2) Σ ‖W‖²`` that training adds, whose
    gradient ``s · W`` goes into each weight's ``J`` before the step
    (:func:`glassnet.core.regularization.l2_penalty`, as the training loop adds it)."""
    rule = UPDATE_TEXT.get(type(optimizer).__name__, "θ = θ + update(J)")
    settings = ", ".join(
        f"{SYMBOLS[k]} = {k} = {v:g}" if k in SYMBOLS else f"{k} = {v:g}"
        for k, v in dataclasses.asdict(optimizer).items()
    )
    name = type(optimizer).__name__
    out.append(f"\nUPDATE ({name}: {settings}; its first step, from zero state)")
    out.append(f"  {rule}")
    out.extend(_wrap(note, "    ") for note in notes)
    if l2:
        out.append(_wrap("with the L2 penalty (s / 2) Σ ‖W‖² that training adds: J = ∂ξ/∂θ + "
                         f"s · W for each weight W (biases have none), s = {l2:.6g}", "    "))
        grads = l2_penalty(params, grads, l2)[1]
    state: Any = optimizer.init(params)
    updates, _ = optimizer.update(grads, state, params)
    new = apply_updates(params, updates)
    for i, nm in reversed(list(enumerate(names))):
        for key, sym in (("W", nm.W), ("b", nm.b)):
            out.append(f"  step of {sym} (the change added to it)")
            out.append(matrix(updates[i][key], PARAM_ROWS, f"Δ{sym}"))  # never --rows
    before, after = net.loss(params, X, T), net.loss(new, X, T)
    out.append(f"  loss before the step ξ = {number(before, '.6g')}, "
               f"after it ξ = {number(after, '.6g')}")
    if l2:
        pairs = ((before, params), (after, new))
        penalized = [number(v + l2_value(p, l2), ".6g") for v, p in pairs]
        out.append(f"  with the penalty, ξ + (s / 2) Σ ‖W‖²: before {penalized[0]}, "
                   f"after {penalized[1]}")
