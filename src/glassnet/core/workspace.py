"""The buffers of the compiled training step (:mod:`glassnet.core.fast`), allocated once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import DTypeLike

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network

Ops = list[Callable[[], object]]


class Program(NamedTuple):
    """``loss_and_grad`` for one batch size as calls into a workspace's buffers
    (made by :func:`glassnet.core.fast.compile_step`)."""

    X: Array  # (n, D): where the batch goes
    T: Array  # (n, C): where its targets go
    forward: Ops  # every layer and activation, up to the logits
    loss_and_error: Callable[[Array | None], tuple[float, Array]]  # the head, given weights
    backward: Ops  # every layer's gradients and the activations' derivatives, last to first

Columns = tuple[Array, Array, list[Array], list[Array], list[Array], Array]


def layer_views(flat: Array, sizes: Sequence[int]) -> ParamList:
    """``{"W" (n_in, n_out), "b" (1, n_out)}`` per layer, laid end to end in ``flat``."""
    views, at = [], 0
    for n_in, n_out in zip(sizes, sizes[1:], strict=False):
        W = flat[at : at + n_in * n_out].reshape(n_in, n_out)
        at += n_in * n_out
        views.append({"W": W, "b": flat[at : at + n_out].reshape(1, n_out)})
        at += n_out
    return views


class Workspace:
    """Every buffer one training step needs, for ``net``, up to ``batch_size`` rows, ``dtype``.

    Batch first, ``N = batch_size``; a smaller batch uses the leading rows of each buffer:

    * ``X (N, D)``, ``T (N, C)``: the batch; ``Z[l] (N, n_{l+1})``: layer ``l``'s output,
      activated in place for hidden layers (``Z[-1]`` holds the logits);
    * ``E[l]``: the error ``dLoss/dZ[l]`` (``E[-1] = Eo``); ``S[l]``: scratch of that shape;
      ``row (N, 1)``: the head's per-sample scratch;
    * ``theta, grad, tmp (P,)`` and two ``slots (P,)``: the parameters, their gradient,
      scratch and the optimizer state (velocity ``M``; Adam's ``m``, ``v``), each one flat
      vector with ``{"W", "b"}`` views per layer (``params``, ``grads``, ``slot_views``).
    """

    def __init__(self, net: Network, batch_size: int, dtype: DTypeLike = np.float64) -> None:
        self.net, self.batch_size, self.dtype = net, int(batch_size), np.dtype(dtype)
        if self.dtype.kind != "f":
            raise ValueError(f"the workspace needs a floating dtype, got {self.dtype}")
        sizes, N, P, dt = net.sizes, self.batch_size, net.n_params, self.dtype
        self.X, self.T = np.zeros((N, sizes[0]), dt), np.zeros((N, sizes[-1]), dt)
        self.Z = [np.zeros((N, n), dt) for n in sizes[1:]]
        self.E = [np.zeros((N, n), dt) for n in sizes[1:]]
        self.S = [np.zeros((N, n), dt) for n in sizes[1:]]
        self.row = np.zeros((N, 1), dt)
        self.theta, self.grad, self.tmp = np.zeros(P, dt), np.zeros(P, dt), np.zeros(P, dt)
        self.slots = (np.zeros(P, dt), np.zeros(P, dt))
        self.params, self.grads = layer_views(self.theta, sizes), layer_views(self.grad, sizes)
        self.scratch_views = layer_views(self.tmp, sizes)
        self.slot_views = [layer_views(s, sizes) for s in self.slots]
        self.programs: dict[int, Program] = {}  # the compiled step per batch size
        self._columns: dict[int, Columns] = {}

    def columns(self, n: int) -> Columns:
        """``X, T, Z, E, S, row`` cut to ``n`` samples (views, cached per ``n``)."""
        cut = self._columns.get(n)
        if cut is None:
            if not 0 < n <= self.batch_size:
                raise ValueError(f"batch of {n} rows; this workspace holds 1..{self.batch_size}")
            Z, E, S = ([A[:n] for A in buffers] for buffers in (self.Z, self.E, self.S))
            cut = self._columns[n] = (self.X[:n], self.T[:n], Z, E, S, self.row[:n])
        return cut

    def inputs(self, n: int) -> Array:
        """The ``(n, D)`` buffer a batch of ``n`` samples is copied into.

        Fill it yourself (``np.take(X, idx, axis=0, out=ws.inputs(n))``) and pass it as
        ``X`` to :func:`glassnet.core.fast.step` to save that copy.
        """
        return self.columns(n)[0]

    @staticmethod
    def load(tree: Any, views: ParamList) -> None:
        """Copy a parameter-shaped ``tree`` into ``views`` unless it already is them."""
        if tree is views:
            return
        for p, v in zip(tree, views, strict=True):
            for k in ("W", "b"):
                if p[k] is not v[k]:
                    np.copyto(v[k], p[k])
