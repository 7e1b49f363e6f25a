"""The training loop: minibatches, validation, early stopping, schedules, callbacks.

:func:`fit` is a plain function of its inputs. It never changes the parameters it is
given; it returns new ones with the per-epoch history. Randomness (the minibatch order,
reshuffled every epoch as a permutation of sample indices) comes from ``config.seed``.

One epoch::

    for each minibatch (X_b, T_b) of a fresh permutation of the training rows:
        loss, grads = net.loss_and_grad(params, X_b, T_b)
        grads["W"] += weight_decay * W                     # L2, on weights only
        updates, state = optimizer.update(grads, state, params)
        params = params + updates
    score the validation rows; step the schedule; maybe stop early

For a plain :class:`Network` without the L2 term the step runs in :mod:`glassnet.core.fast`'s
preallocated buffers, which computes the same numbers in place. The settings, results
and loop state are in :mod:`glassnet.train.state`.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core import fast
from glassnet.core._types import Array, ParamList
from glassnet.core.fast import Workspace
from glassnet.core.losses import SoftmaxCrossEntropy
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer, OptState, apply_updates
from glassnet.core.validation import DataError, as_features, as_targets, check_codes
from glassnet.data.batching import batches, evaluate, per_sample
from glassnet.data.preprocessing import Standardizer
from glassnet.train.history import EpochRecord, History
from glassnet.train.state import (
    Callback,
    LoopState,
    TrainConfig,
    TrainingDiverged,
    TrainingInterrupted,
    TrainResult,
)

__all__ = [
    "Callback",
    "EpochRecord",
    "History",
    "LoopState",
    "TrainConfig",
    "TrainResult",
    "TrainingDiverged",
    "TrainingInterrupted",
    "fit",
]


def fit(
    net: Network,
    params: ParamList,
    X: Any,
    y: Any,
    config: TrainConfig | None = None,
    *,
    train_rows: Array | None = None,
    val_rows: Array | None = None,
    validation: tuple[Any, Any] | None = None,
    scaler: Standardizer | None = None,
    callbacks: Sequence[Callback] = (),
    opt_state: OptState | None = None,
    resume: LoopState | None = None,
    on_epoch_end: Callable[[LoopState], None] | None = None,
) -> TrainResult:
    """Train ``net`` from ``params`` on ``(X, y)``; return new parameters and the history.

    ``y`` holds integer class codes for a softmax head, 0/1 values for a logistic head and
    target values for an identity head. The validation set is either ``val_rows`` of
    ``(X, y)`` or a separate ``validation=(X_val, y_val)``. ``scaler`` standardizes
    every batch as it is read.

    ``on_epoch_end(state)`` sees the loop state after every epoch (to write checkpoints);
    ``resume=state`` continues from such a state and gives the same result as a run that
    was never stopped. Ctrl-C raises :class:`TrainingInterrupted`; a non-finite or
    exploding loss raises :class:`TrainingDiverged`, both carrying the parameters to keep.
    """
    cfg = config or TrainConfig()
    X, y = _checked_data(net, X, y, "X", "y")
    if validation is not None:
        validation = _checked_data(net, *validation, "X_val", "y_val")
    train_rows = np.arange(X.shape[0]) if train_rows is None else np.asarray(train_rows)
    if len(train_rows) == 0:
        raise ValueError("no training samples")
    if validation is not None and val_rows is not None:
        raise ValueError("give the validation set as val_rows or as validation, not both")
    Xv, yv = validation if validation is not None else (X, y)
    if validation is not None:
        val_rows = np.arange(Xv.shape[0])
    loop = resume or _start(cfg, params, opt_state)
    rng = np.random.default_rng()
    rng.bit_generator.state = loop.rng_state
    batch_size = cfg.batch_size or len(train_rows)
    keep_best = cfg.restore_best and val_rows is not None
    run = _Run(
        net,
        cfg,
        X,
        y,
        train_rows,
        (Xv, yv, val_rows),
        scaler,
        rng,
        batch_size,
        keep_best,
        tuple(callbacks),
        _workspace(net, cfg, X, batch_size),
    )
    while loop.epoch < cfg.epochs and loop.history.stop_reason == "completed":
        try:
            loop = _epoch(run, loop)
            if on_epoch_end is not None:
                on_epoch_end(loop)
        except KeyboardInterrupt:
            loop.history.stop_reason = "interrupted"
            raise TrainingInterrupted(_result(loop, keep_best), loop) from None
    return _result(loop, keep_best)


def _checked_data(net: Network, X: Any, y: Any, xname: str, yname: str) -> tuple[Any, Array]:
    """Validated features and targets that fit the network's input and output."""
    X = as_features(X, xname)
    if X.shape[1] != net.sizes[0]:
        raise DataError(f"{xname} has {X.shape[1]} features, the network takes {net.sizes[0]}")
    y = as_targets(y, X.shape[0], yname)
    if isinstance(net.head, SoftmaxCrossEntropy):
        check_codes(y, net.sizes[-1], yname)
    return X, y


