"""A multilayer perceptron as a pure function of its parameters.

A :class:`Network` describes the architecture only: dense layers, one activation
per hidden layer and an output head (output function fused with its loss). The
parameters are a list with one ``{"W", "b"}`` dict per dense layer, passed to
every method. The seam everything plugs into is :meth:`Network.loss_and_grad`; the
passes themselves, with their shapes, are :mod:`glassnet.core.backprop`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import DTypeLike

from glassnet.core._backend import namespace
from glassnet.core._types import Array, ParamList
from glassnet.core.activations import Activation, ReLU, get_activation
from glassnet.core.backprop import Backprop, backprop, forward
from glassnet.core.batch_checks import (
    check_batch,
    check_finite_params,
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
    SoftmaxCrossEntropy,
    get_head,
)


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
        if isinstance(self.head, SoftmaxCrossEntropy) and self.layers[-1].n_out < 2:
            # one unit's softmax is 1 whatever its logit: loss 0, every gradient 0
            raise ValueError(
                "softmax needs at least 2 output units; use output='logistic' for one "
                "(binary) unit"
            )

    @classmethod
    def mlp(
        cls,
        sizes: Sequence[int],
        activation: str = "logistic",
        output: str = "softmax",
        reduction: Reduction = "sum",
    ) -> Network:
        """``Network.mlp([2, 3, 2])``: the tutorial's 2-3-2 logistic/softmax network.

        Raises ``ValueError`` for fewer than two sizes, a size below 1, an unknown
        activation or output, or a softmax output of one unit (which cannot learn: its
        output is 1 whatever the logit; ``output="logistic"`` is the one-unit binary head).
        """
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
        have the network's shapes and finite values, and ``T`` holds targets the head's
        ``Eo = Y - T`` is the gradient for (softmax: rows that are probability
        distributions; logistic: values in ``[0, 1]``; :mod:`glassnet.core.target_checks`,
        the row and column named); NaN or infinity in the parameters is a
        :class:`~glassnet.core.validation.NonFinite` naming the layer, parameter and element."""
        check_params(self.layers, params)
        check_finite_params(params)  # NaN or infinity named by layer, parameter and element
        check_batch(X, self.sizes[0], "X")
        if T is not None:
            check_target_batch(T, X.shape[0], self.sizes[-1], "T")
            self.head.check_targets(T, "T")  # rows of probabilities; logistic's in [0, 1]
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
        """The forward pass, unchecked (:func:`glassnet.core.backprop.forward`)."""
        return forward(self.layers, self.activations, params, X)

    # ---- the seam ------------------------------------------------------------------------
    def loss_and_grad(
        self, params: ParamList, X: Array, T: Array, sample_weight: Array | None = None
    ) -> tuple[float, ParamList]:
        """Loss of the batch ``(X (N, D), T (N, C))`` and its gradient for every parameter.

        ``sample_weight (N,)``: row ``i`` counts ``w_i`` times (integer weights equal repeated
        rows); the loss is ``sum_i w_i L_i / S`` with ``S = sum_i w_i`` for the ``mean``
        reduction and 1 for ``sum`` (see :mod:`glassnet.core.losses`). No penalty is
        included (see :func:`glassnet.core.regularization.l2_penalty`).

        Backpropagation, written out in :mod:`glassnet.core.backprop` (:meth:`backprop`
        keeps every number of it; the first layer's ``dX`` is never computed).

        Raises :class:`~glassnet.core.validation.DataError` for inputs of the wrong shape or
        with NaN or infinity, and for targets the head's derivation does not cover (a
        softmax row that is not a probability distribution, a logistic target outside
        ``[0, 1]``; see :meth:`check_inputs`).
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
        return backprop(self.layers, self.activations, self.head, params, X, T, sample_weight)


__all__ = ["Backprop", "Network"]
