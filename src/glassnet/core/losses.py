"""Output functions fused with their losses.

An output head turns the last layer's pre-activations (the *logits* ``Z (N, C)``)
into the network output ``Y (N, C)`` and scores ``Y`` against the targets
``T (N, C)``. Fusing the output function with its matching loss gives two
things at once:

* stability: the loss is computed from the logits (log-sum-exp, softplus), so it
  stays finite for any finite ``Z``, where ``log(softmax(Z))`` would give ``-inf``;
* a simple output error: for each pair below ``dLoss/dZ = Y - T`` (divided by
  ``N`` for the ``mean`` reduction), the tutorial's ``Eo = Y - T``.

The reduction is an explicit choice: ``"sum"`` over samples (as in the tutorial)
or ``"mean"`` over samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from glassnet.core._backend import namespace
from glassnet.core._types import Array
from glassnet.core.activations import logistic

Reduction = Literal["sum", "mean"]
REDUCTIONS = ("sum", "mean")


def log_softmax(Z: Array) -> Array:
    """``log(softmax(Z))`` row by row, shifted by the row maximum (log-sum-exp)."""
    xp = namespace(Z)
    shifted = Z - xp.max(Z, axis=1, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=1, keepdims=True))


def softmax(Z: Array) -> Array:
    """``exp(Z) / sum(exp(Z))`` row by row, shifted by the row maximum."""
    xp = namespace(Z)
    E = xp.exp(Z - xp.max(Z, axis=1, keepdims=True))
    return E / xp.sum(E, axis=1, keepdims=True)


@dataclass(frozen=True)
class _Head:
    reduction: Reduction = "sum"

    def __post_init__(self) -> None:
        if self.reduction not in REDUCTIONS:
            raise ValueError(f"unknown reduction {self.reduction!r}; expected 'sum' or 'mean'")

    def _reduce(self, per_sample: Array, n: int) -> float:
        total = float(namespace(per_sample).sum(per_sample))
        return total / n if self.reduction == "mean" else total

    def _error(self, Y: Array, T: Array) -> Array:
        """Output error ``Eo = dLoss/dZ = (Y - T)``, divided by N for the mean."""
        Eo = Y - T
        if self.reduction == "mean":
            Eo = Eo * (1.0 / Y.shape[0])
        return Eo


@dataclass(frozen=True)
class SoftmaxCrossEntropy(_Head):
    """Softmax output with cross-entropy ``-sum_i sum_c t_ic log y_ic``.

    ``T`` holds one row per sample that sums to one (one-hot class targets).
    """

    name: ClassVar[str] = "softmax"
    loss_name: ClassVar[str] = "cross-entropy"

    def output(self, Z: Array) -> Array:
        return softmax(Z)

    def loss(self, Z: Array, T: Array) -> float:
        return self._reduce(-(T * log_softmax(Z)), Z.shape[0])

    def loss_and_error(self, Z: Array, T: Array) -> tuple[float, Array]:
        """Loss and output error ``Eo = dLoss/dZ``, sharing one log-softmax."""
        log_Y = log_softmax(Z)
        return self._reduce(-(T * log_Y), Z.shape[0]), self._error(namespace(Z).exp(log_Y), T)


@dataclass(frozen=True)
class LogisticBinaryCrossEntropy(_Head):
    """Logistic output with binary cross-entropy per output unit.

    ``-[t log y + (1 - t) log(1 - y)]`` equals ``softplus(z) - t z``, which is how
    it is computed: finite for any finite logit.
    """

    name: ClassVar[str] = "logistic"
    loss_name: ClassVar[str] = "binary cross-entropy"

    def output(self, Z: Array) -> Array:
        return logistic(Z)

    def loss(self, Z: Array, T: Array) -> float:
        xp = namespace(Z, T)
        return self._reduce(xp.logaddexp(xp.zeros_like(Z), Z) - T * Z, Z.shape[0])

    def loss_and_error(self, Z: Array, T: Array) -> tuple[float, Array]:
        """Loss and output error ``Eo = dLoss/dZ``."""
        return self.loss(Z, T), self._error(logistic(Z), T)


@dataclass(frozen=True)
class IdentitySquaredError(_Head):
    """Identity output with squared error ``1/2 sum (y - t)**2`` (so ``Eo = Y - T``)."""

    name: ClassVar[str] = "identity"
    loss_name: ClassVar[str] = "squared error"

    def output(self, Z: Array) -> Array:
        return Z

    def loss(self, Z: Array, T: Array) -> float:
        D = Z - T
        return self._reduce(0.5 * D * D, Z.shape[0])

    def loss_and_error(self, Z: Array, T: Array) -> tuple[float, Array]:
        """Loss and output error ``Eo = dLoss/dZ``."""
        return self.loss(Z, T), self._error(Z, T)


OutputHead = SoftmaxCrossEntropy | LogisticBinaryCrossEntropy | IdentitySquaredError

HEADS: dict[str, type[OutputHead]] = {
    "softmax": SoftmaxCrossEntropy,
    "logistic": LogisticBinaryCrossEntropy,
    "identity": IdentitySquaredError,
}


def get_head(name: str, reduction: Reduction = "sum") -> OutputHead:
    """Output head by the name of its output function: ``softmax``, ``logistic``, ``identity``."""
    try:
        cls = HEADS[name]
    except KeyError:
        known = ", ".join(sorted(HEADS))
        raise ValueError(f"unknown output {name!r}; expected one of: {known}") from None
    return cls(reduction)
