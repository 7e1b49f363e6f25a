"""The words of :mod:`glassnet.views.explain`: the symbols of each activation, head, optimizer
and layer, the chain-rule step behind every error term and gradient, and the one way it
prints a number and a matrix (the key to the notation: :mod:`glassnet.views.explain_key`)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.wording import counted
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


def number(value: float | np.floating[Any], spec: str = ".4g") -> str:
    """``value`` formatted by ``spec``, never as a negative zero: ``-0.0`` (an exact zero
    of a negative product, ``0 · -3``) reads as a sign error, so it prints as ``0``."""
    return format(float(value) + 0.0, spec)  # -0.0 + 0.0 is +0.0; every other value as is


def matrix(M: Array, rows: int, name: str | None = None, indent: str = "      ") -> str:
    """The one way a matrix is printed, whatever its size (the key's rule): ``shape (r, c),
    ‖name‖ = ..., first k of r rows`` on a line (the Frobenius norm under the matrix's own
    name, ``‖·‖`` without one), then those ``rows`` rows, one per line (each value to 4
    significant digits, aligned, no negative zero), then ``... n more rows``. A row wider
    than ``2 * EDGE`` columns shows its first and last :data:`EDGE` columns around ``...``."""
    M = np.atleast_2d(np.asarray(M, dtype=np.float64))
    n, c = M.shape
    k = min(max(rows, 1), n)
    wide = c > 2 * EDGE
    cells = np.hstack([M[:k, :EDGE], M[:k, -EDGE:]]) if wide else M[:k]
    texts = [[number(v) for v in row] for row in cells]
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
    norm = f"‖{name or '·'}‖ = {number(np.linalg.norm(M))}"
    summary = f"{indent}shape {M.shape}, {norm}, {which}{cut}:"
    more = [f"{indent}... {counted(n - k, 'more row')}"] if k < n else []
    return "\n".join([summary, *lines, *more])


def input_names(names: list[str], indent: str = "      ") -> str:
    """The input columns by number (``0 x1, 1 x1 (missing), 2 colour=red, ...``), wrapped
    at 92 columns between columns, each name shortened (:mod:`glassnet.views.labels`)."""
    title = f"the {counted(len(names), 'input column')}:"
    return numbered(title, [shorten(n) for n in names], indent)


def numbered(title: str, names: list[str], indent: str = "      ", most: int = 0) -> str:
    """``title`` then ``0 name, 1 name, ...`` (names as given: shorten them first),
    wrapped at 92 columns between items; with ``most``, more names than that show the
    first ``most - 2``, ``...`` and the last 2."""
    items = [f"{i} {name}" for i, name in enumerate(names)]
    if most and len(items) > most:
        items = [*items[: most - 2], "...", *items[-2:]]
    lines, line = [], f"{indent}{title}"
    for item in items:
        if len(line) + len(item) + 2 > 92:
            lines.append(line + ",")
            line = f"{indent}  {item}"
        else:
            line += ("," if not line.endswith(":") else "") + f" {item}"
    return "\n".join([*lines, line])
