"""Epoch 0 of a run's record: the losses of the initial parameters, before any update.

Every entry point that starts from an initialization (the loop of
:func:`glassnet.train.loop.fit`, L-BFGS, the CLI, the estimators) records it with
:func:`initial_record`, scored as the validation rows are after every epoch; it becomes
the ``initial`` of :class:`~glassnet.train.history.History`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.train.records import EpochRecord

__all__ = ["initial_record"]


def initial_record(
    net: Any,
    params: Any,
    train: tuple[Any, Any, Any],
    validation: tuple[Any, Any, Any] | None = None,
    *,
    scaler: Any = None,
    dtype: Any = np.float64,
    learning_rate: float = float("nan"),
    accuracy: bool = True,
    batch_size: int = 8192,
    penalty: float = 0.0,
) -> EpochRecord:
    """Epoch 0: ``params`` (the initialization) scored on ``train = (X, y, rows)`` and, when
    given, ``validation = (X, y, rows)``: the mean loss per sample, unweighted and without
    the L2 penalty, as :func:`glassnet.data.batching.evaluate` scores the validation rows
    after every epoch (``rows`` None: all of them), reading at most ``batch_size`` rows at a
    time; ``penalty`` (per sample) is added to the training loss, so that it carries the L2
    penalty as the trained epochs' training losses do
    (:func:`glassnet.train.epochs.epoch_penalty`). ``accuracy=False`` leaves the training
    accuracy out, as the loop does without ``train_metrics``."""
    from glassnet.data.batching import evaluate, evaluate_columns

    scored = evaluate(net, params, *train, scaler, dtype, batch_size)
    val, columns = None, None
    if validation is not None:
        val, columns = evaluate_columns(net, params, *validation, scaler, dtype, batch_size)
    return EpochRecord(
        0,
        scored.loss + penalty if penalty else scored.loss,
        None if val is None else val.loss,
        scored.accuracy if accuracy else None,
        None if val is None else val.accuracy,
        learning_rate,
        0.0,
        None if columns is None else tuple(columns.tolist()),
    )
