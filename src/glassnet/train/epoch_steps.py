"""The steps of one epoch of :class:`glassnet.train.session.Training`: begin it (the
schedule's learning rate, a shuffled feed), train on each minibatch (the optimizer step,
checked for divergence), end it (score it, advance the loop state).

:class:`EpochSteps` is the part of ``Training`` that runs an epoch; ``Training`` sets the
attributes it names.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from glassnet.core import fast
from glassnet.core._types import ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer
from glassnet.core.workspace import Workspace
from glassnet.data.batching import Batch, per_sample
from glassnet.data.preprocessing import Standardizer
from glassnet.train import epochs
from glassnet.train.divergence import largest_input
from glassnet.train.epochs import EpochInProgress
from glassnet.train.feed import Feed
from glassnet.train.inputs import Validation
from glassnet.train.snapshots import EpochEnd
from glassnet.train.state import Callback, LoopState, TrainConfig, TrainingDiverged, TrainResult
from glassnet.train.uninterrupted import WHOLE

__all__ = ["EpochSteps"]


class EpochSteps:
    """Begin, step through and end one epoch (the base of :class:`Training`, which sets
    these attributes)."""

    net: Network
    config: TrainConfig
    val: Validation
    scaler: Standardizer | None
    callbacks: tuple[Callback, ...]
    feed: Feed
    workspace: Workspace | None
    keep_best: bool
    epoch: EpochInProgress | None
    _state: LoopState
    _public: LoopState | None
    _optimizer: Optimizer
    _bound: epochs.DivergenceBound
    _l2: float | None
    _train: Validation
    _keep: Callable[[ParamList], ParamList] | None
    _end: EpochEnd | None
    _after_epoch: Callable[[], None]

    if TYPE_CHECKING:

        def stop(self, reason: str) -> LoopState: ...

        def result(self) -> TrainResult: ...

    def _begin_epoch(self) -> EpochInProgress:
        loop, optimizer = self._state, self._optimizer
        if optimizer.learning_rate != loop.schedule.lr:  # the schedule's rate for this epoch
            optimizer = dataclasses.replace(optimizer, learning_rate=loop.schedule.lr)
            self._optimizer = optimizer
        self.epoch = EpochInProgress(
            loop.epoch + 1, optimizer, self.feed.epoch(), loop.params, loop.opt_state,
            time.perf_counter(),
        )  # fmt: skip
        return self.epoch

    def _train_on(self, epoch: EpochInProgress, b: Batch) -> float:
        """One optimizer step on batch ``b``; its loss per sample, checked for divergence.

        Floating-point overflow or an invalid operation raises inside the step (so a
        diverging run is caught at once: :meth:`step` and :meth:`run_epoch` set
        ``np.errstate(**FLOAT_ERRORS)``, whatever the caller's).
        """
        scale = self._l2
        if scale is None:  # scikit-learn's alpha: the batch's weights set the scale
            scale = epochs.l2_scale(self.config, self.net.head.reduction, b)
        try:
            loss, epoch.params, epoch.opt_state = fast.step(
                self.net, epoch.params, epoch.optimizer, epoch.opt_state, b.X, b.T,
                self.workspace, sample_weight=b.w, l2_scale=scale,
            )  # fmt: skip
        except FloatingPointError:
            loss = math.inf
        loss = per_sample(self.net, loss, len(b.X))
        if not (math.isfinite(loss) and loss <= self._bound(loss)):
            self._diverged(epoch.number, loss)
        return loss

    def _diverged(self, epoch: int, loss: float) -> None:
        state = self.stop("diverged")  # the last completed epoch's, unmarked
        kept = self._state.history.best_epoch if self.keep_best else self._state.epoch
        X, _, rows = self._train
        inputs = largest_input(X, rows, self.scaler, self.config.dtype)  # a cause to name?
        message = self._bound.message(epoch, loss, kept, inputs)
        raise TrainingDiverged(message, self.result(), state)

    def _end_epoch(self, epoch: EpochInProgress) -> None:
        """Score the epoch and move the loop state on. On the fast path ``epoch.params``
        and ``opt_state`` are views of the workspace that the next epoch goes on updating:
        the loop state holds them as they are (``state`` copies them when asked), and the
        best epoch's parameters are copied into a buffer of their own."""
        self.epoch = None
        try:
            record = epochs.epoch_record(
                epoch, self.net, epoch.params, self.config, self._train, self.val, self.scaler
            )
        except FloatingPointError:  # the last step left weights that overflow when scored
            self._diverged(epoch.number, math.inf)
        with WHOLE:  # state, history, callbacks and on_epoch_end: all or nothing (a stop
            # signal that comes meanwhile acts as the section ends)
            self._state.first_loss = self._bound.start  # what a resume's bound keeps
            epochs.advance(
                self._state, record, epoch.params, epoch.opt_state, cfg=self.config,
                callbacks=self.callbacks, rng_state=self.feed.rng_state(self._state.rng_state),
                keep=self._keep,
            )  # fmt: skip
            if self._end is not None:
                self._end.take()  # what a stop in the next epoch returns
            self._public = None
            self._after_epoch()  # run's on_epoch_end (checkpoints, diagnostics) sees it too
