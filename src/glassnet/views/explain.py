"""Explain mode: one forward and backward pass, step by step, in the tutorial's words.

:func:`explain` takes any network, its parameters and a batch ``(X, T)`` and returns the
text: each equation in words and symbols, its shapes, the numbers for the first few
samples, then each parameter's gradient beside its central-difference estimate. With one
hidden layer the names are the tutorial's: ``Z_h, H, Z_o, Y, Eo, Eh, JWo, Jbo, JWh, Jbh``;
deeper networks number the hidden layers (``Z_h1, H1, Eh1, JWh1``, ...).
"""

from __future__ import annotations

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.losses import OutputHead
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer
from glassnet.views.explain_check import numerical_check, update_step
from glassnet.views.explain_text import (
    ACTIVATION_TEXT,
    HEAD_TEXT,
    KEY,
    OUTPUT_WHY,
    UPDATE_TEXT,
    LayerNames,
    hidden_why,
    layer_names,
    matrix,
    weight_why,
    why,
)

__all__ = ["ACTIVATION_TEXT", "HEAD_TEXT", "UPDATE_TEXT", "LayerNames", "explain", "layer_names"]


def _step(out: list[str], title: str, formula: str, shape: str, M: Array, show: int) -> None:
    out.append(f"  {title}\n    {formula}    shape {shape}")
    out.append(matrix(M, show))


def _forward(
    net: Network,
    params: ParamList,
    X: Array,
    names: list[LayerNames],
    show: int,
    out: list[str],
    inputs: str = "input samples, one per row",
) -> tuple[list[Array], Array]:
    out.append("FORWARD PASS")
    _step(out, inputs, "X", str(X.shape), X, show)
    A, prev, acts = X, "X", [X]
    for layer, act, p, nm in zip(net.layers, net.activations, params, names, strict=False):
        Z = layer.forward(p, A)[0]
        f, _, words = ACTIVATION_TEXT[act.name]
        shape = f"{A.shape} · {p['W'].shape} + {p['b'].shape} -> {Z.shape}"
        _step(out, "hidden pre-activations", f"{nm.Z} = {prev} · {nm.W} + {nm.b}", shape, Z, show)
        A, prev = act.forward(Z), nm.A
        _step(
            out,
            f"hidden activations, {words}",
            f"{nm.A} = " + f.format(z=nm.Z),
            str(A.shape),
            A,
            show,
        )
        acts.append(A)
    Zo = net.layers[-1].forward(params[-1], A)[0]
    o = names[-1]
    shape = f"{A.shape} · {params[-1]['W'].shape} + {params[-1]['b'].shape} -> {Zo.shape}"
    _step(out, "output pre-activations (logits)", f"Z_o = {prev} · W_o + b_o", shape, Zo, show)
    Y = net.head.output(Zo)
    _step(
        out,
        f"output, {HEAD_TEXT[net.head.name][2]}",
        f"{o.A} = {HEAD_TEXT[net.head.name][0]}",
        str(Y.shape),
        Y,
        show,
    )
    return acts, Zo


def _loss_and_output_error(
    head: OutputHead, Zo: Array, T: Array, show: int, out: list[str]
) -> Array:
    loss, Eo = head.loss_and_error(Zo, T)
    per = " / N" if head.reduction == "mean" else ""
    out.append(f"  targets T {T.shape}, one row per sample")
    out.append(matrix(T, show))
    out.append(f"  loss ({head.loss_name}, {head.reduction} over the N = {len(T)} samples)")
    out.append(f"    ξ = {HEAD_TEXT[head.name][1]}{per} = {loss:.6g}")
    out.append("\nBACKWARD PASS")
    _step(out, "error at the output", f"Eo = ∂ξ/∂Z_o = (Y - T){per}", str(Eo.shape), Eo, show)
    out.append(why(OUTPUT_WHY[head.name] + (" (then / N for the mean)" if per else "")))
    return Eo


