"""The forward and backward pass of a multilayer perceptron, every number kept.

:class:`glassnet.core.network.Network` runs these (unchecked: it checks its inputs first).
Shapes, batch first (``N`` samples); one entry per dense layer ``l``, first to last::

    forward:  A_0 = X;  Z_l = A_{l-1} @ W_l + b_l;  A_l = f(Z_l)        (N, n_l)
    backward: Eo = dLoss/dZ_o;  dA_l = E_{l+1} @ W_{l+1}^T;  E_l = dA_l * f'(Z_l);
              dW_l = A_{l-1}^T E_l,  db_l = sum_n E_l
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from glassnet.core._types import Array, ParamList
from glassnet.core.activations import Activation
from glassnet.core.layers import Dense
from glassnet.core.losses import OutputHead


class Backprop(NamedTuple):
    """Every number of one forward and backward pass (:meth:`Network.backprop
    <glassnet.core.network.Network.backprop>`), one entry per dense layer ``l``, first to
    last (the last is the output layer)."""

    inputs: list[Array]  # A_{l-1} (N, n_in): each dense layer's input, X then hidden activations
    Z: list[Array]  # Z_l (N, n_out): pre-activations; Z[-1] = Z_o, the logits
    loss: float
    errors: list[Array]  # E_l = dloss/dZ_l (N, n_out); errors[-1] = Eo, the output error
    grads: ParamList  # {"W": dloss/dW_l (n_in, n_out), "b": dloss/db_l (1, n_out)}


def forward(
    layers: Sequence[Dense], activations: Sequence[Activation], params: ParamList, X: Array
) -> tuple[list[Array], list[Array]]:
    """The forward pass (unchecked): each dense layer's input ``A_{l-1}`` (its cache: ``X``,
    then each hidden activation ``A_l = f(Z_l)``) and its pre-activations ``Z_l``."""
    inputs, Z = [X], []
    for layer, act, p in zip(layers, activations, params, strict=False):
        Z.append(layer.forward(p, inputs[-1])[0])
        inputs.append(act.forward(Z[-1]))
    Z.append(layers[-1].forward(params[-1], inputs[-1])[0])
    return inputs, Z


def backprop(
    layers: Sequence[Dense],
    activations: Sequence[Activation],
    head: OutputHead,
    params: ParamList,
    X: Array,
    T: Array,
    sample_weight: Array | None,
) -> Backprop:
    """The forward pass, then the backward walk from the output error (unchecked)."""
    inputs, Z = forward(layers, activations, params, X)
    loss, E = head.loss_and_error(Z[-1], T, sample_weight)  # Eo = dloss/dZ_o
    errors, grads = [E], []
    for i in reversed(range(1, len(layers))):
        dA, g = layers[i].backward(E, inputs[i], params[i])  # dA = E W^T
        E = activations[i - 1].backward(dA, inputs[i])  # E = dA * f'(Z), from A
        errors.append(E)
        grads.append(g)
    grads.append(layers[0].param_grads(E, X))  # the input's error goes nowhere
    return Backprop(inputs, Z, loss, errors[::-1], grads[::-1])