@dataclass(frozen=True)
class _Run:
    """What stays fixed during one call of :func:`fit`."""

    net: Network
    cfg: TrainConfig
    X: Any
    y: Any
    train_rows: Array
    val: tuple[Any, Any, Array | None]
    scaler: Standardizer | None
    rng: np.random.Generator
    batch_size: int
    keep_best: bool
    callbacks: tuple[Callback, ...]
    workspace: Workspace | None  # the fast path's buffers, when it applies


def _workspace(net: Network, cfg: TrainConfig, X: Any, batch_size: int) -> Workspace | None:
    """Buffers for :mod:`glassnet.core.fast` when it computes exactly this loop's step: a plain
    :class:`Network` on NumPy data, no L2 term, one of the four optimizers."""
    fits = type(net) is Network and not cfg.weight_decay and isinstance(cfg.optimizer, Optimizer)
    return Workspace(net, batch_size, cfg.dtype) if fits and hasattr(X, "dtype") else None


def _epoch(run: _Run, loop: LoopState) -> LoopState:
    """One pass over the training rows in a fresh order, then scoring and bookkeeping."""
    cfg, epoch, t0 = run.cfg, loop.epoch + 1, time.perf_counter()
    optimizer = dataclasses.replace(cfg.optimizer, learning_rate=loop.schedule.lr)
    rows = run.train_rows
    order = rows if run.batch_size >= len(rows) else run.rng.permutation(rows)
    params, state, total = loop.params, loop.opt_state, 0.0
    for b in batches(run.net, run.X, run.y, order, run.batch_size, cfg.dtype, run.scaler):
        loss, params, state = _step(run, optimizer, params, state, b.X, b.T)
        total += _checked(run.net, cfg, loss, len(b.X), epoch, loop, run.keep_best)
    if run.workspace is not None:  # the fast path's results are views of its buffers
        params, state = _copy_tree(params), _copy_state(state)
    record = _score_epoch(
        run.net,
        params,
        cfg,
        epoch,
        total / len(rows),
        loop.schedule.lr,
        (run.X, run.y, rows),
        run.val,
        run.scaler,
        t0,
    )
    return _advance(loop, cfg, record, params, state, run.rng, run.callbacks)


def _copy_tree(tree: ParamList) -> ParamList:
    return [{k: v.copy() for k, v in layer.items()} for layer in tree]


def _copy_state(state: Any) -> Any:
    return type(state)(*(_copy_tree(f) if isinstance(f, list) else f for f in state))


def _start(cfg: TrainConfig, params: ParamList, opt_state: OptState | None) -> LoopState:
    params = [{k: np.asarray(v, dtype=cfg.dtype) for k, v in p.items()} for p in params]
    state = cfg.optimizer.init(params) if opt_state is None else opt_state
    rng_state = dict(np.random.default_rng(cfg.seed).bit_generator.state)
    schedule = cfg.schedule.init(cfg.optimizer.learning_rate)
    return LoopState(0, params, state, schedule, rng_state, params, math.inf, 0, History())


