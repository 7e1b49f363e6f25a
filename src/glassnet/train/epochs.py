"""One epoch of the loop (:class:`glassnet.train.session.Training`): what it carries
between its steps, the bounds a step is judged by, and the loop state after it."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core._types import ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer
from glassnet.core.regularization import l2_penalty, l2_value
from glassnet.data.batching import Batch, evaluate, evaluate_columns, per_sample
from glassnet.data.preprocessing import Standardizer
from glassnet.train.divergence import DivergenceBound as DivergenceBound
from glassnet.train.history import EpochRecord, History, initial_record
from glassnet.train.inputs import Validation
from glassnet.train.state import Callback, LoopState, TrainConfig
from glassnet.train.stopping import judge, monitored


@dataclass
class EpochInProgress:
    """What one epoch carries between its steps."""

    number: int  # counted from 1
    optimizer: Optimizer  # with this epoch's learning rate
    batches: Iterator[Batch]
    params: ParamList
    opt_state: Any
    started: float  # time.perf_counter() at the start
    total: float = 0.0  # summed per-sample training loss so far
    steps: int = 0


def l2_scale(cfg: TrainConfig, reduction: str, b: Batch) -> float:
    """``weight_decay + alpha / S``, ``S`` the batch's summed weights (1 for ``sum``)."""
    if not cfg.alpha:
        return cfg.weight_decay
    weights = float(np.sum(b.w)) if b.w is not None else float(len(b.X))
    return _scale(cfg, reduction, weights)


def _scale(cfg: TrainConfig, reduction: str, weights: float) -> float:
    """:func:`l2_scale` of a batch whose weights sum to ``weights`` (its rows without)."""
    S = weights if reduction == "mean" else 1.0
    return cfg.weight_decay + (cfg.alpha / S if S > 0 else 0.0)


def epoch_penalty(
    net: Network, params: ParamList, cfg: TrainConfig, weights: Any, n: int, batch_size: int
) -> float:
    """The L2 penalty an epoch's training loss carries for ``params`` that do not move:
    each minibatch's ``l2_value(params, l2_scale(...))``, taken per sample as the step's
    loss is (:func:`~glassnet.data.batching.per_sample`), averaged over the epoch's ``n``
    rows as the epoch's loss averages its steps (0.0 without weight decay or alpha).
    ``weights``: the training rows' sample weights ``(n,)`` or None. Epoch 0's training
    loss is the initialization's data loss plus this, so that it compares with the trained
    epochs' (the minibatches: the rows in order, ``batch_size`` at a time; a shuffled
    epoch's give the same unless ``alpha`` meets sample weights)."""
    if not (cfg.weight_decay or cfg.alpha):
        return 0.0
    squares = l2_value(params, 1.0)  # (1 / 2) sum_l ||W_l||^2
    total = 0.0
    for start in range(0, n, batch_size):
        m = min(batch_size, n - start)
        summed = float(m if weights is None else np.sum(weights[start : start + m]))
        scale = _scale(cfg, net.head.reduction, summed) if cfg.alpha else cfg.weight_decay
        total += per_sample(net, scale * squares, m) * m
    return total / n


def batch_gradient(
    net: Network, params: ParamList, b: Batch, cfg: TrainConfig
) -> tuple[float, ParamList]:
    """The seam's ``(loss, grads)`` on batch ``b`` plus the loop's L2 term (see
    :func:`l2_scale`): what one step of the loop descends."""
    loss, grads = net.loss_and_grad(params, b.X, b.T, b.w)
    scale = l2_scale(cfg, net.head.reduction, b)
    if scale:
        penalty, grads = l2_penalty(params, grads, scale)
        loss += penalty
    return loss, grads


