"""Explain mode: one forward and backward pass, step by step, in the tutorial's words.

:func:`explain` takes any network, its parameters and a batch ``(X, T)`` and returns the
text: each equation in words and symbols, its shapes, the numbers for the first few
samples, then each parameter's gradient beside its central-difference estimate. With one
hidden layer the names are the tutorial's: ``Z_h, H, Z_o, Y, Eo, Eh, JWo, Jbo, JWh, Jbh``;
deeper networks number the hidden layers (``Z_h1, H1, Eh1, JWh1``, ...).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.gradcheck import compare, numerical_gradient
from glassnet.core.losses import OutputHead
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer, apply_updates
from glassnet.views.explain_text import KEY, OUTPUT_WHY, hidden_why, matrix, weight_why, why

ACTIVATION_TEXT = {  # name: (forward in symbols, derivative from the output A, words)
    "logistic": ("σ({z}) = 1 / (1 + e^-{z})", "{a} ∘ (1 - {a})", "the logistic function"),
    "tanh": ("tanh({z})", "(1 - {a}²)", "the hyperbolic tangent"),
    "relu": ("max({z}, 0)", "[{a} > 0]", "the rectifier (ReLU)"),
    "identity": ("{z}", "1", "the identity"),
}
UPDATE_TEXT = {  # optimizer: its rule in the tutorial's symbols (J the gradient)
    "SGD": "θ = θ - μ · J   (μ: the learning rate)",
    "Momentum": "M = λ · M - μ · J;  θ = θ + M   (λ: momentum, μ: learning rate; M starts at 0)",
    "Nesterov": "M = λ · M - μ · J;  θ = θ + λ · M - μ · J   (Nesterov's look-ahead form)",
    "Adam": "m = β1 m + (1 - β1) J; v = β2 v + (1 - β2) J²; θ = θ - μ m̂ / (√v̂ + ε)"
    "   (m̂, v̂: bias-corrected; Kingma and Ba, 2015)",
}
HEAD_TEXT = {  # name: (output, loss, words)
    "softmax": ("ς(Z_o) = e^Z_o / Σ_d e^z_od", "-Σ_i Σ_c t_ic · log(y_ic)", "softmax"),
    "logistic": ("σ(Z_o)", "-Σ_i Σ_c [t_ic log y_ic + (1 - t_ic) log(1 - y_ic)]", "logistic"),
    "identity": ("Z_o", "½ Σ_i Σ_c (y_ic - t_ic)²", "identity"),
}


@dataclass(frozen=True)
class LayerNames:
    """The symbols of one layer: pre-activation, activation, error, weight, bias."""

    Z: str
    A: str
    E: str
    W: str
    b: str


def layer_names(n_hidden: int) -> list[LayerNames]:
    """Tutorial names for each dense layer, hidden layers first, the output last."""
    hidden = [
        LayerNames(f"Z_h{s}", f"H{s}", f"Eh{s}", f"W_h{s}", f"b_h{s}")
        for s in ([""] if n_hidden == 1 else [str(i + 1) for i in range(n_hidden)])
    ]
    return [*hidden, LayerNames("Z_o", "Y", "Eo", "W_o", "b_o")]


def _rows(M: Array, show: int) -> str:
    return matrix(M, show)


def _step(out: list[str], title: str, formula: str, shape: str, M: Array, show: int) -> None:
    out.append(f"  {title}\n    {formula}    shape {shape}")
    out.append(_rows(M, show))


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
    out.append(_rows(T, show))
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
        out.append(_rows(grads[i]["W"], show))
        out.append(
            f"  gradient of {nm.b}: J{nm.b.replace('_', '')} = Σ_i {nm.E}_i"
            f"    shape {grads[i]['b'].shape}"
        )
        out.append(_rows(grads[i]["b"], 1))
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


def _check(
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
    ok_all = True
    for i, nm in reversed(list(enumerate(names))):
        for key, sym in (("W", nm.W), ("b", nm.b)):
            num = numerical_gradient(lambda: net.loss(work, X, T), work[i][key], eps)
            _, rel, _, ok = compare(num, grads[i][key], rtol=1e-5, atol=1e-7)
            ok_all &= ok
            out.append(
                f"  {sym}: numerical gradient, max relative error {rel:.2e}: "
                f"{'ok' if ok else 'MISMATCH'}  (‖numerical‖ = {np.linalg.norm(num):.6g}, "
                f"‖analytic‖ = {np.linalg.norm(grads[i][key]):.6g})"
            )
    return ok_all


def _update(
    net: Network,
    params: ParamList,
    X: Array,
    T: Array,
    grads: ParamList,
    names: list[LayerNames],
    optimizer: Optimizer,
    show: int,
    out: list[str],
) -> None:
    """The optimizer's first step from these gradients, with its numbers."""
    rule = UPDATE_TEXT.get(type(optimizer).__name__, "θ = θ + update(J)")
    settings = ", ".join(f"{k} = {v:g}" for k, v in dataclasses.asdict(optimizer).items())
    name = type(optimizer).__name__
    out.append(f"\nUPDATE ({name}: {settings}; its first step, from zero state)")
    out.append(f"  {rule}")
    state: Any = optimizer.init(params)
    updates, _ = optimizer.update(grads, state, params)
    new = apply_updates(params, updates)
    for i, nm in reversed(list(enumerate(names))):
        for key, sym in (("W", nm.W), ("b", nm.b)):
            out.append(f"  step of {sym} (the change added to it)")
            out.append(_rows(updates[i][key], show))
    before, after = net.loss(params, X, T), net.loss(new, X, T)
    out.append(f"  loss before the step ξ = {before:.6g}, after it ξ = {after:.6g}")


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
    _, library = net.loss_and_grad(params, X, T)
    same = all(
        np.allclose(g[k], lg[k], rtol=1e-10, atol=1e-12)
        for g, lg in zip(grads, library, strict=True)
        for k in g
    )
    out.append(f"  (these equal Network.loss_and_grad's gradients: {'yes' if same else 'NO'})")
    passed = _check(net, params, X, T, grads, names, eps, out) and same
    if optimizer is not None:
        _update(net, params, X, T, grads, names, optimizer, show, out)
    out.append(f"\ngradient check {'passed' if passed else 'FAILED'}")
    return "\n".join(out), passed
