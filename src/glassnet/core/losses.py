"""Output functions fused with their losses, each written once.

An output head turns the last layer's pre-activations (the *logits* ``Z (N, C)``)
into the network output ``Y (N, C)`` and scores ``Y`` against the targets
``T (N, C)``. Fusing the output function with its matching loss gives two
things at once:

* stability: the loss is computed from the logits (log-sum-exp, softplus), so it
  stays finite for any finite ``Z``, where ``log(softmax(Z))`` would give ``-inf``;
* a simple output error: for each pair below ``dL_i/dZ_i = Y_i - T_i``, the tutorial's
  ``Eo = Y - T``.

With per-sample losses ``L_i`` and sample weights ``w_i`` (all one when none are given),
the batch loss and its output error are::

    loss = sum_i w_i L_i / S          Eo_i = w_i (Y_i - T_i) / S

with ``S = sum_i w_i`` for the ``"mean"`` reduction and ``S = 1`` for ``"sum"`` (the
tutorial's), so an integer weight ``k`` counts a row ``k`` times. The identity head's
``"mean"`` also averages over its ``C`` output columns (``S = C sum_i w_i``, the mean over
every output element, as scikit-learn's ``MLPRegressor`` reports its loss; see
:mod:`glassnet.core.reduction`).

:meth:`loss_and_error` takes optional buffers: ``out (N, C)`` for ``Eo``, ``scratch (N, C)``,
``row (N, 1)`` (the softmax head's per-sample losses; the others leave theirs as the terms
of each row, in ``scratch``) and ``total ()`` for the unweighted loss. Without them it
allocates (array API only); with them it writes in place (the compiled step of
:mod:`glassnet.core.fast`); ``Z`` and ``T`` are never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from glassnet.core._backend import into, namespace
from glassnet.core._types import Array
from glassnet.core.activations import logistic
from glassnet.core.reduction import REDUCTIONS, Reduction, _Head
from glassnet.core.target_checks import check_distributions, check_unit_interval

__all__ = [
    "HEADS", "REDUCTIONS", "IdentitySquaredError", "LogisticBinaryCrossEntropy", "OutputHead",
    "Reduction", "SoftmaxCrossEntropy", "get_head", "log_softmax", "softmax",
]  # fmt: skip


def log_softmax(
    Z: Array, out: Array | None = None, work: Array | None = None, row: Array | None = None
) -> Array:
    """``log(softmax(Z))`` row by row, shifted by the row maximum (log-sum-exp).

    ``log Y = (Z - m) - log sum_c exp(Z_c - m)`` with ``m = max_c Z_c``. Buffers: ``out``
    and ``work`` (N, C), ``row`` (N, 1); ``out`` may be ``Z``.
    """
    xp, r = namespace(Z), into(row)
    m = xp.max(Z, axis=-1, keepdims=True, **r)
    shifted = xp.subtract(Z, m, **into(out))
    lse = xp.sum(xp.exp(shifted, **into(work)), axis=-1, keepdims=True, **r)
    lse = xp.log(lse, **r)
    return xp.subtract(shifted, lse, **into(out))


def softmax(Z: Array) -> Array:
    """``exp(Z) / sum(exp(Z))`` row by row: ``exp(log_softmax(Z))``."""
    return namespace(Z).exp(log_softmax(Z))


@dataclass(frozen=True)
class SoftmaxCrossEntropy(_Head):
    """Softmax output with cross-entropy ``L_i = -sum_c t_ic log y_ic``.

    ``T`` holds one row per sample that is a probability distribution: non-negative and
    summing to one (one-hot class targets, or label-smoothed ones); only then is ``Y - T``
    the gradient (:meth:`check_targets`).
    """

    name: ClassVar[str] = "softmax"
    loss_name: ClassVar[str] = "cross-entropy"

    def output(self, Z: Array) -> Array:
        return softmax(Z)

    def check_targets(self, T: Array, where: str = "T") -> None:
        check_distributions(T, where)

    def per_sample(
        self, Z: Array, T: Array, out: Array | None = None, scratch: Array | None = None,
        row: Array | None = None,
    ) -> tuple[Array, Array]:  # fmt: skip
        """``L_i = -sum_c t_ic log y_ic`` and ``Y - T``, sharing one log-softmax."""
        xp = namespace(Z, T)
        log_Y = log_softmax(Z, scratch, out, row)
        L = xp.sum(xp.multiply(T, log_Y, **into(out)), axis=-1, keepdims=True, **into(row))
        L = xp.negative(L, **into(row))  # (N, 1)
        Y = xp.exp(log_Y, **into(out))
        return L, xp.subtract(Y, T, **into(out))


@dataclass(frozen=True)
class LogisticBinaryCrossEntropy(_Head):
    """Logistic output with binary cross-entropy summed over the output units.

    ``L_i = -sum_c [t log y + (1 - t) log(1 - y)]`` equals ``sum_c softplus(z) - t z``,
    which is how it is computed: finite for any finite logit. Targets lie in ``[0, 1]``
    (:meth:`check_targets`).
    """

    name: ClassVar[str] = "logistic"
    loss_name: ClassVar[str] = "binary cross-entropy"

    def output(self, Z: Array) -> Array:
        return logistic(Z)

    def check_targets(self, T: Array, where: str = "T") -> None:
        check_unit_interval(T, where)

    def per_sample(
        self, Z: Array, T: Array, out: Array | None = None, scratch: Array | None = None,
        row: Array | None = None,
    ) -> tuple[Array, Array]:  # fmt: skip
        """The terms ``softplus(z) - t z`` (N, C) of ``L_i``, and ``Y - T``. Left unsummed
        over the output units: the reduction sums them (for one unit, a sum over an axis of
        length 1 would only copy them)."""
        xp, s = namespace(Z, T), into(scratch)
        softplus = xp.logaddexp(0.0, Z, **s)
        terms = xp.subtract(softplus, xp.multiply(T, Z, **into(out)), **s)  # (N, C)
        Y = logistic(Z, out)
        return terms, xp.subtract(Y, T, **into(out))


@dataclass(frozen=True)
class IdentitySquaredError(_Head):
    """Identity output with squared error ``L_i = 1/2 sum_c (y_ic - t_ic)**2`` (``Eo = Y - T``).

    One loss per output element (``per_element``): the ``"mean"`` reduction averages over
    the ``N`` samples and the ``C`` columns, ``loss = sum_ic w_i (y_ic - t_ic)**2 / (2 C
    sum_i w_i)``, scikit-learn's ``squared_loss`` with or without sample weights.
    """

    name: ClassVar[str] = "identity"
    loss_name: ClassVar[str] = "squared error"
    per_element: ClassVar[bool] = True

    def output(self, Z: Array) -> Array:
        return Z

    def per_sample(
        self, Z: Array, T: Array, out: Array | None = None, scratch: Array | None = None,
        row: Array | None = None,
    ) -> tuple[Array, Array]:  # fmt: skip
        """The terms ``1/2 (y_ic - t_ic)**2`` (N, C) of ``L_i``, and ``D = Y - T``."""
        xp, s = namespace(Z, T), into(scratch)
        D = xp.subtract(Z, T, **into(out))  # Y - T
        return xp.multiply(xp.multiply(D, D, **s), 0.5, **s), D  # (N, C)


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
