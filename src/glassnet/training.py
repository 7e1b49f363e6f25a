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
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet._types import Array, ParamList
from glassnet.batching import batches, evaluate, per_sample
from glassnet.network import Network
from glassnet.optimizers import Adam, Optimizer, OptState, apply_updates
from glassnet.preprocessing import Standardizer
from glassnet.schedules import Constant, Schedule


class TrainingDiverged(FloatingPointError):
    """The loss became non-finite or exceeded the bound; ``result`` holds the last finite
    parameters and the history up to the epoch before."""

    def __init__(self, message: str, result: TrainResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class TrainConfig:
    """How to train. ``batch_size=None`` means full batch; ``patience=None`` no early stop."""

    epochs: int = 200
    batch_size: int | None = 32
    optimizer: Optimizer = field(default_factory=Adam)
    schedule: Schedule = field(default_factory=Constant)
    weight_decay: float = 0.0
    patience: int | None = None
    min_delta: float = 0.0  # an epoch improves when loss < best - min_delta
    restore_best: bool = True  # with a validation set, keep the best epoch's parameters
    seed: int = 0
    dtype: Any = np.float64
    train_metrics: bool = True  # score the training rows after each epoch (a forward pass)
    max_loss: float = 1e12  # a per-sample loss past this bound counts as divergence

    def __post_init__(self) -> None:
        if self.epochs < 0:
            raise ValueError(f"epochs must be non-negative, got {self.epochs}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        if self.patience is not None and self.patience < 1:
            raise ValueError(f"patience must be at least 1, got {self.patience}")
        if not self.weight_decay >= 0:
            raise ValueError(f"weight_decay must be non-negative, got {self.weight_decay}")
        if np.dtype(self.dtype) not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")


@dataclass(frozen=True)
class EpochRecord:
    epoch: int  # counted from 1
    loss: float  # mean training loss per sample over the epoch's batches
    val_loss: float | None
    accuracy: float | None  # on the training rows after the epoch (train_metrics)
    val_accuracy: float | None
    learning_rate: float
    seconds: float


@dataclass
class History:
    records: list[EpochRecord] = field(default_factory=list)
    best_epoch: int = 0  # the epoch whose parameters were kept (0: the initial ones)
    stop_reason: str = "completed"

    def column(self, name: str) -> list[Any]:
        return [getattr(r, name) for r in self.records]

    def as_dict(self) -> dict[str, Any]:
        names = [f.name for f in dataclasses.fields(EpochRecord)]
        cols: dict[str, Any] = {name: self.column(name) for name in names}
        return {**cols, "best_epoch": self.best_epoch, "stop_reason": self.stop_reason}


@dataclass
class TrainResult:
    params: ParamList
    history: History
    opt_state: OptState


Callback = Callable[[EpochRecord], bool | None]  # return True to stop training


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
) -> TrainResult:
    """Train ``net`` from ``params`` on ``(X, y)``; return new parameters and the history.

    ``y`` holds integer class codes for a softmax head, 0/1 values for a logistic head and
    target values for an identity head. The validation set is either ``val_rows`` of
    ``(X, y)`` or a separate ``validation=(X_val, y_val)``. ``scaler`` standardizes
    every batch as it is read.
    """
    cfg = config or TrainConfig()
    train_rows = np.arange(X.shape[0]) if train_rows is None else np.asarray(train_rows)
    if len(train_rows) == 0:
        raise ValueError("no training samples")
    if validation is not None and val_rows is not None:
        raise ValueError("give the validation set as val_rows or as validation, not both")
    Xv, yv = validation if validation is not None else (X, y)
    if validation is not None:
        val_rows = np.arange(Xv.shape[0])
    params = [{k: np.asarray(v, dtype=cfg.dtype) for k, v in p.items()} for p in params]
    rng = np.random.default_rng(cfg.seed)
    state: Any = cfg.optimizer.init(params) if opt_state is None else opt_state
    schedule = cfg.schedule.init(cfg.optimizer.learning_rate)
    batch_size = cfg.batch_size or len(train_rows)
    history = History()
    best, best_loss, bad_epochs = params, math.inf, 0
    for epoch in range(1, cfg.epochs + 1):
        t0 = time.perf_counter()
        optimizer = dataclasses.replace(cfg.optimizer, learning_rate=schedule.lr)
        order = train_rows if batch_size >= len(train_rows) else rng.permutation(train_rows)
        total = 0.0
        for b in batches(net, X, y, order, batch_size, cfg.dtype, scaler):
            loss, grads = net.loss_and_grad(params, b.X, b.T)
            if cfg.weight_decay:  # penalty (weight_decay / 2) * sum W^2, not in the loss shown
                for g, p in zip(grads, params, strict=True):
                    g["W"] = g["W"] + cfg.weight_decay * p["W"]
            loss_per_sample = per_sample(net, loss, len(b.X))
            if not (math.isfinite(loss_per_sample) and loss_per_sample <= cfg.max_loss):
                history.stop_reason = "diverged"
                result = TrainResult(params, history, state)
                raise TrainingDiverged(
                    f"training diverged in epoch {epoch}: loss {loss_per_sample:.4g} per sample "
                    f"(bound {cfg.max_loss:g}); try a smaller learning rate",
                    result,
                )
            total += loss_per_sample * len(b.X)
            updates, state = optimizer.update(grads, state, params)
            params = apply_updates(params, updates)
        record = _score_epoch(
            net,
            params,
            cfg,
            epoch,
            total / len(train_rows),
            schedule.lr,
            (X, y, train_rows),
            (Xv, yv, val_rows),
            scaler,
            t0,
        )
        history.records.append(record)
        monitored = record.val_loss if record.val_loss is not None else record.loss
        schedule = cfg.schedule.step(schedule, epoch, monitored)
        if monitored < best_loss - cfg.min_delta:
            best, best_loss, bad_epochs, history.best_epoch = params, monitored, 0, epoch
        else:
            bad_epochs += 1
        if cfg.patience is not None and bad_epochs >= cfg.patience:
            history.stop_reason = "early stopping"
            break
        if any(cb(record) is True for cb in callbacks):
            history.stop_reason = "stopped by callback"
            break
    if cfg.restore_best and val_rows is not None and history.records:
        params = best
    else:
        history.best_epoch = len(history.records)
    return TrainResult(params, history, state)


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
