"""The words of :mod:`glassnet.views.explain`: the symbols of each activation, head, optimizer
and layer, the key to its notation, the chain-rule step behind every error term and gradient,
and the one way it prints a matrix."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from glassnet.core._types import Array

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


SMALL = 60  # a matrix with at most this many entries is printed whole
EDGE = 3  # a larger matrix's rows wider than 2 * EDGE show their first and last EDGE columns

KEY = """KEY TO THE NOTATION
  N samples, one per row (batch first); X (N, D) inputs; T (N, C) targets (one-hot rows)
  W_h, b_h / W_o, b_o   weights and biases of the hidden / output layer (b: one row)
  Z_h, Z_o              pre-activations (weighted sums); H hidden activations; Y outputs
  ξ                     the loss;  E = ∂ξ/∂Z  the error of a layer;  J = ∂ξ/∂θ  a gradient
  ·  matrix product    ∘  element by element    ^T  transpose    Σ_i  sum over the samples
  Large matrices are shown as: shape, Frobenius norm ‖M‖, then the first rows (of wide
  rows, the first and last columns).
"""

OUTPUT_WHY = {  # head: the chain-rule step behind Eo = Y - T
    "softmax": (
        "why: ∂ξ/∂z_ic = Σ_d ∂ξ/∂y_id · ∂y_id/∂z_ic = Σ_d (-t_id / y_id) · y_id (δ_dc - y_ic)"
        " = y_ic Σ_d t_id - t_ic = y_ic - t_ic, since each row of T sums to 1"
    ),
    "logistic": (
        "why: ∂ξ/∂z_ic = ∂ξ/∂y_ic · σ'(z_ic) = (y_ic - t_ic) / (y_ic (1 - y_ic))"
        " · y_ic (1 - y_ic) = y_ic - t_ic"
    ),
    "identity": "why: y_ic = z_ic, and ∂/∂y_ic of ½ (y_ic - t_ic)² is y_ic - t_ic",
}


def hidden_why(E: str, Z: str, A: str, up_E: str, up_W: str, deriv: str) -> str:
    """The chain-rule step behind a hidden layer's error term."""
    return (
        f"why: the next layer computes (its Z) = {A} · {up_W} + b, so ∂ξ/∂{A} = {up_E} · "
        f"{up_W}^T; {A} = f({Z}) element by element, so ∂ξ/∂{Z} = ∂ξ/∂{A} ∘ f'({Z}), "
        f"and f'({Z}) = {deriv} is written from {A} itself"
    )


def weight_why(A: str, E: str) -> str:
    return (
        f"why: z_ik = Σ_j {A.lower()}_ij w_jk + b_k, so each w_jk reaches ξ through z_ik of "
        f"every sample: ∂ξ/∂w_jk = Σ_i {A.lower()}_ij · ({E})_ik, which is {A}^T · {E}; and "
        f"∂ξ/∂b_k = Σ_i ({E})_ik"
    )


def why(text: str) -> str:
    """A chain-rule note, wrapped to 92 columns under its step."""
    return textwrap.fill(text, 92, initial_indent="    ", subsequent_indent="         ")


def matrix(M: Array, show: int, indent: str = "      ", shape_said: bool = False) -> str:
    """The one way a matrix is printed: whole when small, else shape, norm and first rows;
    ``shape_said``: the line above already gives the shape, so it is not said twice."""
    M = np.atleast_2d(np.asarray(M, dtype=np.float64))
    head = M if M.size <= SMALL else M[:show]
    edge = max(EDGE, -(-len(head) // 2))  # numpy elides every axis longer than 2 * edge
    wide = M.size > SMALL and M.shape[1] > 2 * edge  # its rows: first and last columns
    text = np.array2string(head, precision=4, suppress_small=True, max_line_width=90,
                           threshold=0 if wide else M.size, edgeitems=edge)  # fmt: skip
    body = indent + text.replace("\n", "\n" + indent)
    if M.size <= SMALL:
        return body
    shape = "" if shape_said else f"shape {M.shape}, "
    cut = f" (their first and last {edge} of {M.shape[1]} columns)" if wide else ""
    summary = f"{indent}{shape}‖M‖ = {np.linalg.norm(M):.4g}, first {len(head)} rows{cut}:"
    more = f"\n{indent}... {M.shape[0] - len(head)} more rows" if M.shape[0] > len(head) else ""
    return f"{summary}\n{body}{more}"
