"""The fast path: one training step in preallocated buffers (NumPy only).

It computes exactly what the pure path computes::

    loss, grads = net.loss_and_grad(params, X, T, sample_weight)
    penalty, grads = l2_penalty(params, grads, l2_scale)        # when l2_scale > 0
    updates, state = opt.update(grads, state, params)
    params = apply_updates(params, updates)

with the *same functions* (each layer's ``forward``/``backward``, each activation, the
head's ``loss_and_error``, :func:`l2_penalty`, the optimizer's one-array ``rule``), called
with output buffers. Every array is allocated once, in a :class:`Workspace` made for one
network, one largest batch size and one dtype. The parameters, their gradient and the
optimizer state each live in one flat vector with ``{"W", "b"}`` views per layer, so the
optimizer rule runs once over all parameters.

**What is mutated.** ``step`` copies the parameters and the optimizer state it is given
into the workspace the first time it sees them, and returns *views* of the workspace's
flat buffers. Passing those views back (the normal training loop) updates them in place:
keep a copy (``[{k: v.copy() for k, v in p.items()} for p in params]``) if you need the
old values. Arrays that did not come from the workspace are never written.

The step is compiled once per batch size: those calls with their buffers bound, run once
while recording (:func:`glassnet.core._backend.recording`) the NumPy calls they make, which
are then replayed as one flat list (:class:`Program`): the same functions' math, with no
Python between the calls. The learning rate,
the sample weights and the L2 scale are read at every step, never bound, so a schedule
never recompiles. For arrays that are not NumPy arrays ``step`` is the pure path above.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import AdamState, MomentumState, Optimizer, OptState, apply_updates
from glassnet.core.program import compile_step, replay
from glassnet.core.regularization import l2_penalty
from glassnet.core.step_update import CHUNK as CHUNK
from glassnet.core.step_update import fusion as _fusion
from glassnet.core.step_update import replayed as _replayed
from glassnet.core.step_update import update as _update
from glassnet.core.workspace import Program, Workspace


def _backprop(
    ws: Workspace, X: Array, T: Array, sample_weight: Array | None, load: bool, fuse: bool
) -> tuple[Any, Program]:
    """Loss at ``ws.theta`` and its gradient into ``ws.grad``; the program that ran.

    ``load=False`` reuses the batch already in the buffers (the same ``X``, ``T`` again).
    ``fuse`` leaves out the weight gradients' products (``program.products``) where the
    program has them: the fused update computes them (:mod:`glassnet.core.fused`).
    """
    n = X.shape[-2]  # (n, D), or (K, n, D) for a population's own batches
    program = ws.programs.get(n)
    X_in, T_in = ws.columns(n)[:2] if program is None else (program.X, program.T)
    if load:  # a batch already in the buffers (ws.inputs, ws.targets) is not copied
        if X is not X_in:
            np.copyto(X_in, X)
        if T is not T_in:
            np.copyto(T_in, T)
    if program is None:  # compiled on this batch (its check needs real numbers)
        program = ws.programs[n] = compile_step(ws, n)
    elif sample_weight is None:  # (compiling left the unweighted pass in the buffers)
        replay(program.unweighted_fused if fuse else program.unweighted)
    if sample_weight is None:
        total = program.total
        return (float(total) if total.ndim == 0 else total.copy()), program
    replay(program.forward)
    loss, _ = program.loss_and_error(sample_weight)
    replay(program.backward_fused if fuse else program.backward)
    return loss, program


def _adopt(ws: Workspace, params: ParamList, state: OptState) -> OptState:
    """Copy ``params`` and ``state`` into the workspace unless they already live there."""
    ws.load(params, ws.params)
    slots = ws.slot_views
    if isinstance(state, MomentumState):
        if state.M is not slots[0]:  # (the loop passes back the state it was given)
            ws.load(state.M, slots[0])
            state = MomentumState(slots[0])
    elif isinstance(state, AdamState) and (state.m is not slots[0] or state.v is not slots[1]):
        ws.load(state.m, slots[0])
        ws.load(state.v, slots[1])
        state = AdamState(state.t, slots[0], slots[1])
    return state


def _is_numpy(X: object, T: object, w: object = None) -> bool:
    ndarray = np.ndarray
    return type(X) is ndarray and type(T) is ndarray and (w is None or type(w) is ndarray)


def pure_step(
    net: Network,
    params: ParamList,
    opt: Optimizer,
    state: OptState,
    X: Array,
    T: Array,
    *,
    sample_weight: Array | None = None,
    l2_scale: float = 0.0,
) -> tuple[float, ParamList, OptState]:
    """One step of the portable path: the module docstring's four lines, nothing mutated.
    Inputs are not checked (the loop checks its data once; see ``Network.check_inputs``)."""
    loss, grads = net._loss_and_grad(params, X, T, sample_weight)
    if np.any(l2_scale):
        penalty, grads = l2_penalty(params, grads, l2_scale)
        loss += penalty
    updates, state = opt.update(grads, state, params)  # type: ignore[arg-type]
    return loss, apply_updates(params, updates), state


def step(
    net: Network,
    params: ParamList,
    opt: Optimizer,
    state: OptState,
    X: Array,
    T: Array,
    workspace: Workspace | None = None,
    *,
    sample_weight: Array | None = None,
    l2_scale: float = 0.0,
) -> tuple[float, ParamList, OptState]:
    """One training step on ``X (N, D)``, ``T (N, C)``: ``(loss, params, state)``.

    ``loss`` is the objective at the parameters *before* the step: the weighted loss of
    :meth:`Network.loss_and_grad` plus the L2 penalty ``(l2_scale / 2) sum ||W||^2``.
    ``sample_weight (N,)`` weighs the rows. With a ``workspace`` and NumPy arrays the step
    runs in its buffers and the returned ``params`` and ``state`` are views of them,
    updated in place by the next call; without one, or for other array types, it is
    :func:`pure_step`.
    """
    if workspace is None or not _is_numpy(X, T, sample_weight):
        return pure_step(
            net, params, opt, state, X, T, sample_weight=sample_weight, l2_scale=l2_scale
        )
    state = _adopt(workspace, params, state)
    replayed = _replayed(workspace, opt, X, T, sample_weight, l2_scale)
    if replayed is not None:  # (most steps of a full-batch run)
        return replayed, workspace.params, state
    t = state.t + 1 if isinstance(state, AdamState) else 1
    rule = _fusion(workspace, opt, t, X.shape[-2])
    loss, program = _backprop(workspace, X, T, sample_weight, load=True, fuse=rule is not None)
    loss += _update(workspace, opt, l2_scale, t, program, rule)
    if isinstance(state, AdamState):
        state = AdamState(t, state.m, state.v)
    return loss, workspace.params, state


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
    made when none is given (NumPy arrays only); the batch is loaded into it once.
    """
    if not _is_numpy(X, T):
        losses = []
        for _ in range(iterations):
            loss, params, state = pure_step(net, params, opt, state, X, T)
            losses.append(loss)
        return np.asarray(losses), params, state
    ws = workspace or Workspace(net, X.shape[0], X.dtype)
    state = _adopt(ws, params, state)
    t0 = state.t if isinstance(state, AdamState) else 0
    out = np.empty(iterations)
    for k in range(iterations):
        rule = _fusion(ws, opt, t0 + k + 1, X.shape[0])
        out[k], program = _backprop(ws, X, T, None, load=k == 0, fuse=rule is not None)
        _update(ws, opt, 0.0, t0 + k + 1, program, rule)
    if isinstance(state, AdamState):
        state = AdamState(t0 + iterations, state.m, state.v)
    return out, ws.params, state


__all__ = ["Program", "Workspace", "compile_step", "pure_step", "step", "train_steps"]