def _step(
    run: _Run, optimizer: Optimizer, params: ParamList, state: Any, Xb: Array, Tb: Array
) -> tuple[float, ParamList, Any]:
    """One minibatch: loss, gradients (+ L2 on the weights), optimizer update.

    In the fast path's buffers when there are some, else pure. Floating-point overflow or
    an invalid operation raises here (so a diverging run is caught at once, whatever the
    caller's ``np.errstate``) and comes back as an infinite loss; underflow is harmless.
    """
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        try:
            if run.workspace is not None:
                return fast.step(run.net, params, optimizer, state, Xb, Tb, run.workspace)
            loss, grads = run.net.loss_and_grad(params, Xb, Tb)
            if run.cfg.weight_decay:  # penalty (weight_decay / 2) sum W^2, not in the loss
                for g, p in zip(grads, params, strict=True):
                    g["W"] = g["W"] + run.cfg.weight_decay * p["W"]
            updates, state = optimizer.update(grads, state, params)
        except FloatingPointError:
            return math.inf, params, state
    return loss, apply_updates(params, updates), state


def _checked(
    net: Network,
    cfg: TrainConfig,
    loss: float,
    n: int,
    epoch: int,
    loop: LoopState,
    keep_best: bool,
) -> float:
    """The batch loss per sample times ``n``; raises :class:`TrainingDiverged` if it blew up."""
    loss_per_sample = per_sample(net, loss, n)
    if math.isfinite(loss_per_sample) and loss_per_sample <= cfg.max_loss:
        return loss_per_sample * n
    loop.history.stop_reason = "diverged"
    raise TrainingDiverged(
        f"training diverged in epoch {epoch}: loss {loss_per_sample:.4g} per sample "
        f"(bound {cfg.max_loss:g}); kept the parameters of epoch "
        f"{loop.history.best_epoch if keep_best else loop.epoch}; try a smaller learning rate",
        _result(loop, keep_best),
    )


def _advance(
    loop: LoopState,
    cfg: TrainConfig,
    record: EpochRecord,
    params: ParamList,
    state: Any,
    rng: np.random.Generator,
    callbacks: Sequence[Callback],
) -> LoopState:
    """The loop state after an epoch: best parameters, schedule, stopping decisions."""
    history = History([*loop.history.records, record], loop.history.best_epoch)
    monitored = record.val_loss if record.val_loss is not None else record.loss
    best, best_loss, bad = loop.best, loop.best_loss, loop.bad_epochs + 1
    if monitored < best_loss - cfg.min_delta:
        best, best_loss, bad, history.best_epoch = params, monitored, 0, record.epoch
    asked = [cb(record) is True for cb in callbacks]  # every callback sees every epoch
    if cfg.patience is not None and bad >= cfg.patience:
        history.stop_reason = "early stopping"
    elif any(asked):
        history.stop_reason = "stopped by callback"
    schedule = cfg.schedule.step(loop.schedule, record.epoch, monitored)
    return LoopState(
        record.epoch,
        params,
        state,
        schedule,
        dict(rng.bit_generator.state),
        best,
        best_loss,
        bad,
        history,
    )


def _result(loop: LoopState, keep_best: bool) -> TrainResult:
    if keep_best and loop.history.records:
        return TrainResult(loop.best, loop.history, loop.opt_state)
    loop.history.best_epoch = loop.epoch
    return TrainResult(loop.params, loop.history, loop.opt_state)


def _score_epoch(
    net: Network,
    params: ParamList,
    cfg: TrainConfig,
    epoch: int,
    loss: float,
    lr: float,
    train: tuple[Any, Any, Array],
    val: tuple[Any, Any, Array | None],
    scaler: Standardizer | None,
    t0: float,
) -> EpochRecord:
    accuracy = val_loss = val_accuracy = None
    if cfg.train_metrics:
        accuracy = evaluate(net, params, *train, scaler=scaler, dtype=cfg.dtype).accuracy
    Xv, yv, val_rows = val
    if val_rows is not None:
        val_loss, val_accuracy = evaluate(net, params, Xv, yv, val_rows, scaler, cfg.dtype)
    return EpochRecord(epoch, loss, val_loss, accuracy, val_accuracy, lr, time.perf_counter() - t0)
