"""The fast path: one training step in preallocated buffers (NumPy only).

This is the one place where glassnet trades a little readability for speed. It computes
exactly what the pure path computes::

    loss, grads = net.loss_and_grad(params, X, T)
    updates, state = opt.update(grads, state, params)
    params = apply_updates(params, updates)

but every array it touches is allocated once, in a :class:`Workspace` made for one
network, one largest batch size and one dtype, and every operation writes into a buffer
(``np.matmul(A, W, out=Z)``, ``np.exp(Z, out=Z)``). The optimizer step is fused and done
in place on one flat vector holding all parameters, so SGD and momentum cost a handful of
NumPy calls per step whatever the depth of the network.

**What is mutated.** ``step`` copies the parameters and the optimizer state it is given
into the workspace the first time it sees them, and returns *views* of the workspace's
flat buffers. Passing those views back (the normal training loop) updates them in place:
keep a copy (``[{k: v.copy() for k, v in p.items()} for p in params]``) if you need the
old values. Arrays that did not come from the workspace are never written.

The step is compiled once per batch size (and, for SGD and the momentum rules, per
learning rate, which it folds into the output error; only the latest rate's step is
kept) into a list of NumPy calls with their buffers bound (the builders are in
``inplace.py``), so running it makes no Python decisions.

For arrays that are not NumPy arrays (CuPy, PyTorch, array-api-strict) ``step`` falls
back to the portable pure path above.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import NamedTuple

import numpy as np
from numpy.typing import DTypeLike

from glassnet.core import inplace
from glassnet.core._types import Array, ParamList
from glassnet.core.inplace import Ops
from glassnet.core.network import Network
from glassnet.core.optimizers import (
    Adam,
    AdamState,
    MomentumState,
    Optimizer,
    OptState,
    apply_updates,
)


def _layer_views(flat: Array, sizes: Sequence[int]) -> tuple[list[Array], ParamList]:
    """Per layer, ``Wb (n_in + 1, n_out)`` laid end to end in ``flat``, and its ``{"W", "b"}``.

    ``W (n_in, n_out)`` followed by ``b (1, n_out)`` in memory *is* the stacked matrix
    ``Wb = [W; b]``, so ``W`` and ``b`` are its leading rows and its last row.
    """
    stacked, views, at = [], [], 0
    for n_in, n_out in zip(sizes, sizes[1:], strict=False):
        Wb = flat[at : at + (n_in + 1) * n_out].reshape(n_in + 1, n_out)
        at += (n_in + 1) * n_out
        stacked.append(Wb)
        views.append({"W": Wb[:n_in], "b": Wb[n_in:]})
    return stacked, views


def _owned(tree: ParamList, views: ParamList) -> bool:
    return all(p["W"] is v["W"] and p["b"] is v["b"] for p, v in zip(tree, views, strict=True))


def _load(tree: ParamList, views: ParamList) -> None:
    """Copy a parameter-shaped ``tree`` into the workspace ``views`` (first call only)."""
    for p, v in zip(tree, views, strict=True):
        np.copyto(v["W"], p["W"])
        np.copyto(v["b"], p["b"])


Plan = tuple[list[Array], list[Array], list[Array], list[Array], Array, Array, Array, Array]


class Workspace:
    """Every buffer one training step needs, for ``net``, up to ``batch_size`` rows, ``dtype``.

    Activations and errors are stored *feature-major* (transposed, ``(units, N)``), and each
    layer's input carries an extra row of ones: the bias trick, ``Z^T = [W; b]^T [A^T; 1]``
    and ``[dW; db] = [A^T; 1] E``, so a dense layer is one matrix multiply forward and one
    per gradient, with no separate bias add or bias sum. Buffers (``N = batch_size``):

    * ``A[l] (n_l + 1, N)``: the input of layer ``l``, ones below; ``A[0]`` alone is kept
      batch-first, ``[X, 1] (N, D + 1)``, so a batch is copied in without a transpose;
      layer ``l``'s pre-activations are written into ``A[l + 1]`` and activated in place;
    * ``Zo (C, N)``: the logits, overwritten by ``log Y``; ``E[l] (n_{l+1}, N)``: the error
      ``dLoss/dZ^T`` of layer ``l``; ``S[l]``: elementwise scratch; ``Tt (C, N)``: ``T^T``;
    * ``theta, grad, slots (P,)``: the parameters, their gradient (``-mu g`` for SGD,
      momentum and Nesterov, whose rules only use that; ``g`` for Adam) and the optimizer's
      per-parameter state (velocity ``M``; Adam's ``m``, ``v``), each one flat vector with
      ``{"W", "b"}`` views per layer, so the update is a few whole-vector operations.

    A smaller batch (the last one of an epoch) uses the leading columns of each buffer.
    """

    def __init__(self, net: Network, batch_size: int, dtype: DTypeLike = np.float64) -> None:
        self.net, self.batch_size, self.dtype = net, int(batch_size), np.dtype(dtype)
        if self.dtype.kind != "f":
            raise ValueError(f"the workspace needs a floating dtype, got {self.dtype}")
        sizes, N, P, dt = net.sizes, self.batch_size, net.n_params, self.dtype
        self.A = [np.ones((N, sizes[0] + 1), dt)] + [np.ones((n + 1, N), dt) for n in sizes[1:-1]]
        self.Zo = np.empty((sizes[-1], N), dt)
        self.E = [np.empty((n, N), dt) for n in sizes[1:]]
        self.S = [np.empty((n, N), dt) for n in sizes[1:]]
        self.Tt, self.row = np.empty((sizes[-1], N), dt), np.empty(N, dt)
        self.theta, self.grad, self.tmp = np.zeros(P, dt), np.zeros(P, dt), np.empty(P, dt)
        self.slots = [np.zeros(P, dt), np.zeros(P, dt)]
        self.Wb, self.params = _layer_views(self.theta, sizes)
        self.WbT = [Wb.T for Wb in self.Wb]  # (n_out, n_in + 1)
        self.dWb, self.grads = _layer_views(self.grad, sizes)
        self.slot_views = [_layer_views(s, sizes)[1] for s in self.slots]
        self._plans: dict[int, Plan] = {}
        self.programs: dict[tuple[int, float], Program] = {}  # per batch size and scale

    def columns(self, n: int) -> Plan:
        """``A, Z, E, S, Zo, Tt, row, X`` cut to ``n`` samples (views, cached per ``n``).

        ``Z[l]`` is ``A[l + 1]`` without its row of ones: where layer ``l`` writes its output.
        """
        plan = self._plans.get(n)
        if plan is None:
            if not 0 < n <= self.batch_size:
                raise ValueError(f"batch of {n} rows; this workspace holds 1..{self.batch_size}")
            plan = (
                [self.A[0][:n].T] + [A[:, :n] for A in self.A[1:]],
                [A[:-1, :n] for A in self.A[1:]],
                [E[:, :n] for E in self.E],
                [S[:, :n] for S in self.S],
                self.Zo[:, :n],
                self.Tt[:, :n],
                self.row[:n],
                self.A[0][:n, :-1],
            )
            self._plans[n] = plan
        return plan

    def inputs(self, n: int) -> Array:
        """The ``(n, D)`` buffer a batch of ``n`` samples is copied into.

        Fill it yourself (``np.take(X, idx, axis=0, out=ws.inputs(n))``) and pass it as
        ``X`` to :func:`step` to save that copy.
        """
        return self.columns(n)[-1]


# ---- forward and backward, compiled to a list of in-place NumPy calls ------------------
class Program(NamedTuple):
    """``loss_and_grad`` for one batch size as calls into the workspace's buffers."""

    X: Array  # (n, D) view of A[0]: where the batch goes
    Tt: Array  # (C, n): where T^T goes
    forward: Ops  # up to the head's loss
    loss: Callable[[], float]
    backward: Ops  # output error, then every layer's gradients, last to first


def _compile(ws: Workspace, n: int, scale: float) -> Program:
    """The step for ``n`` samples; the output error is multiplied by ``scale`` unless 1.

    Backpropagation is linear in the output error, so ``scale = -mu`` yields ``-mu g`` in
    ``grad`` for the price of scaling ``Eo (C, n)`` instead of all ``P`` gradients.
    """
    net, WbT, dWb, L = ws.net, ws.WbT, ws.dWb, len(ws.Wb)
    As, Zs, Es, Ss, Zo, Tt, row, _ = ws.columns(n)
    forward: Ops = []
    for i, act in enumerate(net.activations):
        forward.append(partial(np.matmul, WbT[i], As[i], out=Zs[i]))  # Z^T = [W; b]^T [A^T; 1]
        forward += inplace.activate(act, Zs[i])  # A^T = f(Z^T), in place   (H, n)
    forward.append(partial(np.matmul, WbT[-1], As[-1], out=Zo))  # (C, n)
    before, loss, backward = inplace.head(net.head, Zo, Tt, Es[-1], row)
    if scale != 1.0:
        backward.append(partial(np.multiply, Es[-1], scale, out=Es[-1]))
    for i in range(L - 1, -1, -1):
        E = Es[i]  # (n_out, n)
        backward.append(partial(np.matmul, As[i], E.T, out=dWb[i]))  # [dW; db] = [A^T; 1] E
        if i > 0:
            backward.append(partial(np.matmul, ws.params[i]["W"], E, out=Es[i - 1]))  # dA^T = W E^T
            backward += inplace.deactivate(net.activations[i - 1], Es[i - 1], Zs[i - 1], Ss[i - 1])
    return Program(ws.inputs(n), Tt, forward + before, loss, backward)


def _gradient_scale(opt: Optimizer) -> float:
    """``-mu`` for the rules that only ever use ``-mu g``; Adam needs the gradient itself."""
    return 1.0 if isinstance(opt, Adam) else -opt.learning_rate


def _backprop(ws: Workspace, X: Array, T: Array, scale: float = 1.0, load: bool = True) -> float:
    """Loss at ``ws.theta`` and ``scale`` times its gradient into ``ws.grad``, in buffers.

    ``load=False`` reuses the batch already in the buffers (the same ``X``, ``T`` again).
    """
    key = (X.shape[0], scale)
    program = ws.programs.get(key)
    if program is None:  # a new batch size or learning rate: the old rate's step goes
        for old in [k for k in ws.programs if k[0] == key[0]]:
            del ws.programs[old]
        program = ws.programs[key] = _compile(ws, X.shape[0], scale)
    if load:
        if X is not program.X:
            np.copyto(program.X, X)  # [X, 1]   (n, D + 1)
        np.copyto(program.Tt, T.T)
    for op in program.forward:
        op()
    loss = program.loss()
    for op in program.backward:
        op()
    return loss


def _update(ws: Workspace, opt: Optimizer, t: int) -> None:
    """``theta <- theta + update`` in place, fused over all parameters (``inplace.update``)."""
    inplace.update(opt, ws.theta, ws.grad, ws.tmp, ws.slots, t)


def _adopt(ws: Workspace, params: ParamList, state: OptState) -> OptState:
    """Copy ``params`` and ``state`` into the workspace unless they already live there."""
    if isinstance(state, MomentumState) and params is ws.params and state.M is ws.slot_views[0]:
        return state  # the steady state of a training loop: nothing to check
    if params is not ws.params and not _owned(params, ws.params):
        _load(params, ws.params)
    if isinstance(state, MomentumState):
        if not _owned(state.M, ws.slot_views[0]):
            _load(state.M, ws.slot_views[0])
        return MomentumState(ws.slot_views[0])
    if isinstance(state, AdamState):
        for tree, views in zip((state.m, state.v), ws.slot_views, strict=True):
            if not _owned(tree, views):
                _load(tree, views)
        return AdamState(state.t, ws.slot_views[0], ws.slot_views[1])
    return state


def _is_numpy(X: object, T: object) -> bool:
    return type(X) is np.ndarray and type(T) is np.ndarray


def _pure_step(
    net: Network, params: ParamList, opt: Optimizer, state: OptState, X: Array, T: Array
) -> tuple[float, ParamList, OptState]:
    loss, grads = net.loss_and_grad(params, X, T)
    updates, state = opt.update(grads, state, params)  # type: ignore[arg-type]
    return loss, apply_updates(params, updates), state


def _fast_steps(
    ws: Workspace,
    params: ParamList,
    opt: Optimizer,
    state: OptState,
    X: Array,
    T: Array,
    iterations: int,
) -> tuple[list[float], ParamList, OptState]:
    """``iterations`` steps on one batch in the workspace (the batch is loaded once)."""
    state = _adopt(ws, params, state)
    t0, scale = (state.t if isinstance(state, AdamState) else 0), _gradient_scale(opt)
    losses = []
    for t in range(t0 + 1, t0 + 1 + iterations):
        losses.append(_backprop(ws, X, T, scale, load=t == t0 + 1))
        _update(ws, opt, t)
    if isinstance(state, AdamState):
        state = AdamState(t0 + iterations, state.m, state.v)
    return losses, ws.params, state


def step(
    net: Network,
    params: ParamList,
    opt: Optimizer,
    state: OptState,
    X: Array,
    T: Array,
    workspace: Workspace | None = None,
) -> tuple[float, ParamList, OptState]:
    """One training step on the batch ``X (N, D)``, ``T (N, C)``: ``(loss, params, state)``.

    ``loss`` is the loss at the parameters *before* the step (what ``loss_and_grad``
    returns). With a ``workspace`` and NumPy arrays the step runs in its buffers and the
    returned ``params`` and ``state`` are views of them, updated in place by the next
    call; without one, or for other array types, it is the pure path.
    """
    if workspace is None or not _is_numpy(X, T):
        return _pure_step(net, params, opt, state, X, T)
    losses, params, state = _fast_steps(workspace, params, opt, state, X, T, 1)
    return losses[0], params, state


def train_steps(
    net: Network,
    params: ParamList,
    opt: Optimizer,
    state: OptState,
    X: Array,
    T: Array,
    iterations: int,
    workspace: Workspace | None = None,
) -> tuple[Array, ParamList, OptState]:
    """``iterations`` full-batch steps on ``(X, T)``: ``(losses (iterations,), params, state)``.

    ``losses[i]`` is the loss before step ``i``. A workspace for ``X``'s size and dtype is
    made when none is given (NumPy arrays only).
    """
    if workspace is None and _is_numpy(X, T):
        workspace = Workspace(net, X.shape[0], X.dtype)
    if workspace is None or not _is_numpy(X, T):
        losses = []
        for _ in range(iterations):
            loss, params, state = _pure_step(net, params, opt, state, X, T)
            losses.append(loss)
        return np.asarray(losses), params, state
    fast_losses, params, state = _fast_steps(workspace, params, opt, state, X, T, iterations)
    return np.asarray(fast_losses), params, state