def _backward(
    net: Network,
    params: ParamList,
    acts: list[Array],
    Eo: Array,
    names: list[LayerNames],
    show: int,
    out: list[str],
) -> ParamList:
    grads: ParamList = [{} for _ in net.layers]
    E = Eo
    for i in reversed(range(len(net.layers))):
        nm, A_in = names[i], acts[i]
        a_in = "X" if i == 0 else names[i - 1].A
        dA, grads[i] = net.layers[i].backward(E, A_in, params[i], input_grad=i > 0)
        out.append(
            f"  gradient of {nm.W}: J{nm.W.replace('_', '')} = {a_in}^T · {nm.E}"
            f"    shape {A_in.T.shape} · {E.shape} -> {grads[i]['W'].shape}"
        )
        out.append(why(weight_why(a_in, nm.E)))
        out.append(matrix(grads[i]["W"], show))
        out.append(
            f"  gradient of {nm.b}: J{nm.b.replace('_', '')} = Σ_i {nm.E}_i"
            f"    shape {grads[i]['b'].shape}"
        )
        out.append(matrix(grads[i]["b"], 1))
        if dA is None:
            break
        below, act = names[i - 1], net.activations[i - 1]
        E = act.backward(dA, acts[i])  # (N, H_{i-1})
        deriv = ACTIVATION_TEXT[act.name][1].format(a=below.A)
        _step(
            out,
            "error at the hidden layer",
            f"{below.E} = ∂ξ/∂{below.Z} = {deriv} ∘ ({nm.E} · {nm.W}^T)",
            str(E.shape),
            E,
            show,
        )
        out.append(why(hidden_why(below.E, below.Z, below.A, nm.E, nm.W, deriv)))
    return grads


def explain(
    net: Network,
    params: ParamList,
    X: Array,
    T: Array,
    show: int = 3,
    eps: float = 1e-5,
    optimizer: Optimizer | None = None,
    inputs: str = "input samples, one per row",
) -> tuple[str, bool]:
    """The step-by-step text of one pass on ``(X, T)`` and whether the numerical check passed.

    ``show``: the samples whose numbers are printed (every matrix is printed the same way:
    whole when small, else shape, norm and the first ``show`` rows). The text opens with a
    key to the notation, gives the chain-rule step behind every error term and gradient,
    and, with an ``optimizer``, ends with its first update step and the loss after it.
    ``inputs`` says what ``X`` is (say "standardized" when it is). Every number comes from
    the library's own functions, called step by step (each layer's ``forward`` and
    ``backward``, each activation, the head's ``loss_and_error``); the gradients are also
    compared with :meth:`Network.loss_and_grad`.
    """
    X = np.asarray(X, dtype=np.float64)
    T = np.asarray(T, dtype=np.float64)
    names = layer_names(len(net.activations))
    sizes = "-".join(map(str, net.sizes))
    out = [
        f"One pass of the {sizes} network on N = {X.shape[0]} samples "
        f"(numbers for the first {min(show, X.shape[0])})\n",
        KEY,
    ]
    acts, Zo = _forward(net, params, X, names, show, out, inputs)
    Eo = _loss_and_output_error(net.head, Zo, T, show, out)
    grads = _backward(net, params, acts, Eo, names, show, out)
    same = _same_as_the_seam(net, params, X, T, grads)
    out.append(f"  (these equal Network.loss_and_grad's gradients: {'yes' if same else 'NO'})")
    passed = numerical_check(net, params, X, T, grads, names, eps, out) and same
    if optimizer is not None:
        update_step(net, params, X, T, grads, names, optimizer, show, out)
    out.append(f"\ngradient check {'passed' if passed else 'FAILED'}")
    return "\n".join(out), passed


def _same_as_the_seam(
    net: Network, params: ParamList, X: Array, T: Array, grads: ParamList
) -> bool:
    """Whether the step-by-step gradients equal :meth:`Network.loss_and_grad`'s."""
    _, library = net.loss_and_grad(params, X, T)
    return all(
        np.allclose(g[k], lg[k], rtol=1e-10, atol=1e-12)
        for g, lg in zip(grads, library, strict=True)
        for k in g
    )
