"""A regressor's record in its targets' own units, chosen once for the CLI and the estimators.

Targets are standardized per column for training (:func:`glassnet.data.preprocessing.
fit_target_scaler`), so a run records losses of the standardized targets. In the targets'
units the loss is ``mean_k s_k**2 L_k`` (``L_k`` column ``k``'s standardized half squared
error mean, ``s_k`` its scale; the identity head's mean over the columns):

* one column, or columns of one scale ``s``: every loss times ``s**2``
  (:data:`~glassnet.data.preprocessing.LOSS_IN_UNITS`);
* columns of different scales: each validation loss (and epoch 0's) from its record's
  per-column losses; the training losses stay standardized, the step giving one number
  (:data:`~glassnet.data.preprocessing.LOSS_SPLIT` says so);
* a scale whose square is out of float range, or a record without per-column losses
  (a checkpoint of an older version): the whole record as trained, labelled by
  :func:`~glassnet.data.preprocessing.loss_name`.
"""

from __future__ import annotations

import numpy as np

from glassnet.core._types import Array
from glassnet.data.preprocessing import (
    LOSS_IN_UNITS,
    LOSS_SPLIT,
    Standardizer,
    loss_factors,
    loss_name,
    loss_unit,
)
from glassnet.train.history import History


def in_target_units(history: History, target_scaler: Standardizer | None) -> History:
    """``history`` (as trained on targets standardized by ``target_scaler``) in the
    targets' units as the module docstring says, its ``loss_unit`` naming what each loss
    measures."""
    factors = loss_factors(target_scaler)
    name = loss_name(target_scaler)
    if name == LOSS_IN_UNITS or factors is None:
        return history.in_units(loss_unit(target_scaler), name)
    if not history.by_column():  # older records: no per-column losses to convert
        return history.in_units(1.0, name)
    return history.in_units(factors, LOSS_SPLIT)


def record_unit(target_scaler: Standardizer | None) -> str:
    """The ``loss_unit`` that :func:`in_target_units` gives a new run's record (one that
    keeps per-column losses), known before training: what the set-up lines say."""
    name = loss_name(target_scaler)
    if name == LOSS_IN_UNITS or loss_factors(target_scaler) is None:
        return name
    return LOSS_SPLIT


def score_in_units(loss: float, columns: Array | None, target_scaler: Standardizer | None) -> float:
    """A model's mean loss on some rows in the units :func:`in_target_units` gives the
    record's validation losses: ``loss * s**2`` for one scale, ``mean_k s_k**2 L_k`` from
    the per-column losses ``columns (k,)`` (:func:`glassnet.data.batching.evaluate_columns`)
    for different scales, ``loss`` as it is where no factor is safe."""
    factors = loss_factors(target_scaler)
    if loss_name(target_scaler) == LOSS_IN_UNITS or factors is None or columns is None:
        return float(loss) * loss_unit(target_scaler)
    return float(np.mean(factors * np.asarray(columns, dtype=np.float64)))


def loss_axes(loss_unit: str) -> tuple[str, str | None]:
    """The y labels of a loss figure for a record that measures ``loss_unit``: one label
    for both curves, or, for :data:`~glassnet.data.preprocessing.LOSS_SPLIT`, the
    training curve's and the validation curve's own (two axes, two units)."""
    if loss_unit != LOSS_SPLIT:
        return loss_unit or "loss", None
    return (
        "training loss: half squared error of the standardized targets (each column over its "
        "variance, averaged)",
        "validation loss: half squared error (target units²)",
    )
