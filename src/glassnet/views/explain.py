"""Explain mode: one forward and backward pass, step by step, in the tutorial's words.

:func:`explain` takes any network, its parameters and a batch ``(X, T)`` and returns the
text: each equation in words and symbols, its shapes, the numbers for the first few
samples, then each parameter's gradient beside its central-difference estimate. With one
hidden layer the names are the tutorial's: ``Z_h, H, Z_o, Y, Eo, Eh, JWo, Jbo, JWh, Jbh``;
deeper networks number the hidden layers (``Z_h1, H1, Eh1, JWh1``, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.losses import OutputHead
from glassnet.core.network import Backprop, Network
from glassnet.core.optimizers import Optimizer
from glassnet.core.wording import counted
from glassnet.views.explain_check import numerical_check, update_step
from glassnet.views.explain_key import check_classes, key, targets_title
from glassnet.views.explain_text import (
    ACTIVATION_TEXT,
    HEAD_TEXT,
    OUTPUT_WHY,
    PARAM_ROWS,
    UPDATE_TEXT,
    LayerNames,
    hidden_why,
    input_names,
    layer_names,
    matrix,
    number,
    weight_why,
    why,
)

__all__ = [
    "ACTIVATION_TEXT", "HEAD_TEXT", "UPDATE_TEXT", "LayerNames", "explain", "layer_names",
    "model_input_names",
]  # fmt: skip


def model_input_names(model: Any) -> list[str] | None:
    """The input columns of a :class:`~glassnet.files.model.Model` by name: a table's
    encoded columns (one ``colour=red`` per category, ``x1 (missing)`` after a column with
    missing cells), else its stored feature names; None when it has neither."""
    if model.encoding is not None:
        return list(model.encoding.feature_names())
    names = list(model.feature_names)
    return names if len(names) == model.net.sizes[0] else None


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
    out.append(f"  loss ({head.loss_name}, {head.reduction} over the N = {len(T)} samples)")
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


def explain(
    net: Network,
    params: ParamList,
    X: Array,
    T: Array,
    show: int = 3,
    eps: float = 1e-5,
    optimizer: Optimizer | None = None,
    inputs: str = "input samples, one per row",
    input_names: Sequence[str] | None = None,
    classes: Sequence[object] | None = None,
    targets: str = "targets T, one row per sample",
    update_notes: Sequence[str] = (),
    l2: float = 0.0,
) -> tuple[str, bool]:
    """The step-by-step text of one pass on ``(X, T)`` and whether the numerical check passed.

    ``show``: the samples whose numbers are printed. Every matrix is printed by one rule
    (:func:`~glassnet.views.explain_text.matrix`: shape, norm under the matrix's name, first
    rows, wide rows cut to their first and last columns, no negative zero); a batch shows
    its first ``show`` samples, a gradient or an update step its first
    :data:`~glassnet.views.explain_text.PARAM_ROWS` rows (they have no sample axis). The
    text opens with a key to the notation (:func:`~glassnet.views.explain_key.key`: what
    ``T`` holds for this head, the update's symbols with an ``optimizer``), gives the
    chain-rule step behind every error term and gradient, each gradient's numerical check
    with what its verdict rests on, and, with an ``optimizer``, its first update step and
    the loss after it. ``inputs`` says what ``X`` is (say "standardized" when it is);
    ``input_names`` (D,) name its columns (a table's encoded columns: one-hot and
    was-missing columns included), printed by number under ``X``; ``classes`` name the
    output columns (one logistic unit: two, the class of 0 and of 1), in the key and after
    the first line of ``targets``, the title of ``T``. ``update_notes``: lines in the
    UPDATE section (where its settings come from, what the step leaves out), or, with no
    ``optimizer``, why it shows no update (its first line); ``l2``: the scale of the L2
    penalty training adds, whose gradient the step includes. Raises ``ValueError`` when
    ``input_names`` or ``classes`` do not match the columns. Every number printed is one of
    :meth:`Network.backprop`, the pass that :meth:`Network.loss_and_grad` runs, or the
    head's ``output``; the gradients are then compared with central differences
    (:func:`~glassnet.views.explain_check.numerical_check`).
    """
    X = np.asarray(X, dtype=np.float64)
    T = np.asarray(T, dtype=np.float64)
    names = layer_names(len(net.activations))
    head, n_out = net.head.name, net.sizes[-1]
    if input_names is not None and len(input_names) != X.shape[1]:
        raise ValueError(f"{len(input_names)} input names for {X.shape[1]} input columns")
    check_classes(classes, head, n_out)
    sizes = "-".join(map(str, net.sizes))
    out = [
        f"One pass of the {sizes} network on N = {X.shape[0]} samples "
        f"(numbers for the first {counted(min(show, X.shape[0]), 'sample')})\n",
        key(head, n_out, classes, optimizer is not None, len(net.activations)),
    ]
    bp = net.backprop(params, X, T)  # the pass that Network.loss_and_grad runs
    names_in = None if input_names is None else [str(n) for n in input_names]
    _forward(net, params, bp, names, show, out, inputs, names_in)
    first, *rest = targets.split("\n")  # the reminder of the columns ends its first line
    title = "\n".join([first + targets_title(head, n_out, classes), *rest])
    _loss_and_output_error(net.head, bp, T, show, out, title)
    _backward(net, bp, names, show, out)
    out.append("  (these are Network.loss_and_grad's gradients: the numbers of the same pass)")
    passed = numerical_check(net, params, X, T, bp.grads, names, eps, out)
    if optimizer is not None:
        update_step(net, params, X, T, bp.grads, names, optimizer, out, update_notes, l2)
    elif update_notes:
        out.append(f"\nUPDATE: none shown: {update_notes[0]}")
    out.append(f"\ngradient check {'passed' if passed else 'FAILED'}")
    return "\n".join(out), passed
