"""One epoch of a run as the loop records it (:class:`EpochRecord`), and the words every
entry point uses for how a run ended (:data:`STOP_REASONS`). A run's records are kept in a
:class:`glassnet.train.history.History` (which also gives these names)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

LEARNING_RATE_TOO_SMALL = "learning rate too small"  # scikit-learn's adaptive rate ended

STOP_REASONS = {
    "completed": "every epoch ran (--epochs, max_iter; for L-BFGS every iteration)",
    "early stopping": "the monitored loss did not improve for `patience` epochs "
    "(scikit-learn's n_iter_no_change and tol)",
    "converged": "L-BFGS met scipy's tolerance before max_iter",
    "max_fun": "L-BFGS spent its budget of loss evaluations (max_fun)",
    "diverged": "the loss became non-finite or too large",
    "stopped by callback": "a callback returned True",
    LEARNING_RATE_TOO_SMALL: "scikit-learn's adaptive learning rate (solver='sgd') fell to "
    "1e-6 and the loss still did not improve for n_iter_no_change epochs",
}


@dataclass(frozen=True, init=False)
class EpochRecord:
    """One epoch of a run (frozen: assigning a field raises ``FrozenInstanceError``)."""

    epoch: int  # counted from 1; 0 is the initialization
    loss: float  # mean training loss per sample over the epoch's batches (epoch 0: at init)
    val_loss: float | None
    accuracy: float | None  # on the training rows after the epoch (train_metrics)
    val_accuracy: float | None
    learning_rate: float
    seconds: float
    # a regressor's validation loss per target column (k > 1 columns), as trained: its mean
    # over the columns is ``val_loss``; what converts ``val_loss`` to the targets' units when
    # the columns were standardized by different scales (History.in_units); None otherwise
    val_losses: tuple[float, ...] | None = None
    # where val_loss is shown in other units than trained, in an order of its own (columns
    # of different scales, History.in_units): the validation loss as trained, the one early
    # stopping compared (the monitored loss); None where val_loss (or loss) is it
    monitored_loss: float | None = None

    def __init__(
        self, epoch: int, loss: float, val_loss: float | None, accuracy: float | None,
        val_accuracy: float | None, learning_rate: float, seconds: float,
        val_losses: tuple[float, ...] | None = None, monitored_loss: float | None = None,
    ) -> None:  # fmt: skip
        # written out: a frozen dataclass's own __init__ sets each field through
        # object.__setattr__, three times the cost of a record the loop makes every epoch
        d = self.__dict__
        d["epoch"], d["loss"], d["val_loss"], d["accuracy"] = epoch, loss, val_loss, accuracy
        d["val_accuracy"], d["learning_rate"], d["seconds"] = val_accuracy, learning_rate, seconds
        d["val_losses"], d["monitored_loss"] = val_losses, monitored_loss


# the columns of history.json (val_losses is kept only where a record is as trained: a
# checkpoint's history, History.as_dict's optional "val_losses"; monitored_loss only where
# the record is in other units: the optional "monitored_loss")
OPTIONAL = ("val_losses", "monitored_loss")
FIELDS = tuple(f.name for f in dataclasses.fields(EpochRecord) if f.name not in OPTIONAL)


def monitored_key(rows: Sequence[EpochRecord]) -> str:
    """The field that holds the monitored loss of ``rows`` (one run's records), the one
    early stopping compares: ``"monitored_loss"`` where kept (validation losses shown in
    other units), else ``"val_loss"`` when recorded, else ``"loss"``."""
    last = rows[-1] if rows else None
    if last is not None and last.monitored_loss is not None:
        return "monitored_loss"
    return "val_loss" if last is not None and last.val_loss is not None else "loss"


def lowest(rows: Sequence[EpochRecord], key: str) -> int | None:
    """The epoch of ``rows`` with the lowest ``key`` field (the first of equal ones), or
    None when none has it."""
    scored = [(getattr(r, key), r.epoch) for r in rows if getattr(r, key) is not None]
    return min(scored)[1] if scored else None
