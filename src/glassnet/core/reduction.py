"""The batch loss from per-sample losses: sample weights and the reduction, written once.

Every output head (:mod:`glassnet.core.losses`) computes per-sample losses ``L_i`` (as the
terms ``L (N, C')`` whose row ``i`` sums to ``L_i``, ``C'`` one or the output units) and the
unscaled output error ``Y_i - T_i``, then hands both to :meth:`_Head._reduce`::

    loss = sum_i w_i L_i / S          Eo_i = w_i (Y_i - T_i) / S

with ``S = sum_i w_i`` for the ``"mean"`` reduction and ``S = 1`` for ``"sum"`` (the
tutorial's); without weights every ``w_i`` is one. A head whose loss is one per output
element (``per_element``: the identity head's squared error) is averaged over its ``C``
output columns too by ``"mean"``: ``S = C sum_i w_i``, the mean over all ``N x C``
elements, as scikit-learn's ``squared_loss`` (``((y - p)**2).mean() / 2``) and PyTorch's
``MSELoss(reduction="mean")``; ``"sum"`` sums every element, as the tutorial does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from glassnet.core._backend import into, namespace
from glassnet.core._types import Array

Reduction = Literal["sum", "mean"]
REDUCTIONS = ("sum", "mean")


@dataclass(frozen=True)
class _Head:
    reduction: Reduction = "sum"
    per_element: ClassVar[bool] = False  # "mean" averages over the output columns too

    def __post_init__(self) -> None:
        if self.reduction not in REDUCTIONS:
            raise ValueError(f"unknown reduction {self.reduction!r}; expected 'sum' or 'mean'")

    def check_targets(self, T: Array, where: str = "T") -> None:
        """Raise :class:`~glassnet.core.validation.DataError` unless ``T (N, C)`` (finite,
        of the right shape) holds targets this head's ``Eo = Y - T`` is the gradient for
        (:mod:`glassnet.core.target_checks`); any real targets for the identity head. The
        loss methods below do not check (:meth:`Network.check_inputs` calls this)."""

    def loss(self, Z: Array, T: Array, sample_weight: Array | None = None) -> float:
        """The batch loss ``sum_i w_i L_i / S`` (module docstring), without the error."""
        return self.loss_and_error(Z, T, sample_weight)[0]

    def loss_and_error(
        self,
        Z: Array,
        T: Array,
        sample_weight: Array | None = None,
        out: Array | None = None,
        scratch: Array | None = None,
        row: Array | None = None,
        total: Array | None = None,
    ) -> tuple[float, Array]:
        """The batch loss and output error ``Eo = dloss/dZ`` (module docstring): the head's
        :meth:`per_sample` losses and error, weighted and reduced. Buffers as in
        :mod:`glassnet.core.losses`."""
        L, D = self.per_sample(Z, T, out, scratch, row)
        return self._reduce(L, D, sample_weight, out, total)

    def per_sample(
        self, Z: Array, T: Array, out: Array | None = None, scratch: Array | None = None,
        row: Array | None = None,
    ) -> tuple[Array, Array]:  # fmt: skip
        """Each sample's loss as terms ``L (N, C')`` whose row ``i`` sums to ``L_i`` (``C'``
        is 1, into ``row``, or ``C``, into ``scratch``) and the unscaled output error
        ``Y - T (N, C)`` (into ``out``); each head writes its own."""
        raise NotImplementedError

    def _reduce(
        self,
        L: Array,
        Eo: Array,
        sample_weight: Array | None,
        out: Array | None,
        total: Array | None = None,
    ) -> tuple[float, Array]:
        """``(sum_i w_i L_i / S, w_i Eo_i / S)`` from per-sample loss terms ``L (N, C')``.

        Without weights the loss is also written into ``total`` (``()`` or ``(K,)``) when
        given, so that a recorded step (:mod:`glassnet.core.fast`) reads it from there.

        A population's ``L (K, N, C')`` and ``Eo (K, N, C)`` reduce member by member (over
        the last two axes) to a ``(K,)`` array of losses; its weights are ``(N,)`` or ``(K, N)``.
        One network's ``L`` is summed whole (``axis=None``: the same sum, which NumPy's
        reduction makes at less cost than over a tuple of axes).
        """
        xp = namespace(L, Eo)
        n = L.shape[-2]
        m = Eo.shape[-1] if self.per_element else 1  # the columns "mean" averages over
        if sample_weight is None:
            axes = None if L.ndim == 2 else (-2, -1)
            summed = xp.sum(L, axis=axes, **into(total))  # () or (K,)
            if self.reduction == "sum":
                return _loss_value(summed), Eo
            mean = summed / (n * m) if total is None else xp.divide(summed, n * m, out=total)
            return _loss_value(mean), xp.multiply(Eo, 1.0 / (n * m), **into(out))
        w = xp.astype(xp.asarray(sample_weight), Eo.dtype)[..., None]  # (N, 1) or (K, N, 1)
        total = xp.sum(xp.multiply(L, w), axis=(-2, -1), keepdims=True)
        S = xp.ones_like(total)
        if self.reduction == "mean":
            rows = (*L.shape[:-1], 1)  # (N, 1) or (K, N, 1): a weight per sample
            S = xp.sum(xp.broadcast_to(w, rows), axis=(-2, -1), keepdims=True)
            S = xp.where(S > 0, S * m, xp.ones_like(S))  # a batch of zero weights adds nothing
        scaled = xp.multiply(Eo, xp.divide(w, S), **into(out))
        return _loss_value(xp.divide(total, S)[..., 0, 0]), scaled


def _loss_value(total: Array) -> Any:
    """A single network's loss as a Python float; a population's as its ``(K,)`` array."""
    return float(total) if total.ndim == 0 else total
