"""What the training loop takes, carries and returns: settings, loop state, results, and
the two ways a run can stop early (divergence, Ctrl-C)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from glassnet.core._types import ParamList
from glassnet.core.optimizers import Adam, Optimizer, OptState
from glassnet.core.schedules import Constant, Schedule, ScheduleState
from glassnet.train.history import EpochRecord, History


class TrainingDiverged(FloatingPointError):
    """The loss became non-finite or exceeded the bound; ``result`` holds the last finite
    parameters and the history up to the epoch before; ``state`` (when the loop gives it)
    the loop state after the last completed epoch, as a checkpoint keeps it."""

    def __init__(self, message: str, result: TrainResult, state: LoopState | None = None):
        super().__init__(message)
        self.result, self.state = result, state


Monitor = Literal["auto", "loss", "val_loss"]


@dataclass(frozen=True)
class TrainConfig:
    """How to train. ``batch_size=None`` means full batch.

    L2, on the weights only, through :func:`glassnet.core.regularization.l2_penalty`:
    ``weight_decay`` adds ``weight_decay * W`` to every weight gradient; ``alpha`` is
    scikit-learn's, ``alpha / (2 S) * sum ||W||^2`` per batch with ``S`` the batch's summed
    sample weights (its row count without weights; 1 for the ``sum`` reduction). The
    training loss the loop reports includes the penalty; validation losses never do.

    Early stopping (one rule, scikit-learn's): after each epoch the monitored loss
    (``monitor``: ``"val_loss"``, ``"loss"``, or ``"auto"``: the validation loss when there
    is a validation set) counts as *no improvement* when it is above ``best - min_delta``,
    where ``best`` is the lowest value so far; training stops after ``patience`` such
    epochs in a row (``None``: never). With ``restore_best`` and a validation set the
    parameters of the epoch with the lowest monitored loss are returned.

    ``score_initial``: a run from an initialization (no ``opt_state``, no ``resume``)
    records the initial parameters' losses as epoch 0 (``History.initial``), one forward
    pass over the training and validation rows before the first step (a third of an
    epoch's arithmetic); ``False`` leaves ``History.initial`` None and changes nothing else.
    """

    epochs: int = 200
    batch_size: int | None = 32
    optimizer: Optimizer = field(default_factory=Adam)
    schedule: Schedule = field(default_factory=Constant)
    weight_decay: float = 0.0
    alpha: float = 0.0
    patience: int | None = None
    min_delta: float = 0.0
    restore_best: bool = True
    monitor: Monitor = "auto"
    seed: int = 0
    shuffle: bool = True  # a fresh order of the training rows every epoch (else as given)
    dtype: Any = np.float64
    train_metrics: bool = True  # score the training rows after each epoch (a forward pass)
    score_initial: bool = True  # a fresh start scores the initialization: epoch 0 (a forward pass)
    max_loss: float | None = None  # an absolute bound on the loss per sample, if wanted
    divergence_factor: float = 1e6  # diverged: loss > factor * the run's first batch loss

    def __post_init__(self) -> None:
        if self.epochs < 0:
            raise ValueError(f"epochs must be non-negative, got {self.epochs}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        if self.patience is not None and self.patience < 1:
            raise ValueError(f"patience must be at least 1, got {self.patience}")
        for name in ("weight_decay", "alpha", "min_delta"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} must be non-negative, got {getattr(self, name)}")
        if not self.divergence_factor > 1:
            raise ValueError(f"divergence_factor must exceed 1, got {self.divergence_factor}")
        if self.monitor not in ("auto", "loss", "val_loss"):
            raise ValueError(f"monitor must be 'auto', 'loss' or 'val_loss', got {self.monitor!r}")
        if np.dtype(self.dtype) not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")


@dataclass
class TrainResult:
    """What a run gives back: the parameters to keep, the history, the optimizer state
    and ``first_loss``, the run's first finite batch loss per sample (the base of its
    divergence bound; None when no batch gave one): a run continued from ``opt_state``
    passes it on as :func:`~glassnet.train.loop.fit`'s ``first_loss``."""

    params: ParamList
    history: History
    opt_state: OptState
    first_loss: float | None = None

    def __repr__(self) -> str:  # counts and the outcome, never the arrays
        from glassnet.train.summaries import result_text

        return result_text(self)


@dataclass
class LoopState:
    """Everything the loop carries from one epoch to the next: enough to resume exactly."""

    epoch: int  # epochs completed
    params: ParamList
    opt_state: Any
    schedule: ScheduleState
    rng_state: dict[str, Any]  # the shuffling Generator's bit_generator.state
    best: ParamList  # the parameters of the best epoch so far
    best_loss: float
    bad_epochs: int  # epochs since the best
    history: History
    # the run's first finite batch loss per sample, which fixes the divergence bound for
    # the whole run, resumed parts included (None until a batch gave one)
    first_loss: float | None = None


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`fit`; ``result`` holds the best parameters of the completed
    epochs and ``state`` the loop state after the last completed epoch."""

    def __init__(self, result: TrainResult, state: LoopState) -> None:
        super().__init__("training interrupted")
        self.result, self.state = result, state


Callback = Callable[[EpochRecord], bool | None]  # return True to stop training