def initial_epoch(
    net: Network, params: ParamList, cfg: TrainConfig, train: Validation, val: Validation,
    scaler: Standardizer | None, batch_size: int, sample_weight: Any = None,
) -> EpochRecord:  # fmt: skip
    """Epoch 0: the initial ``params`` scored on the training and validation rows. Rows in
    memory (an ndarray) are scored in :func:`~glassnet.data.batching.evaluate`'s blocks, as
    every later epoch's validation loss and the saved model's ``final`` scores are (the same
    parameters on the same rows give the same numbers, to the last bit); a lazy array is
    read at most ``batch_size`` rows at a time, as training reads it. The training loss
    carries the L2 penalty as every trained epoch's does (:func:`epoch_penalty`;
    ``sample_weight``: of all rows of ``X``, or None); the validation loss does not."""
    rows = np.arange(train[0].shape[0]) if train[2] is None else train[2]
    weights = None if sample_weight is None else np.asarray(sample_weight)[rows]
    penalty = epoch_penalty(net, params, cfg, weights, len(rows), batch_size)
    blocks = {} if isinstance(train[0], np.ndarray) else {"batch_size": batch_size}
    return initial_record(
        net, params, train, None if val[2] is None else val, scaler=scaler, dtype=cfg.dtype,
        learning_rate=cfg.optimizer.learning_rate, accuracy=cfg.train_metrics,
        penalty=penalty, **blocks,
    )  # fmt: skip


def epoch_record(
    epoch: EpochInProgress,
    net: Network,
    params: ParamList,
    cfg: TrainConfig,
    train: Validation,
    val: Validation,
    scaler: Standardizer | None,
) -> EpochRecord:
    """The record of a finished epoch: its mean training loss, and the scores of ``params``
    on the training rows (with ``cfg.train_metrics``) and the validation rows (if any)."""
    accuracy, val_loss, val_accuracy, columns = None, None, None, None
    if cfg.train_metrics:
        accuracy = evaluate(net, params, *train, scaler, cfg.dtype).accuracy
    if val[2] is not None:  # (a regressor's per-column losses: from the same pass)
        (val_loss, val_accuracy), columns = evaluate_columns(net, params, *val, scaler, cfg.dtype)
    seconds = time.perf_counter() - epoch.started
    loss, lr = epoch.total / len(train[2]), epoch.optimizer.learning_rate  # type: ignore[arg-type]
    per_column = None if columns is None else tuple(columns.tolist())
    return EpochRecord(epoch.number, loss, val_loss, accuracy, val_accuracy, lr, seconds,
                       per_column)  # fmt: skip


def advance(
    loop: LoopState,
    record: EpochRecord,
    params: ParamList,
    opt_state: Any,
    *,
    cfg: TrainConfig,
    callbacks: Sequence[Callback],
    rng_state: dict[str, Any],
    keep: Callable[[ParamList], ParamList] | None = None,
) -> None:
    """Move ``loop`` on by the epoch of ``record``, in place: its record, best parameters,
    stopping decisions, schedule. Every callback sees the record first (a callback that
    raises leaves ``loop`` as it was).

    ``keep(params)`` copies the parameters of a new best epoch where later steps would
    overwrite them (the fast path's buffers); without it they are kept as they are."""
    asked = callbacks and any([cb(record) is True for cb in callbacks])  # each sees each epoch
    watched = monitored(record, cfg.monitor)
    progress = judge(watched, loop.best_loss, loop.bad_epochs, cfg.min_delta, cfg.patience)
    history = loop.history
    history.records.append(record)
    if progress.improved:
        loop.best = params if keep is None else keep(params)
        history.best_epoch = record.epoch
    history.stop_reason = (
        "early stopping" if progress.stop else "stopped by callback" if asked else "completed"
    )
    loop.schedule = cfg.schedule.step(loop.schedule, record.epoch, watched)
    loop.epoch, loop.params, loop.opt_state, loop.rng_state = (
        record.epoch, params, opt_state, rng_state
    )  # fmt: skip
    loop.best_loss, loop.bad_epochs = progress.best_loss, progress.bad_epochs


def detached(loop: LoopState) -> LoopState:
    """A copy of ``loop`` whose history :func:`advance` does not extend (a history of its
    own: the records, best epoch, stop reason and epoch 0; arrays are shared)."""
    h = loop.history
    history = History(list(h.records), h.best_epoch, h.stop_reason, h.initial)
    return dataclasses.replace(loop, history=history)
