"""The FORWARD PASS and BACKWARD PASS sections of :func:`glassnet.views.explain.explain`.

Each step is printed by one rule: its title, its formula in the network's symbols
(:func:`~glassnet.views.explain_text.layer_names`) with the shapes of its product, then
its matrix (:func:`~glassnet.views.explain_text.matrix`); the loss and the output error
join the two passes, and each error term and gradient says its chain-rule step. Every
number is one of :meth:`glassnet.core.network.Network.backprop`'s. The helpers are
``explain``'s own: this module has no public names.
"""

from __future__ import annotations

from glassnet.core._types import Array, ParamList
from glassnet.core.losses import OutputHead
from glassnet.core.network import Backprop, Network
from glassnet.core.wording import counted
from glassnet.views.explain_text import (
    ACTIVATION_TEXT,
    HEAD_TEXT,
    OUTPUT_WHY,
    PARAM_ROWS,
    LayerNames,
    hidden_why,
    input_names,
    matrix,
    number,
    weight_why,
    why,
)

__all__: list[str] = []


def _step(out: list[str], title: str, formula: str, shapes: str, M: Array, rows: int) -> None:
    """A step's title, its formula (``name = ...``, with ``shapes``, the shapes of its
    product, if any), then its result ``M`` by the one rule
    (:func:`~glassnet.views.explain_text.matrix`), its norm under ``name``."""
    out.append(f"  {title}\n    {formula}" + (f"    shapes {shapes}" if shapes else ""))
    out.append(matrix(M, rows, formula.split(" = ")[0]))


def _titles(i: int, n_hidden: int) -> tuple[str, str]:
    """The titles of hidden layer ``i``'s pre-activations and activations: numbered from
    the input (as its symbols are) when there are several."""
    if n_hidden == 1:
        return "hidden pre-activations", "hidden activations"
    return f"pre-activations of hidden layer {i + 1}", f"activations of hidden layer {i + 1}"


def _forward(
    net: Network,
    params: ParamList,
    bp: Backprop,
    names: list[LayerNames],
    show: int,
    out: list[str],
    inputs: str = "input samples, one per row",
    names_in: list[str] | None = None,
) -> None:
    out.append("FORWARD PASS")
    X = bp.inputs[0]
    _step(out, inputs, "X", "", X, show)
    if names_in is not None:
        out.append(input_names(names_in))
    prev = "X"
    for i, (act, nm) in enumerate(zip(net.activations, names, strict=False)):
        A_in, Z, A, p = bp.inputs[i], bp.Z[i], bp.inputs[i + 1], params[i]
        f, _, words = ACTIVATION_TEXT[act.name]
        shape = f"{A_in.shape} · {p['W'].shape} + {p['b'].shape} -> {Z.shape}"
        pre, post = _titles(i, len(net.activations))
        _step(out, pre, f"{nm.Z} = {prev} · {nm.W} + {nm.b}", shape, Z, show)
        _step(out, f"{post}, {words}", f"{nm.A} = " + f.format(z=nm.Z), "", A, show)
        prev = nm.A
    A, Zo, p = bp.inputs[-1], bp.Z[-1], params[-1]
    shape = f"{A.shape} · {p['W'].shape} + {p['b'].shape} -> {Zo.shape}"
    _step(out, "output pre-activations (logits)", f"Z_o = {prev} · W_o + b_o", shape, Zo, show)
    Y = net.head.output(Zo)
    output, _, words = HEAD_TEXT[net.head.name]
    _step(out, f"output, {words}", f"{names[-1].A} = {output}", "", Y, show)


def _loss_and_output_error(
    head: OutputHead, bp: Backprop, T: Array, show: int, out: list[str], targets: str
) -> None:
    per = " / N" if head.reduction == "mean" else ""
    if per and head.per_element and T.shape[-1] > 1:  # the mean over every output element
        per = f" / (N × {T.shape[-1]})"
    out.append(f"  {targets}")
    out.append(matrix(T, show, "T"))
    over = f"over the N = {counted(len(T), 'sample')}"
    out.append(f"  loss ({head.loss_name}, {head.reduction} {over})")
    out.append(f"    ξ = {HEAD_TEXT[head.name][1]}{per} = {number(bp.loss, '.6g')}")
    out.append("\nBACKWARD PASS")
    Eo = bp.errors[-1]
    _step(out, "error at the output", f"Eo = ∂ξ/∂Z_o = (Y - T){per}", "", Eo, show)
    out.append(why(OUTPUT_WHY[head.name] + (f" (then{per} for the mean)" if per else "")))


def _backward(
    net: Network, bp: Backprop, names: list[LayerNames], show: int, out: list[str]
) -> None:
    for i in reversed(range(len(net.layers))):
        nm, A_in, E, grads = names[i], bp.inputs[i], bp.errors[i], bp.grads[i]
        a_in = "X" if i == 0 else names[i - 1].A
        out.append(
            f"  gradient of {nm.W}: J{nm.W.replace('_', '')} = {a_in}^T · {nm.E}"
            f"    shapes {A_in.T.shape} · {E.shape} -> {grads['W'].shape}"
        )
        out.append(why(weight_why(a_in, nm.E)))
        JW, Jb = f"J{nm.W.replace('_', '')}", f"J{nm.b.replace('_', '')}"
        out.append(matrix(grads["W"], PARAM_ROWS, JW))  # no sample axis: never --rows
        out.append(f"  gradient of {nm.b}: {Jb} = Σ_i {nm.E}_i")
        out.append(matrix(grads["b"], PARAM_ROWS, Jb))
        if i == 0:
            break
        below, act = names[i - 1], net.activations[i - 1]
        deriv = ACTIVATION_TEXT[act.name][1].format(a=below.A)
        E_below = bp.errors[i - 1]  # (N, H_{i-1})
        formula = f"{below.E} = ∂ξ/∂{below.Z} = {deriv} ∘ ({nm.E} · {nm.W}^T)"
        number_of = f" {i}" if len(net.activations) > 1 else ""  # hidden layer i, from X
        _step(out, f"error at the hidden layer{number_of}", formula, "", E_below, show)
        out.append(why(hidden_why(below.E, below.Z, below.A, nm.E, nm.W, deriv)))
