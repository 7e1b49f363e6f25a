"""The key to :mod:`glassnet.views.explain`'s notation, written for the network at hand: what
its targets ``T`` are (one-hot rows, one logistic unit's 1 or 0, a 0/1 column per label, or
target values), which class each output column stands for, and, with an update, the
update's symbols."""

from __future__ import annotations

from collections.abc import Sequence

from glassnet.core.wording import counted
from glassnet.views.explain_text import numbered
from glassnet.views.labels import name_key, shorten_all

KEY_TOP = """KEY TO THE NOTATION
  N samples, one per row (batch first); X (N, D) inputs
"""

KEY_LAYERS = """  W_h, b_h / W_o, b_o   weights and biases of the hidden / output layer (b: one row)
  Z_h, Z_o              pre-activations (weighted sums); H hidden activations; Y outputs
"""

KEY_BODY = """\
  ξ                     the loss;  E = ∂ξ/∂Z  the error of a layer;  J = ∂ξ/∂θ  a gradient
  ·  matrix product    ∘  element by element    ^T  transpose    Σ_i  sum over the samples
  Every matrix is shown the same way: its shape, its Frobenius norm (‖X‖ for a matrix X:
  the square root of the sum of its squared elements), then its first rows, one per line
  (a batch's first --rows samples; a gradient's or a step's first 3 rows, whatever --rows
  is); of rows wider than 6 columns, the first and last 3 columns.
"""

KEY_UPDATE = """  The update (UPDATE; the names as its header gives them):
  θ  a parameter (a W or a b);  J  its gradient ∂ξ/∂θ;  t  the step's number (1 here)
  Δθ  the step: the change the update adds to θ (ΔW_o, Δb_o, ...)
  μ = learning_rate   the learning rate;   λ = momentum   the momentum coefficient
  M  the momentum velocity, the step that momentum SGD adds to θ (starts at 0)
  β1 = beta1, β2 = beta2   Adam's decay rates of m and v;   ε = eps   Adam's guard against / 0
  m, v     Adam's running means of J and of J² (element by element; start at 0)
  m̂, v̂    m and v bias-corrected: m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t)
"""

SYMBOLS = {"learning_rate": "μ", "momentum": "λ", "beta1": "β1", "beta2": "β2", "eps": "ε"}

COLUMNS = "output columns (of Z_o, Y, T, Eo):"
MOST_CLASSES = 16  # output columns named in the key; of more, the first 14 and the last 2


def check_classes(classes: Sequence[object] | None, head: str, n_out: int) -> None:
    """Raise ``ValueError`` unless ``classes`` names each output column (one logistic unit:
    two names, the class of 0 and the class of 1)."""
    if classes is None:
        return
    wanted = 2 if head == "logistic" and n_out == 1 else n_out
    if len(classes) != wanted:
        what = "one logistic unit (the class of 0, then of 1)" if wanted != n_out else (
            counted(n_out, "output column")
        )
        raise ValueError(f"{counted(len(classes), 'class name')} for {what}")


def _quoted(name: str) -> str:
    """A shortened class name in quotes (look-alikes come back from ``shorten_all`` quoted)."""
    return name if name[:1] in "'\"" else repr(name)


def target_lines(head: str, n_out: int, classes: Sequence[object] | None) -> list[str]:
    """The key's lines on ``T`` and the output columns, as the ``head`` has them."""
    names = None if classes is None else shorten_all([str(c) for c in classes])
    tagged = "" if names is None or classes is None else name_key(classes, names)
    if head == "logistic" and n_out == 1:
        if names is None:
            return ["  T (N, 1) targets, 1 or 0; Y (N, 1): the probability that t = 1 "
                    "(one logistic unit)"]  # fmt: skip
        zero, one = _quoted(names[0]), _quoted(names[1])
        return [f"  T (N, 1) targets, 1 or 0: 1 for class {one}, 0 for class {zero}",
                f"  Y (N, 1): the probability of class {one} (one logistic unit; 1 - Y is "
                f"that of {zero})", *([f"  {tagged}"] if tagged else [])]  # fmt: skip
    first = {
        "softmax": "  T (N, C) targets, one-hot rows: t_ic = 1 when sample i is of class c, "
        "else 0",
        "logistic": "  T (N, C) targets, one 0/1 column per label (a row may hold several 1s); "
        "Y the probability of each",
    }.get(head, "  T (N, C) target values, one column per target")
    if names is None:
        return [first]
    listed = numbered(f"the {n_out} {COLUMNS}", names, indent="  ", most=MOST_CLASSES)
    return [first, listed, *([f"  {tagged}"] if tagged else [])]


def layer_lines(n_hidden: int) -> str:
    """The key's lines on the layers' symbols: the tutorial's for one hidden layer; for
    several, numbered from the input (``W_h1`` next to ``X``), the output's ``_o``."""
    if n_hidden == 1:
        return KEY_LAYERS

    def run(name: str) -> str:
        names = [name.format(i) for i in range(1, n_hidden + 1)]
        return ", ".join(names) if n_hidden <= 3 else f"{names[0]}, ..., {names[-1]}"

    return (
        f"  hidden layers 1 to {n_hidden}, numbered from the input (layer 1 takes X, layer "
        f"{n_hidden} feeds the output):\n"
        f"  {run('W_h{}')}, {run('b_h{}')} / W_o, b_o   their weights and biases / the output "
        f"layer's (b: one row)\n"
        f"  {run('Z_h{}')}, Z_o   pre-activations (weighted sums);  {run('H{}')} hidden "
        f"activations;  Y outputs\n"
        f"  {run('Eh{}')}, Eo   their errors;  {run('JWh{}')}, JWo and {run('Jbh{}')}, Jbo   "
        f"their gradients\n"
    )


def key(
    head: str, n_out: int, classes: Sequence[object] | None, update: bool, n_hidden: int = 1
) -> str:
    """The whole key: the inputs, the targets and output columns, the symbols of the
    ``n_hidden`` hidden layers and of the pass, the one rule for printing a matrix, and
    (``update``) the update's symbols."""
    lines = "\n".join(target_lines(head, n_out, classes)) + "\n"
    return KEY_TOP + lines + layer_lines(n_hidden) + KEY_BODY + (KEY_UPDATE if update else "")


def targets_title(head: str, n_out: int, classes: Sequence[object] | None) -> str:
    """A reminder after the title of ``T``: what 1 means for one logistic unit, the
    columns' classes when they are few, else where the key names them."""
    if classes is None:
        return ""
    names = shorten_all([str(c) for c in classes])
    if head == "logistic" and n_out == 1:
        return f" (1: class {_quoted(names[1])}, 0: class {_quoted(names[0])})"
    listed = ", ".join(f"{i} {n}" for i, n in enumerate(names))
    return f" (columns {listed})" if len(listed) <= 48 else " (columns: the classes the key lists)"
