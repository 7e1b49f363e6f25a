"""The training loop as an object that advances one step or one epoch at a time.

:class:`Training` holds one run: the fixed inputs, the :class:`LoopState` after the last
completed epoch, and the epoch in progress. ``step()`` trains on one minibatch;
``run_epoch()`` finishes the epoch; :func:`glassnet.train.loop.fit` runs epochs until
``done``. A live view or a population of networks can interleave ``step()`` calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassnet.core import fast as fast  # noqa: F401  (tests patch session.fast.step)
from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import OptState
from glassnet.data.batching import Batch
from glassnet.data.preprocessing import Standardizer
from glassnet.train import epochs, inputs
from glassnet.train.epoch_steps import EpochSteps
from glassnet.train.epochs import EpochInProgress
from glassnet.train.feed import Feed
from glassnet.train.history import EpochRecord
from glassnet.train.snapshots import BestParams, EpochEnd
from glassnet.train.state import Callback, LoopState, TrainConfig, TrainResult

FLOAT_ERRORS: dict[str, Any] = {
    "over": "raise", "invalid": "raise", "divide": "raise", "under": "ignore"
}  # fmt: skip


class Training(EpochSteps):
    """One run of the training loop (arguments as for :func:`glassnet.train.loop.fit`).
    Its divergence bound is fixed by the run's first batch: ``resume.first_loss`` when
    resuming, else ``first_loss`` when given, else the first batch this object trains on."""

    def __init__(
        self, net: Network, params: ParamList, X: Any, y: Any, config: TrainConfig | None = None,
        *, sample_weight: Any = None, train_rows: Array | None = None,
        val_rows: Array | None = None, validation: tuple[Any, Any] | None = None,
        scaler: Standardizer | None = None, callbacks: Sequence[Callback] = (),
        opt_state: OptState | None = None, resume: LoopState | None = None,
        first_loss: float | None = None,
    ) -> None:  # fmt: skip
        self.net, self.config = net, config or TrainConfig()
        self.X, self.y = inputs.checked_data(net, X, y, "X", "y")
        self.sample_weight = inputs.checked_weights(sample_weight, self.X.shape[0])
        self.rows = inputs.checked_rows(train_rows, self.X.shape[0])
        inputs.checked_params(net, params)  # once: the steps call the unchecked seam
        self.val = inputs.validation_set(net, self.X, self.y, val_rows, validation)
        self.scaler, self.callbacks = scaler, tuple(callbacks)
        start = resume or inputs.initial_state(self.config, params, opt_state)
        self._public: LoopState | None = start  # ``state``: after an epoch, copied when asked
        self._state = epochs.detached(start)  # the live state, advanced in place
        kept = None if resume is None else resume.first_loss  # the run's, not this part's
        self._bound = epochs.DivergenceBound(
            self.config.divergence_factor, self.config.max_loss,
            start=first_loss if kept is None else kept,
        )  # fmt: skip
        self.batch_size = min(self.config.batch_size or len(self.rows), len(self.rows))
        fresh = resume is None and opt_state is None
        if fresh and self.config.score_initial:  # a fresh start: epoch 0, the initialization
            train = (self.X, self.y, self.rows)
            start.history.initial = self._state.history.initial = epochs.initial_epoch(
                net, start.params, self.config, train, self.val, scaler, self.batch_size,
                self.sample_weight,
            )  # fmt: skip
        self.keep_best = self.config.restore_best and self.val[2] is not None
        self.workspace = inputs.workspace_for(net, self.config, self.batch_size)
        self.feed = Feed(
            net, self.X, self.y, self.rows, self.batch_size, self.config, scaler=scaler,
            sample_weight=self.sample_weight, workspace=self.workspace,
            rng_state=self._state.rng_state,
        )  # fmt: skip
        self._best = None if self.workspace is None else BestParams(self.workspace)
        self._keep = None if self._best is None else self._best.keep
        self._end = None if self.workspace is None else EpochEnd(self.workspace)
        self._train = (self.X, self.y, self.rows)  # what an epoch's record scores
        self._l2 = None if self.config.alpha else self.config.weight_decay  # else per batch
        self.epoch: EpochInProgress | None = None
        self._optimizer = self.config.optimizer
        self._pending: Batch | None = None  # the next step's batch, drawn by gradient()
        self._after_epoch: Callable[[], None] = _nothing

    @property
    def state(self) -> LoopState:
        """The :class:`LoopState` after the last completed epoch: arrays that no later step
        writes. On the fast path the loop goes on in the workspace's buffers, so the state
        is copied out of them here, when first asked for after an epoch (not every epoch);
        in the middle of an epoch, out of the copies made as the last one ended."""
        if self._public is None:
            loop = epochs.detached(self._state)
            if self._end is not None and self.epoch is not None:  # the buffers moved on
                loop = self._end.restored(loop)
            self._public = loop if self._best is None else self._best.copied(loop)
        return self._public

    @property
    def done(self) -> bool:
        """Whether the run has ended: all epochs trained, or stopped early."""
        loop = self._state
        return loop.epoch >= self.config.epochs or loop.history.stop_reason != "completed"

    def step(self) -> float:
        """Train on the next minibatch; return its loss per sample (penalty included).

        Starts an epoch when none is in progress and ends it (scoring, early stopping,
        schedule) after its last batch. Raises :class:`TrainingDiverged` if the loss blew up.
        """
        with np.errstate(**FLOAT_ERRORS):
            return self._step()

    def run_epoch(self) -> EpochRecord:
        """Train to the end of the current (or a new) epoch; return its record."""
        with np.errstate(**FLOAT_ERRORS):
            self._run_epoch()
        return self._state.history.records[-1]

    def run(self, on_epoch_end: Callable[[LoopState], None] | None = None) -> None:
        """Train epochs until ``done``; ``on_epoch_end(state)`` after each (run under the
        caller's floating-point error settings, the epochs under ``FLOAT_ERRORS``)."""
        caller = np.geterr()

        def after_epoch() -> None:
            if on_epoch_end is not None:
                with np.errstate(**caller):
                    on_epoch_end(self.state)

        self._after_epoch = after_epoch  # inside the epoch's end (see _end_epoch)
        try:
            with np.errstate(**FLOAT_ERRORS):
                while not self.done:
                    self._run_epoch()
        finally:
            self._after_epoch = _nothing

    def _run_epoch(self) -> None:
        self._step()
        while self.epoch is not None:
            self._step()

    def gradient(self) -> tuple[float, ParamList]:
        """``(loss, grads)`` that the next :meth:`step` descends: the seam
        ``net.loss_and_grad(params, X_b, T_b, w_b)`` on that step's minibatch at the current
        parameters, plus the L2 term (:func:`glassnet.core.regularization.l2_penalty`).

        ``loss`` is the batch's (the head's reduction, penalty included); ``grads`` are new
        arrays shaped like the parameters. Computed on the portable path, so the step itself
        costs nothing more; the minibatch is drawn now and kept for that step.
        """
        epoch = self.epoch or self._begin_epoch()
        if self._pending is None:
            self._pending = next(epoch.batches)
        return epochs.batch_gradient(self.net, epoch.params, self._pending, self.config)

    def _step(self) -> float:
        """:meth:`step` inside the caller's ``np.errstate(**FLOAT_ERRORS)``."""
        epoch = self.epoch or self._begin_epoch()
        batch, self._pending = self._pending or next(epoch.batches), None
        loss = self._train_on(epoch, batch)
        epoch.total += loss * len(batch.X)
        epoch.steps += 1
        if epoch.steps * self.batch_size >= len(self.rows):
            self._end_epoch(epoch)
        return loss

    def stop(self, reason: str) -> LoopState:
        """End the run (``done``) for ``reason``; return the state it stopped in, unmarked:
        given as ``resume`` it goes on (the history of :meth:`result` says ``reason``)."""
        state, self.epoch, self._pending = self.state, None, None
        self._state = epochs.detached(state)
        self._state.history.stop_reason = reason
        self._public = None
        return state

    def result(self) -> TrainResult:
        """The parameters to keep (the best epoch's with ``keep_best``), history, state."""
        loop = self.state
        first = self._bound.start
        if self.keep_best and loop.history.records:
            return TrainResult(loop.best, loop.history, loop.opt_state, first)
        loop.history.best_epoch = loop.epoch
        return TrainResult(loop.params, loop.history, loop.opt_state, first)


def _nothing() -> None:
    pass
