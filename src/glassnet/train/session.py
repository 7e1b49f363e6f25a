"""The training loop as an object that advances one step or one epoch at a time.

:class:`Training` holds one run: the fixed inputs, the :class:`LoopState` after the last
completed epoch, and the epoch in progress. ``step()`` trains on one minibatch;
``run_epoch()`` finishes the epoch; :func:`glassnet.train.loop.fit` runs epochs until
``done``. A live view or a population of networks can interleave ``step()`` calls.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core import fast
from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer, OptState
from glassnet.data.batching import Batch, batches, evaluate, per_sample
from glassnet.data.preprocessing import Standardizer
from glassnet.train.history import EpochRecord, History, initial_record
from glassnet.train.inputs import (
    checked_data,
    checked_weights,
    copy_state,
    copy_tree,
    initial_state,
    workspace_for,
)
from glassnet.train.state import (
    Callback,
    LoopState,
    TrainConfig,
    TrainingDiverged,
    TrainResult,
)
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


class Training:
    """One run of the training loop (arguments as for :func:`glassnet.train.loop.fit`)."""

    def __init__(
        self,
        net: Network,
        params: ParamList,
        X: Any,
        y: Any,
        config: TrainConfig | None = None,
        *,
        sample_weight: Any = None,
        train_rows: Array | None = None,
        val_rows: Array | None = None,
        validation: tuple[Any, Any] | None = None,
        scaler: Standardizer | None = None,
        callbacks: Sequence[Callback] = (),
        opt_state: OptState | None = None,
        resume: LoopState | None = None,
    ) -> None:
        self.net, self.config = net, config or TrainConfig()
        self.X, self.y = checked_data(net, X, y, "X", "y")
        self.sample_weight = checked_weights(sample_weight, self.X.shape[0])
        self.rows = np.arange(self.X.shape[0]) if train_rows is None else np.asarray(train_rows)
        if len(self.rows) == 0:
            raise ValueError("no training samples")
        if validation is not None and val_rows is not None:
            raise ValueError("give the validation set as val_rows or as validation, not both")
        self.val: tuple[Any, Any, Array | None] = (self.X, self.y, val_rows)
        if validation is not None:
            Xv, yv = checked_data(net, *validation, "X_val", "y_val")
            self.val = (Xv, yv, np.arange(Xv.shape[0]))
        self.scaler, self.callbacks = scaler, tuple(callbacks)
        self.state = resume or initial_state(self.config, params, opt_state)
        self._start_loss: float | None = None  # the first batch's loss: the divergence scale
        self.rng = np.random.default_rng()
        self.rng.bit_generator.state = self.state.rng_state
        self.batch_size = min(self.config.batch_size or len(self.rows), len(self.rows))
        if resume is None and opt_state is None:  # a fresh start: epoch 0, the initialization
            self.state.history.initial = self._initial_record()
        self.keep_best = self.config.restore_best and self.val[2] is not None
        self.workspace = workspace_for(net, self.config, self.batch_size)
        self.epoch: EpochInProgress | None = None
        self._optimizer = self.config.optimizer
        self._live: tuple[ParamList, Any] | None = None  # the workspace's views of the state
        self._whole: list[Batch] | None = None  # the one full batch, read once

    @property
    def done(self) -> bool:
        """Whether the run has ended: all epochs trained, or stopped early."""
        history = self.state.history
        return self.state.epoch >= self.config.epochs or history.stop_reason != "completed"

    def step(self) -> float:
        """Train on the next minibatch; return its loss per sample (penalty included).

        Starts an epoch when none is in progress and ends it (scoring, early stopping,
        schedule) after its last batch. Raises :class:`TrainingDiverged` if the loss blew up.
        """
        epoch = self.epoch or self._begin_epoch()
        batch = next(epoch.batches)
        loss = self._train_on(epoch, batch)
        epoch.total += loss * len(batch.X)
        epoch.steps += 1
        if epoch.steps * self.batch_size >= len(self.rows):
            self._end_epoch(epoch)
        return loss

    def run_epoch(self) -> EpochRecord:
        """Train to the end of the current (or a new) epoch; return its record."""
        self.step()
        while self.epoch is not None:
            self.step()
        return self.state.history.records[-1]

    def result(self) -> TrainResult:
        """The parameters to keep (the best epoch's with ``keep_best``), history, state."""
        loop = self.state
        if self.keep_best and loop.history.records:
            return TrainResult(loop.best, loop.history, loop.opt_state)
        loop.history.best_epoch = loop.epoch
        return TrainResult(loop.params, loop.history, loop.opt_state)

    # ---- one epoch ----------------------------------------------------------------------
    def _begin_epoch(self) -> EpochInProgress:
        loop, optimizer = self.state, self._optimizer
        if optimizer.learning_rate != loop.schedule.lr:  # the schedule's rate for this epoch
            optimizer = dataclasses.replace(optimizer, learning_rate=loop.schedule.lr)
            self._optimizer = optimizer
        params, opt_state = self._live or (loop.params, loop.opt_state)
        self.epoch = EpochInProgress(
            loop.epoch + 1, optimizer, self._batches(), params, opt_state, time.perf_counter()
        )
        return self.epoch

    def _batches(self) -> Iterator[Batch]:
        """This epoch's minibatches: a fresh permutation (the rows in order without
        ``shuffle``), or the one full batch."""
        cfg, rows = self.config, self.rows
        if self.batch_size < len(rows):
            order = self.rng.permutation(rows) if cfg.shuffle else rows
            return batches(
                self.net, self.X, self.y, order, self.batch_size, cfg.dtype, self.scaler,
                self.sample_weight,
            )  # fmt: skip
        if self._whole is None:
            (b,) = batches(
                self.net, self.X, self.y, rows, len(rows), cfg.dtype, self.scaler,
                self.sample_weight,
            )  # fmt: skip
            if self.workspace is not None:  # loaded into the step's buffers once, for good
                X, T = self.workspace.columns(len(rows))[:2]
                np.copyto(X, b.X)
                np.copyto(T, b.T)
                b = Batch(X, T, b.w)
            self._whole = [b]
        return iter(self._whole)

    def _train_on(self, epoch: EpochInProgress, b: Batch) -> float:
        """One optimizer step on batch ``b``; its loss per sample, checked for divergence.

        Floating-point overflow or an invalid operation raises inside the step (so a
        diverging run is caught at once, whatever the caller's ``np.errstate``).
        """
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            try:
                loss, epoch.params, epoch.opt_state = fast.step(
                    self.net, epoch.params, epoch.optimizer, epoch.opt_state, b.X, b.T,
                    self.workspace, sample_weight=b.w, l2_scale=self._l2_scale(b),
                )  # fmt: skip
            except FloatingPointError:
                loss = math.inf
        loss = per_sample(self.net, loss, len(b.X))
        if not (math.isfinite(loss) and loss <= self._bound(loss)):
            self._diverged(epoch.number, loss)
        return loss

    def _bound(self, loss: float) -> float:
        """The divergence bound: ``divergence_factor`` times the run's first batch loss (so
        targets of 1e9 and of 1 are judged alike), or ``max_loss`` when that is lower."""
        if self._start_loss is None and math.isfinite(loss):
            self._start_loss = loss
        start = self._start_loss or 0.0
        bound = self.config.divergence_factor * start if start > 0 else math.inf
        return min(bound, self.config.max_loss if self.config.max_loss is not None else math.inf)

    def _l2_scale(self, b: Batch) -> float:
        """``weight_decay + alpha / S``, ``S`` the batch's summed weights (1 for ``sum``)."""
        cfg = self.config
        if not cfg.alpha:
            return cfg.weight_decay
        S = 1.0
        if self.net.head.reduction == "mean":
            S = float(np.sum(b.w)) if b.w is not None else float(len(b.X))
        return cfg.weight_decay + (cfg.alpha / S if S > 0 else 0.0)

    def _diverged(self, epoch: int, loss: float) -> None:
        self.epoch = None
        self.state.history.stop_reason = "diverged"
        kept = self.state.history.best_epoch if self.keep_best else self.state.epoch
        raise TrainingDiverged(
            f"training diverged in epoch {epoch}: loss {loss:.4g} per sample "
            f"(bound {self._bound(loss):.4g}: {self.config.divergence_factor:g} times the "
            f"first batch's loss); kept the parameters of epoch {kept}; "
            "try a smaller learning rate",
            self.result(),
        )

    def _end_epoch(self, epoch: EpochInProgress) -> None:
        params, opt_state = epoch.params, epoch.opt_state
        if self.workspace is not None:  # the fast path's results are views of its buffers
            self._live = params, opt_state  # the next epoch goes on from them, uncopied
            params, opt_state = copy_tree(params), copy_state(opt_state)
        self.epoch = None
        record = self._score(epoch, params)
        self.state = self._advance(record, params, opt_state)

    def _initial_record(self) -> EpochRecord:
        """Epoch 0: the initial parameters scored on the training and validation rows."""
        cfg, (Xv, yv, val_rows) = self.config, self.val
        return initial_record(
            self.net, self.state.params, (self.X, self.y, self.rows),
            None if val_rows is None else (Xv, yv, val_rows), scaler=self.scaler,
            dtype=cfg.dtype, learning_rate=cfg.optimizer.learning_rate,
            accuracy=cfg.train_metrics, batch_size=self.batch_size,
        )  # fmt: skip

    def _score(self, epoch: EpochInProgress, params: ParamList) -> EpochRecord:
        cfg, accuracy, val_loss, val_accuracy = self.config, None, None, None
        if cfg.train_metrics:
            score = evaluate(self.net, params, self.X, self.y, self.rows, self.scaler, cfg.dtype)
            accuracy = score.accuracy
        Xv, yv, val_rows = self.val
        if val_rows is not None:
            val_loss, val_accuracy = evaluate(
                self.net, params, Xv, yv, val_rows, self.scaler, cfg.dtype
            )
        seconds = time.perf_counter() - epoch.started
        loss, lr = epoch.total / len(self.rows), epoch.optimizer.learning_rate
        return EpochRecord(epoch.number, loss, val_loss, accuracy, val_accuracy, lr, seconds)

    def _advance(self, record: EpochRecord, params: ParamList, opt_state: Any) -> LoopState:
        """The loop state after an epoch: best parameters, stopping decisions, schedule."""
        cfg, loop = self.config, self.state
        history = History(
            [*loop.history.records, record], loop.history.best_epoch, initial=loop.history.initial
        )
        watched = monitored(record, cfg.monitor)
        progress = judge(watched, loop.best_loss, loop.bad_epochs, cfg.min_delta, cfg.patience)
        best = params if progress.improved else loop.best
        if progress.improved:
            history.best_epoch = record.epoch
        asked = [cb(record) is True for cb in self.callbacks]  # every callback sees every epoch
        if progress.stop:
            history.stop_reason = "early stopping"
        elif any(asked):
            history.stop_reason = "stopped by callback"
        schedule = cfg.schedule.step(loop.schedule, record.epoch, watched)
        rng_state = dict(self.rng.bit_generator.state)
        return LoopState(
            record.epoch, params, opt_state, schedule, rng_state, best,
            progress.best_loss, progress.bad_epochs, history,
        )  # fmt: skip
