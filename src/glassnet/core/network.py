"""A multilayer perceptron as a pure function of its parameters.

A :class:`Network` describes the architecture only: dense layers, one activation
per hidden layer and an output head (output function fused with its loss). The
parameters are a list with one ``{"W", "b"}`` dict per dense layer, passed to
every method. The seam everything plugs into is :meth:`Network.loss_and_grad`.

Shapes, batch first (``N`` samples, ``D`` inputs, ``H_l`` hidden units, ``C`` outputs)::

    A_0 = X                                   (N, D)
    Z_l = A_{l-1} @ W_l + b_l ; A_l = f(Z_l)  (N, H_l)   hidden layers
    Z_o = A_L @ W_o + b_o     ; Y = g(Z_o)    (N, C)     output layer
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import DTypeLike

from glassnet.core._backend import namespace
from glassnet.core._types import Array, ParamList
from glassnet.core.activations import Activation, ReLU, get_activation
from glassnet.core.batch_checks import (
    check_batch,
    check_params,
    check_sample_weight,
    check_target_batch,
)
from glassnet.core.layers import Dense
from glassnet.core.losses import (
    IdentitySquaredError,
    LogisticBinaryCrossEntropy,
    OutputHead,
    Reduction,
    get_head,
)


class Backprop(NamedTuple):
    """Every number of one forward and backward pass (:meth:`Network.backprop`), one entry
    per dense layer ``l``, first to last (the last is the output layer)."""

    inputs: list[Array]  # A_{l-1} (N, n_in): each dense layer's input, X then hidden activations
    Z: list[Array]  # Z_l (N, n_out): pre-activations; Z[-1] = Z_o, the logits
    loss: float
    errors: list[Array]  # E_l = dloss/dZ_l (N, n_out); errors[-1] = Eo, the output error
    grads: ParamList  # {"W": dloss/dW_l (n_in, n_out), "b": dloss/db_l (1, n_out)}


@dataclass(frozen=True)
class Network:
    """An MLP: ``layers[i]`` is followed by ``activations[i]``, the last layer by ``head``."""

    layers: tuple[Dense, ...]
    activations: tuple[Activation, ...]
    head: OutputHead

    def __post_init__(self) -> None:
        if len(self.layers) < 1:
            raise ValueError("a network needs at least one dense layer")
        if len(self.activations) != len(self.layers) - 1:
            raise ValueError(
                f"{len(self.layers)} dense layers need {len(self.layers) - 1} hidden "
                f"activations, got {len(self.activations)}"
            )
        for before, after in zip(self.layers, self.layers[1:], strict=False):
            if before.n_out != after.n_in:
                raise ValueError(
                    f"layer sizes do not chain: {before.n_out} outputs feed {after.n_in} inputs"
                )

    @classmethod
    def mlp(
        cls,
        sizes: Sequence[int],
        activation: str = "logistic",
        output: str = "softmax",
        reduction: Reduction = "sum",
    ) -> Network:
        """``Network.mlp([2, 3, 2])``: the tutorial's 2-3-2 logistic/softmax network."""
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2:
            raise ValueError(f"sizes needs an input and an output size, got {sizes}")
        layers = tuple(Dense(n_in, n_out) for n_in, n_out in zip(sizes, sizes[1:], strict=False))
        activations = tuple(get_activation(activation) for _ in sizes[1:-1])
        return cls(layers, activations, get_head(output, reduction))

    @property
    def sizes(self) -> list[int]:
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    @property
    def n_params(self) -> int:
        return sum(layer.n_params for layer in self.layers)

    def _repr_html_(self) -> str:
        """Jupyter's display: one row per layer with its shapes and parameter count."""
        from glassnet.core._repr import network_table

        return network_table(self)

    def init(self, rng: np.random.Generator, dtype: DTypeLike = np.float64) -> ParamList:
        """Random parameters: He for layers feeding ReLU units, Glorot for the rest."""
        feeds = [*self.activations, None]
        return [
            layer.init(rng, "he" if isinstance(act, ReLU) else "glorot", dtype)
            for layer, act in zip(self.layers, feeds, strict=True)
        ]

    # ---- forward -------------------------------------------------------------------------
    # Every public method checks its inputs (:meth:`check_inputs`: shapes, NaN and infinity
    # named by row and column) and then calls its unchecked twin (``_logits``,
    # ``_loss_and_grad``), which the training loop calls once its data has been checked.
    def check_inputs(
        self,
        params: ParamList,
        X: Array,
        T: Array | None = None,
        sample_weight: Array | None = None,
    ) -> None:
        """Raise :class:`~glassnet.core.validation.DataError` (a ``ValueError``) unless
        ``params`` fit the layers and ``X (N, D)``, ``T (N, C)`` and ``sample_weight (N,)``
        have the network's shapes and finite values."""
        check_params(self.layers, params)
        check_batch(X, self.sizes[0], "X")
        if T is not None:
            check_target_batch(T, X.shape[0], self.sizes[-1], "T")
        if sample_weight is not None:
            check_sample_weight(sample_weight, X.shape[0])

    def hidden_activations(self, params: ParamList, X: Array) -> list[Array]:
        """The activations ``A_l (N, H_l)`` of every hidden layer, first to last."""
        self.check_inputs(params, X)
        inputs, _ = self._forward(params, X)
        return inputs[1:]

    def logits(self, params: ParamList, X: Array) -> Array:
        """The output layer's pre-activations ``Z_o (N, C)``."""
        self.check_inputs(params, X)
        return self._logits(params, X)

    def _logits(self, params: ParamList, X: Array) -> Array:
        check_params(self.layers, params)
        _, Z = self._forward(params, X)
        return Z[-1]

    def predict_proba(self, params: ParamList, X: Array) -> Array:
        """The network output ``Y = g(Z_o)``: class probabilities for softmax/logistic heads."""
        self.check_inputs(params, X)
        return self.head.output(self._logits(params, X))

    def predict(self, params: ParamList, X: Array) -> Array:
        """Class predictions (N,): argmax for softmax; ``y >= 0.5`` for a logistic head.

        A logistic head with several units gives an (N, C) 0/1 matrix (multi-label); the
        identity head gives its regression output.
        """
        return self.decide(self.predict_proba(params, X))  # predict_proba checks the inputs

    def decide(self, Y: Array) -> Array:
        """:meth:`predict`'s decision from outputs ``Y (..., N, C)`` (an ensemble's average)."""
        if isinstance(self.head, IdentitySquaredError):
            return Y
        xp = namespace(Y)
        if isinstance(self.head, LogisticBinaryCrossEntropy):
            labels = xp.astype(Y >= 0.5, xp.int64)
            return labels[..., 0] if labels.shape[-1] == 1 else labels
        return xp.argmax(Y, axis=-1)

    def loss(
        self, params: ParamList, X: Array, T: Array, sample_weight: Array | None = None
    ) -> float:
        """The loss of a batch, without gradients (weighted as in :meth:`loss_and_grad`)."""
        self.check_inputs(params, X, T, sample_weight)
        return self.head.loss(self._logits(params, X), T, sample_weight)

    def _forward(self, params: ParamList, X: Array) -> tuple[list[Array], list[Array]]:
        """The forward pass (unchecked): each dense layer's input ``A_{l-1}`` (its cache: ``X``,
        then each hidden activation ``A_l = f(Z_l)``) and its pre-activations ``Z_l``."""
        inputs, Z = [X], []
        for layer, act, p in zip(self.layers, self.activations, params, strict=False):
            Z.append(layer.forward(p, inputs[-1])[0])
            inputs.append(act.forward(Z[-1]))
        Z.append(self.layers[-1].forward(params[-1], inputs[-1])[0])
        return inputs, Z

    # ---- the seam ------------------------------------------------------------------------
    def loss_and_grad(
        self, params: ParamList, X: Array, T: Array, sample_weight: Array | None = None
    ) -> tuple[float, ParamList]:
        """Loss of the batch ``(X (N, D), T (N, C))`` and its gradient for every parameter.

        ``sample_weight (N,)``: row ``i`` counts ``w_i`` times (integer weights equal repeated
        rows); the loss is ``sum_i w_i L_i / S`` with ``S = sum_i w_i`` for the ``mean``
        reduction and 1 for ``sum`` (see :mod:`glassnet.core.losses`). No penalty is
        included (see :func:`glassnet.core.regularization.l2_penalty`).

        Backpropagation (:meth:`backprop` keeps every number of it). Forward: keep each dense
        layer's input ``A_{l-1}``. Backward: start from the output error ``Eo = dLoss/dZ_o``
        and walk the layers in reverse: ``dA_l = E_{l+1} @ W_{l+1}^T``;
        ``E_l = dA_l * f'(Z_l)``; ``dW_l = A_{l-1}^T E_l`` (the first layer's ``dX`` is
        never computed: :meth:`Dense.param_grads <glassnet.core.layers.Dense.param_grads>`).

        Raises :class:`~glassnet.core.validation.DataError` for inputs of the wrong shape or
        with NaN or infinity (see :meth:`check_inputs`).
        """
        self.check_inputs(params, X, T, sample_weight)
        return self._loss_and_grad(params, X, T, sample_weight)

    def _loss_and_grad(
        self, params: ParamList, X: Array, T: Array, sample_weight: Array | None = None
    ) -> tuple[float, ParamList]:
        """:meth:`loss_and_grad` without the input checks (for callers that checked)."""
        _, _, loss, _, grads = self._backprop(params, X, T, sample_weight)
        return loss, grads

    def backprop(
        self, params: ParamList, X: Array, T: Array, sample_weight: Array | None = None
    ) -> Backprop:
        """:meth:`loss_and_grad` with every intermediate kept: each layer's input, its
        pre-activations and its error (what :func:`glassnet.views.explain.explain` prints)."""
        self.check_inputs(params, X, T, sample_weight)
        return self._backprop(params, X, T, sample_weight)

    def _backprop(
        self, params: ParamList, X: Array, T: Array, sample_weight: Array | None
    ) -> Backprop:
        inputs, Z = self._forward(params, X)
        loss, E = self.head.loss_and_error(Z[-1], T, sample_weight)  # Eo = dloss/dZ_o
        errors, grads = [E], []
        for i in reversed(range(1, len(self.layers))):
            dA, g = self.layers[i].backward(E, inputs[i], params[i])  # dA = E W^T
            E = self.activations[i - 1].backward(dA, inputs[i])  # E = dA * f'(Z), from A
            errors.append(E)
            grads.append(g)
        grads.append(self.layers[0].param_grads(E, X))  # the input's error goes nowhere
        return Backprop(inputs, Z, loss, errors[::-1], grads[::-1])
