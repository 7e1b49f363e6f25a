"""The equation behind a selected unit or weight, in the tutorial's names, with numbers.

The names are those of ``glassnet explain`` (:func:`glassnet.views.explain.layer_names`:
``Z_h, H, W_h, b_h, Eh`` for one hidden layer, ``Z_h1, H1, ...`` for more, ``Z_o, Y, W_o,
b_o, Eo`` for the output) and the activation texts are explain's. The numbers are the
network's own: those of :meth:`Network.backprop` (the pass of :meth:`Network.loss_and_grad`)
on the training rows. The gradient check is
:func:`glassnet.core.gradcheck.check_network`.
"""

from __future__ import annotations

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.gradcheck import check_network
from glassnet.core.network import Network
from glassnet.views.explain import ACTIVATION_TEXT, HEAD_TEXT, layer_names

CHECK_ROWS = 20  # samples in the gradient check's batch
CHECK_ELEMENTS = 200  # elements checked per parameter array at most


def unit_text(net: Network, params: ParamList, X: Array, T: Array, layer: int, j: int) -> str:
    """Unit ``j`` of dense layer ``layer`` (the last is the output): its equation on the
    first sample of ``X (N, D)``, and the gradient of its incoming weights on ``(X, T)``;
    every number from one :meth:`Network.backprop` on ``(X, T)``."""
    names = layer_names(len(net.activations))
    nm, W, b = names[layer], params[layer]["W"], params[layer]["b"]
    bp = net.backprop(params, X, T)
    a_in, z = bp.inputs[layer][0], float(bp.Z[layer][0, j])  # the first sample's
    prev = "x" if layer == 0 else names[layer - 1].A.lower()
    terms = " + ".join(f"{a:.3g}·{w:.3g}" for a, w in zip(a_in[:8], W[:8, j], strict=True))
    more = " + …" if len(a_in) > 8 else ""
    where = "the output" if layer == len(net.activations) else f"hidden layer {layer + 1}"
    lines = [
        f"unit {j + 1} of {where}, first training sample",
        f"  {nm.Z}[{j}] = Σ_i {prev}_i · {nm.W}[i,{j}] + {nm.b}[{j}]",
        f"          = {terms}{more} + {b[0, j]:.3g} = {z:.4g}",
    ]
    if layer < len(net.activations):
        act = net.activations[layer]
        a = float(bp.inputs[layer + 1][0, j])
        f, deriv, words = ACTIVATION_TEXT[act.name]
        lines.append(f"  {nm.A}[{j}] = {f.format(z=f'{nm.Z}[{j}]')} = {a:.4g}   ({words})")
        lines.append(f"  its derivative: f' = {deriv.format(a=nm.A)}")
        lines.append(f"  error: {nm.E} = f' ∘ (E_next · W_next^T)")
    else:
        text = HEAD_TEXT[net.head.name]
        Y = net.head.output(bp.Z[-1][:1])[0]
        lines.append(f"  {nm.A} = {text[0]}; {nm.A}[{j}] = {Y[j]:.4g}   ({text[2]})")
        C = net.sizes[-1]  # the squared error's mean is over every output element
        per = f"(N × {C})" if net.head.per_element and C > 1 else "N"
        lines.append(f"  error: Eo = ∂ξ/∂Z_o = (Y - T) / {per};  loss ξ = {text[1]} / {per}")
    g = bp.grads[layer]["W"][:, j]
    lines.append(f"  gradients on the {len(X)} training samples: ∂ξ/∂{nm.W}[:,{j}] = "
                 + np.array2string(g[:8], precision=3) + (" …" if len(g) > 8 else ""))  # fmt: skip
    return "\n".join(lines)


def weight_text(
    net: Network, params: ParamList, X: Array, T: Array, layer: int, i: int, j: int,
    rule: str,
) -> str:  # fmt: skip
    """Weight ``W[i, j]`` of dense layer ``layer``: its value, its gradient on ``(X, T)``
    and the optimizer's update ``rule`` (a line of text, e.g. the tutorial's momentum)."""
    names = layer_names(len(net.activations))
    nm = names[layer]
    prev = "X" if layer == 0 else names[layer - 1].A
    _, grads = net.loss_and_grad(params, X, T)
    w, g = float(params[layer]["W"][i, j]), float(grads[layer]["W"][i, j])
    return "\n".join([
        f"weight {nm.W}[{i},{j}]: from {'input' if layer == 0 else 'unit'} {i + 1} "
        f"to unit {j + 1}",
        f"  value {nm.W}[{i},{j}] = {w:.5g}",
        f"  gradient J{nm.W.replace('_', '')} = {prev}^T · {nm.E};  "
        f"∂ξ/∂{nm.W}[{i},{j}] = Σ_n {prev}[n,{i}] · {nm.E}[n,{j}] = {g:.5g}",
        f"  update: {rule}",
    ])  # fmt: skip


def gradient_check_text(net: Network, params: ParamList, X: Array, T: Array) -> str:
    """The gradient check's table on the first ``CHECK_ROWS`` samples, in float64."""
    report = check_network(net, params, X[:CHECK_ROWS], T[:CHECK_ROWS], max_elements=CHECK_ELEMENTS)
    return report.format()


RULES = {  # the optimizers' update equations, as their docstrings write them
    "sgd": "θ ← θ − μ·∂ξ/∂θ   (μ = {lr:g})",
    "momentum": "M ← λ·M − μ·∂ξ/∂θ;  θ ← θ + M   (μ = {lr:g}, λ = {m:g})",
    "nesterov": "M ← λ·M − μ·∂ξ/∂θ;  θ ← θ + λ·M − μ·∂ξ/∂θ   (μ = {lr:g}, λ = {m:g})",
    "adam": "m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − μ·m̂ / (√v̂ + ε)   (μ = {lr:g})",
}


def rule_text(optimizer: str, learning_rate: float, momentum: float, l2: float) -> str:
    """The update of one parameter under the optimizer, with its hyperparameters."""
    text = RULES[optimizer].format(lr=learning_rate, m=momentum)
    return text + (f";  with L2, ∂ξ/∂W gains {l2:g}·W" if l2 else "")
