"""The words of :mod:`glassnet.views.explain`: the symbols of each activation, head, optimizer
and layer, the key to its notation, the chain-rule step behind every error term and gradient,
and the one way it prints a matrix."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from glassnet.core._types import Array
from glassnet.views.labels import shorten

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


EDGE = 3  # rows wider than 2 * EDGE columns show their first and last EDGE columns
PARAM_ROWS = 3  # rows shown of a gradient or an update step (no sample axis: not --rows)

KEY = """KEY TO THE NOTATION
  N samples, one per row (batch first); X (N, D) inputs; T (N, C) targets (one-hot rows)
  W_h, b_h / W_o, b_o   weights and biases of the hidden / output layer (b: one row)
  Z_h, Z_o              pre-activations (weighted sums); H hidden activations; Y outputs
  ξ                     the loss;  E = ∂ξ/∂Z  the error of a layer;  J = ∂ξ/∂θ  a gradient
  ·  matrix product    ∘  element by element    ^T  transpose    Σ_i  sum over the samples
  Every matrix is shown the same way: its shape, its Frobenius norm ‖M‖, then its first
  rows, one per line (a batch's first --rows samples; a gradient's or a step's first 3
  rows, whatever --rows is); of rows wider than 6 columns, the first and last 3 columns.
"""

KEY_UPDATE = """  The update (UPDATE; the names as its header gives them):
  θ  a parameter (a W or a b);  J  its gradient ∂ξ/∂θ;  t  the step's number (1 here)
  μ = learning_rate   the learning rate;   λ = momentum   the momentum coefficient
  M  the momentum velocity, the step that momentum SGD adds to θ (starts at 0)
  β1 = beta1, β2 = beta2   Adam's decay rates of m and v;   ε = eps   Adam's guard against / 0
  m, v     Adam's running means of J and of J² (element by element; start at 0)
  m̂, v̂    m and v bias-corrected: m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t)
"""

SYMBOLS = {"learning_rate": "μ", "momentum": "λ", "beta1": "β1", "beta2": "β2", "eps": "ε"}

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


def matrix(M: Array, rows: int, indent: str = "      ") -> str:
    """The one way a matrix is printed, whatever its size (the key's rule): ``shape (r, c),
    ‖M‖ = ..., first k of r rows`` on a line, then those ``rows`` rows, one per line (each
    value to 4 significant digits, aligned), then ``... n more rows``. A row wider than
    ``2 * EDGE`` columns shows its first and last :data:`EDGE` columns around ``...``."""
    M = np.atleast_2d(np.asarray(M, dtype=np.float64))
    n, c = M.shape
    k = min(max(rows, 1), n)
    wide = c > 2 * EDGE
    cells = np.hstack([M[:k, :EDGE], M[:k, -EDGE:]]) if wide else M[:k]
    texts = [[f"{v:.4g}" for v in row] for row in cells]
    width = max((len(t) for row in texts for t in row), default=1)
    lines = []
    for row in texts:
        padded = [t.rjust(width) for t in row]
        body = " ".join(padded[:EDGE]) + " ... " + " ".join(padded[EDGE:]) if wide else (
            " ".join(padded)
        )
        lines.append(f"{indent}[{body}]")
    first = "first row" if k == 1 else f"first {k}"
    which = "its one row" if n == 1 else f"all {n} rows" if k == n else f"{first} of {n} rows"
    cut = f" (the first and last {EDGE} of {c} columns)" if wide else ""
    summary = f"{indent}shape {M.shape}, ‖M‖ = {np.linalg.norm(M):.4g}, {which}{cut}:"
    more = [f"{indent}... {n - k} more rows"] if k < n else []
    return "\n".join([summary, *lines, *more])


def input_names(names: list[str], indent: str = "      ") -> str:
    """The input columns by number (``0 x1, 1 x1 (missing), 2 colour=red, ...``), wrapped
    at 92 columns between columns, each name shortened (:mod:`glassnet.views.labels`)."""
    items = [f"{i} {shorten(name)}" for i, name in enumerate(names)]
    lines, line = [], f"{indent}the {len(names)} input columns:"
    for item in items:
        if len(line) + len(item) + 2 > 92:
            lines.append(line + ",")
            line = f"{indent}  {item}"
        else:
            line += ("," if not line.endswith(":") else "") + f" {item}"
    return "\n".join([*lines, line])
