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
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer
from glassnet.core.wording import counted
from glassnet.views.explain_check import numerical_check, update_step
from glassnet.views.explain_key import check_classes, key, targets_title
from glassnet.views.explain_pass import _backward, _forward, _loss_and_output_error
from glassnet.views.explain_text import (
    ACTIVATION_TEXT,
    HEAD_TEXT,
    UPDATE_TEXT,
    LayerNames,
    layer_names,
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
        raise ValueError(
            f"{counted(len(input_names), 'input name')} for "
            f"{counted(X.shape[1], 'input column')}"
        )
    check_classes(classes, head, n_out)
    sizes = "-".join(map(str, net.sizes))
    out = [
        f"One pass of the {sizes} network on N = {counted(X.shape[0], 'sample')}"
        + (f" (numbers for the first {counted(show, 'sample')})" if show < X.shape[0] else "")
        + "\n",
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
