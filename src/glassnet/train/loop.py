"""The training loop: minibatches, validation, early stopping, schedules, callbacks.

:func:`fit` trains to the end; :class:`Training` is the same loop advanced one step (a
minibatch) or one epoch at a time. Neither changes the parameters it is given. The
minibatch order, reshuffled every epoch as a permutation of the training rows, comes
from ``config.seed``. One epoch::

    for each minibatch (X_b, T_b, w_b) of a fresh permutation of the training rows:
        loss, grads = net.loss_and_grad(params, X_b, T_b, w_b)     # the one seam
        penalty, grads = l2_penalty(params, grads, scale)          # weight_decay, alpha
        updates, state = optimizer.update(grads, state, params)    # rate from the schedule
        params = params + updates
    score the validation rows; step the schedule; judge early stopping

For a plain :class:`Network` on NumPy batches the step is :func:`glassnet.core.fast.step`,
the same functions with buffers bound. Settings, results and loop state are in
:mod:`glassnet.train.state`, the stopping rule in :mod:`glassnet.train.stopping`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from glassnet.core._types import Array, ParamList
from glassnet.core.optimizers import OptState
from glassnet.data.preprocessing import Standardizer
from glassnet.train.history import EpochRecord, History
from glassnet.train.inputs import give_back
from glassnet.train.session import Training
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
    "Training",
    "TrainingDiverged",
    "TrainingInterrupted",
    "fit",
]


def fit(
    net: Any,
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
    on_epoch_end: Callable[[LoopState], None] | None = None,
    first_loss: float | None = None,
) -> TrainResult:
    """Train ``net`` from ``params`` on ``(X, y)``; return new parameters and the history.

    ``y`` holds integer class codes for a softmax head, 0/1 values for a logistic head and
    target values for an identity head; ``sample_weight (N,)`` weighs the rows of ``X``
    (integer weights equal repeated rows). The validation set is either ``val_rows`` of
    ``(X, y)`` or a separate ``validation=(X_val, y_val)``, scored unweighted. ``scaler``
    standardizes every batch as it is read.

    ``on_epoch_end(state)`` sees the loop state after every epoch (to write checkpoints);
    ``resume=state`` continues from such a state and gives the same result as a run that
    was never stopped. Ctrl-C raises :class:`TrainingInterrupted`; a non-finite or
    exploding loss raises :class:`TrainingDiverged`, both carrying the parameters to keep.

    Diverged means a batch loss above ``config.divergence_factor`` times the run's first
    batch loss (or ``config.max_loss``). A resumed run keeps its own
    (``LoopState.first_loss``); a run continued from ``opt_state`` (a warm start) keeps
    the earlier run's when given it as ``first_loss`` (its ``TrainResult.first_loss``),
    else its bound is taken from its own first batch.
    """
    training = Training(
        net,
        params,
        X,
        y,
        config,
        sample_weight=sample_weight,
        train_rows=train_rows,
        val_rows=val_rows,
        validation=validation,
        scaler=scaler,
        callbacks=callbacks,
        opt_state=opt_state,
        resume=resume,
        first_loss=first_loss,
    )
    try:
        training.run(on_epoch_end)
    except KeyboardInterrupt:
        state = training.stop("interrupted")  # as the last epoch left it: resumable
        raise TrainingInterrupted(training.result(), state) from None
    result = training.result()  # copied out of the workspace's buffers
    give_back(training.workspace)  # for the next run of this network (training ends here)
    return result

