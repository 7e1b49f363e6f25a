"""Per-sample weights and a batch-size-aware L2 penalty, on top of the unchanged core.

The estimators train with scikit-learn's objective. For a batch of ``B`` rows with
weights ``w_i`` (``S = sum_i w_i``) and the per-sample loss ``L_i`` of the output head::

    J = sum_i w_i L_i / S  +  alpha / (2 S) * sum_l ||W_l||^2        (reduction "mean")
    J = sum_i w_i L_i      +  alpha / 2     * sum_l ||W_l||^2        (reduction "sum")

An integer weight ``k`` counts a row ``k`` times, so weights equal repeated rows, and a
weight of zero equals leaving the row out.

:class:`WeightedRows` is the training view of a :class:`~glassnet.core.network.Network`: its
inputs carry the weights as one extra last column, so they travel through
:func:`glassnet.train.loop.fit` batch by batch with the rows they belong to. Its
``sizes[0]`` counts that column (the loop checks its inputs against it);
``loss_and_grad`` backpropagates through the core network with a :class:`WeightedHead`,
whose output error is the fused ``Eo = w_i (Y_i - T_i) / S``. ``logits`` (used for
validation scores) drops the weight column and scores rows unweighted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.losses import (
    IdentitySquaredError,
    LogisticBinaryCrossEntropy,
    OutputHead,
    SoftmaxCrossEntropy,
    log_softmax,
)
from glassnet.core.network import Network


def sample_losses(head: OutputHead, Z: Array, T: Array) -> Array:
    """The loss of every sample ``L_i`` (N,), before any reduction, from the logits ``Z``."""
    if isinstance(head, SoftmaxCrossEntropy):
        return -(T * log_softmax(Z)).sum(axis=1)
    if isinstance(head, LogisticBinaryCrossEntropy):
        return (np.logaddexp(0.0, Z) - T * Z).sum(axis=1)
    if isinstance(head, IdentitySquaredError):
        D = Z - T
        return 0.5 * (D * D).sum(axis=1)
    raise TypeError(f"unknown output head {type(head).__name__}")


@dataclass(frozen=True, eq=False)
class WeightedHead:
    """An output head whose samples count ``w_i / norm`` times (``norm``: S or 1)."""

    inner: OutputHead
    w: Array  # (N,) sample weights of the batch
    norm: float  # the sum of the weights for the mean reduction, 1 for the sum

    @property
    def reduction(self) -> str:
        return self.inner.reduction

    def output(self, Z: Array) -> Array:
        return self.inner.output(Z)

    def loss(self, Z: Array, T: Array) -> float:
        return float(self.w @ sample_losses(self.inner, Z, T)) / self.norm

    def loss_and_error(self, Z: Array, T: Array) -> tuple[float, Array]:
        """Weighted loss and ``Eo = w (Y - T) / norm``: every head's fused error, weighted."""
        Eo = (self.inner.output(Z) - T) * (self.w / self.norm)[:, None]
        return self.loss(Z, T), Eo


@dataclass(frozen=True)
class WeightedRows(Network):
    """A network trained on inputs ``[X | w]`` (N, D + 1) with L2 strength ``alpha``."""

    alpha: float = 0.0

    @classmethod
    def wrap(cls, net: Network, alpha: float = 0.0) -> WeightedRows:
        return cls(net.layers, net.activations, net.head, alpha)

    @property
    def sizes(self) -> list[int]:
        """The layer widths as the training loop sees them: the input counts the weights."""
        inner = super().sizes
        return [inner[0] + 1, *inner[1:]]

    def logits(self, params: ParamList, X: Array) -> Array:
        """The output pre-activations of the rows ``X[:, :-1]``, the weights dropped."""
        return super().logits(params, X[:, :-1])

    def loss_and_grad(self, params: ParamList, X: Array, T: Array) -> tuple[float, ParamList]:
        """``J`` of the module docstring and its gradient; ``X[:, -1]`` holds the weights."""
        w = X[:, -1]
        total = float(w.sum())
        if self.head.reduction == "mean":
            norm = total if total > 0 else 1.0  # an all-zero batch contributes nothing
        else:
            norm = 1.0
        head = WeightedHead(self.head, w, norm)
        net = Network(self.layers, self.activations, cast(OutputHead, head))
        loss, grads = net.loss_and_grad(params, X[:, :-1], T)
        if self.alpha and total > 0:
            c = self.alpha / norm  # d/dW of alpha / (2 norm) ||W||^2
            loss += 0.5 * c * sum(float(np.sum(p["W"] * p["W"])) for p in params)
            for g, p in zip(grads, params, strict=True):
                g["W"] = g["W"] + c * p["W"]
        return loss, grads


def with_weights(X: Array, sample_weight: Array | None, dtype: np.dtype) -> Array:
    """``[X | w]`` (N, D + 1) in ``dtype``; weights of one when ``sample_weight`` is None."""
    n = X.shape[0]
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight)
    out = np.empty((n, X.shape[1] + 1), dtype=dtype)
    out[:, :-1] = X
    out[:, -1] = w
    return out
