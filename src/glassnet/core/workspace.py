"""The buffers of the compiled training step (:mod:`glassnet.core.fast`), allocated once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import DTypeLike

from glassnet.core._backend import Call
from glassnet.core._types import Array, ParamList
from glassnet.core.blas import Product
from glassnet.core.flat import TINY_LAYER, Chunk, MemberAxis, chunk_of, layer_views, member_layout
from glassnet.core.network import Network

Ops = list[Callable[[], object]]
Calls = list[Call]
Columns = tuple[Array, Array, list[Array], list[Array], list[Array], Array]


class Program(NamedTuple):
    """``loss_and_grad`` for one batch size as calls into a workspace's buffers
    (made by :func:`glassnet.core.fast.compile_step`).

    Each ``Calls`` list is a flat list of ``(function, args, kwargs)``, the NumPy calls the
    core's functions made once with these buffers bound (recorded, see
    :func:`glassnet.core._backend.recording`); running them again is the same math.
    """

    X: Array  # (n, D): where the batch goes
    T: Array  # (n, C): where its targets go
    unweighted: Calls  # forward, head and backward without sample weights: the whole pass
    forward: Calls  # every layer and activation, up to the logits
    loss_and_error: Callable[[Array | None], tuple[float, Array]]  # the head, given weights
    backward: Calls  # every layer's gradients and the activations' derivatives, last to first
    total: Array  # () or (K,): the unweighted loss, written by ``unweighted``
    products: list[Product]  # each layer's ``A^T dZ`` for a fused update; [] if none
    unweighted_fused: Calls  # ``unweighted`` without those products (see glassnet.core.fused)
    backward_fused: Calls  # ``backward`` without them


class Workspace:
    """Every buffer one training step needs, for ``net``, up to ``batch_size`` rows, ``dtype``.

    Batch first, ``N = batch_size``; a smaller batch uses the leading rows of each buffer:

    * ``X (N, D)``, ``T (N, C)``: the batch; ``Z[l] (N, n_{l+1})``: layer ``l``'s output,
      activated in place for hidden layers (``Z[-1]`` holds the logits);
    * ``E[l]``: the error ``dLoss/dZ[l]`` (``E[-1] = Eo``); ``S[l]``: scratch of that shape;
      ``row (N, 1)``: the head's per-sample scratch; ``total ()``: the batch loss;
    * ``theta, grad, tmp (P,)`` and two ``slots (P,)``: the parameters, their gradient,
      scratch and the optimizer state (velocity ``M``; Adam's ``m``, ``v``), each one flat
      vector with ``{"W", "b"}`` views per layer (``params``, ``grads``, ``slot_views``);
      ``theta`` and the slots are the rows of one block ``state (3, P)``, which one copy
      keeps (the loop's copy at each epoch's end, :class:`glassnet.train.snapshots.EpochEnd`).

    For a population of ``members = K`` networks every buffer gains a leading member axis:
    ``Z[l] (K, N, n)``, ``W (K, n_in, n_out)``, flat vectors ``(K, P)`` or ``(P, K)``. The
    batch is ``X (N, D)``, ``T (N, C)`` shared by all members (``shared_batch``) or
    ``(K, N, D)``, ``(K, N, C)``, one per member. ``member_axis`` places the members in
    memory: ``"last"`` (innermost: the elementwise work and :func:`glassnet.core.layers.matmul`
    run over long rows of members, fastest for tiny layers), ``"first"`` (each member's
    matrices contiguous, for BLAS products on wide layers), or ``"auto"``: ``"last"`` when
    no layer is wider than ``TINY_LAYER`` units (``benchmarks/population.py`` measures both).
    """

    def __init__(
        self,
        net: Network,
        batch_size: int,
        dtype: DTypeLike = np.float64,
        members: int | None = None,
        shared_batch: bool = False,
        member_axis: MemberAxis = "auto",
    ) -> None:
        self.net, self.batch_size, self.dtype = net, int(batch_size), np.dtype(dtype)
        if self.dtype.kind != "f":
            raise ValueError(f"the workspace needs a floating dtype, got {self.dtype}")
        self.members = members
        self.member_axis = member_axis = member_layout(net, member_axis)
        sizes, N, P = net.sizes, self.batch_size, net.n_params
        K = () if members is None else (members,)
        batch = () if shared_batch else K
        self.X, self.T = self._zeros(*batch, N, sizes[0]), self._zeros(*batch, N, sizes[-1])
        self.Z = [self._zeros(*K, N, n) for n in sizes[1:]]
        self.E = [self._zeros(*K, N, n) for n in sizes[1:]]
        self.S = [self._zeros(*K, N, n) for n in sizes[1:]]
        self.row = self._zeros(*K, N, 1)
        self.total = np.zeros(K, self.dtype)  # the batch loss: () or (K,)
        self.state = self._flat(P, rows=3)  # theta and the two slots: one block
        self.theta, self.slots = self.state[0], (self.state[1], self.state[2])
        self.grad, self.tmp = self._flat(P), self._flat(P)
        axis = None if members is None else member_axis
        views = [layer_views(a, sizes, axis) for a in (self.theta, self.grad, self.tmp)]
        self.params, self.grads, self.scratch_views = views
        self.slot_views = [layer_views(s, sizes, axis) for s in self.slots]
        self.programs: dict[int, Program] = {}  # the compiled step per batch size
        self.rules: dict[Any, Any] = {}  # compiled optimizer rules (core.compiled_rule)
        self.rule_in_use: tuple[Any, Any] = (None, None)  # the last optimizer and its rule
        self._columns: dict[int, Columns] = {}
        self._chunks: dict[int, list[Chunk]] = {}

    def chunks(self, size: int) -> list[Chunk]:
        """The flat vectors cut into stretches of ``size`` parameters (the last one shorter;
        one network only), cached per ``size``."""
        cached = self._chunks.get(size)
        if cached is None:
            cached = self._chunks[size] = [
                self._chunk(start, min(start + size, self.theta.size))
                for start in range(0, self.theta.size, size)
            ]
        return cached

    def _chunk(self, start: int, stop: int) -> Chunk:
        flats = (self.theta, self.grad, self.tmp, *self.slots)
        return chunk_of(flats, self.net.sizes, start, stop)

    def _zeros(self, *shape: int) -> Array:
        """A zero buffer of ``shape``; a member axis (first of three) innermost if ``last``."""
        if len(shape) < 3 or self.member_axis == "first":
            return np.zeros(shape, self.dtype)
        return np.moveaxis(np.zeros((*shape[1:], shape[0]), self.dtype), -1, 0)

    def _flat(self, P: int, rows: int | None = None) -> Array:
        """A flat vector of ``P`` parameters (per member); ``rows`` of them in one block."""
        block = () if rows is None else (rows,)
        if self.members is None:
            return np.zeros((*block, P), self.dtype)
        K = self.members
        shape = (K, P) if self.member_axis == "first" else (P, K)
        return np.zeros((*block, *shape), self.dtype)

    def per_member(self, values: Any) -> Array:
        """``values (K,)`` shaped to broadcast against the flat vectors (optimizer rules)."""
        v = np.asarray(values, dtype=self.dtype)
        return v.reshape(-1, 1) if self.member_axis == "first" else v.reshape(-1)

    def columns(self, n: int) -> Columns:
        """``X, T, Z, E, S, row`` cut to ``n`` samples (views, cached per ``n``)."""
        cut = self._columns.get(n)
        if cut is None:
            if not 0 < n <= self.batch_size:
                raise ValueError(f"batch of {n} rows; this workspace holds 1..{self.batch_size}")
            Z, E, S = ([A[..., :n, :] for A in buffers] for buffers in (self.Z, self.E, self.S))
            X, T, row = (A[..., :n, :] for A in (self.X, self.T, self.row))
            cut = self._columns[n] = (X, T, Z, E, S, row)
        return cut

    def inputs(self, n: int) -> Array:
        """The ``(n, D)`` buffer a batch of ``n`` samples is copied into.

        Fill it yourself (``np.take(X, idx, axis=0, out=ws.inputs(n))``) and pass it as
        ``X`` to :func:`glassnet.core.fast.step` to save that copy.
        """
        return self.columns(n)[0]

    def snapshot(self, tree: Any) -> Any:
        """A copy of a parameter-shaped ``tree`` (or of an optimizer state holding such
        trees) that no later step writes: one copy of a flat vector when ``tree`` is one of
        this workspace's sets of views, else a copy of each array."""
        if not isinstance(tree, list):  # an optimizer state: copy each tree in it
            return type(tree)(*(self.snapshot(f) if isinstance(f, list) else f for f in tree))
        flats = (self.theta, self.grad, self.tmp, *self.slots)
        views = (self.params, self.grads, self.scratch_views, *self.slot_views)
        for flat, own in zip(flats, views, strict=True):
            if tree is own:
                axis = None if self.members is None else self.member_axis
                return layer_views(flat.copy(), self.net.sizes, axis)
        return [{k: v.copy() for k, v in layer.items()} for layer in tree]

    @staticmethod
    def load(tree: Any, views: ParamList) -> None:
        """Copy a parameter-shaped ``tree`` into ``views`` unless it already is them."""
        if tree is views:
            return
        for p, v in zip(tree, views, strict=True):
            for k in ("W", "b"):
                if p[k] is not v[k]:
                    np.copyto(v[k], p[k])


__all__ = [
    "TINY_LAYER", "Chunk", "MemberAxis", "Program", "Workspace", "layer_views", "member_layout",
]  # fmt: skip
