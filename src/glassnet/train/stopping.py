"""Early stopping: the one rule every entry point uses (scikit-learn's ``n_iter_no_change``).

After each epoch the monitored loss ``m`` is compared with ``best``, the lowest so far::

    no improvement  <=>  m > best - min_delta      (count it; an improvement resets the count)
    new best        <=>  m < best                  (these parameters are the ones to keep)
    stop            <=>  count >= patience

scikit-learn's ``tol`` is ``min_delta`` and its ``n_iter_no_change`` is ``patience - 1``
(it stops once the count *exceeds* ``n_iter_no_change``).
"""

from __future__ import annotations

from typing import NamedTuple

from glassnet.train.history import EpochRecord
from glassnet.train.state import Monitor


class Progress(NamedTuple):
    best_loss: float  # the lowest monitored loss so far
    bad_epochs: int  # epochs in a row without improvement
    improved: bool  # this epoch set a new best
    stop: bool  # patience ran out


def monitored(record: EpochRecord, monitor: Monitor) -> float:
    """The loss the rule watches: the validation loss (``auto`` when there is one) or the
    training loss."""
    if monitor == "val_loss" or (monitor == "auto" and record.val_loss is not None):
        if record.val_loss is None:
            raise ValueError("monitor='val_loss' needs a validation set")
        return record.val_loss
    return record.loss


def judge(
    loss: float, best_loss: float, bad_epochs: int, min_delta: float, patience: int | None
) -> Progress:
    """The rule of the module docstring for one epoch's monitored ``loss``."""
    bad = bad_epochs + 1 if not loss <= best_loss - min_delta else 0
    improved = loss < best_loss
    stop = patience is not None and bad >= patience
    return Progress(min(best_loss, loss) if improved else best_loss, bad, improved, stop)
