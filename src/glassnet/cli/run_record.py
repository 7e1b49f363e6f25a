"""What a training run's record says beyond its epochs: the fingerprint a checkpoint must
match (:func:`fingerprint`), the units of a regression run's losses (:data:`LOSS_UNIT`),
and the summary the model file keeps (:func:`run_summary`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import numpy as np

from glassnet.cli.recipe import Recipe
from glassnet.cli.run_setup import Prepared
from glassnet.core._types import Array
from glassnet.core.schedules import Constant
from glassnet.data.preprocessing import loss_name, loss_unit
from glassnet.train.history import History
from glassnet.train.state import Callback, TrainingDiverged


def fingerprint(recipe: Recipe, X: Any, y: Array) -> str:
    """What a checkpoint must match to be resumed: :func:`resumable` (every setting but
    ``epochs``, which a resumed run may raise, and the data), as one SHA-256 digest."""
    return hashlib.sha256(json.dumps(resumable(recipe, X, y), sort_keys=True).encode()).hexdigest()


def resumable(recipe: Recipe, X: Any, y: Array) -> dict[str, Any]:
    """The settings a resumed run must share with its checkpoint, as JSON values: the
    recipe's but ``epochs`` (the schedule with its parameters), and ``data``: the encoded
    features ``X (N, D)`` and targets ``y`` as their shape and a digest of their values."""
    settings = recipe.settings()
    settings.pop("epochs")
    settings["schedule"] = repr(recipe.schedule or Constant())
    X, y = np.ascontiguousarray(X), np.ascontiguousarray(y)
    if y.dtype.kind == "O":  # labels as Python objects: their text, not their addresses
        y = y.astype(str)
    digest = hashlib.sha256(X.tobytes() + y.tobytes() + str(y.dtype).encode()).hexdigest()
    n, d = X.shape
    settings["data"] = f"{n} samples x {d} features, digest {digest[:12]}"
    return settings


LOSS_UNIT = "half squared error (target units²)"  # per sample; the record's unit


def in_target_units(data: Prepared) -> Callable[[History], History]:
    """A regression run's record in the targets' own units (the losses as trained times
    ``scale**2``, :data:`LOSS_UNIT`), as ``final`` is, or as trained when the target
    columns were scaled differently (:func:`~glassnet.data.preprocessing.loss_name`); a
    classifier's as it is."""
    if data.classes is not None:
        return lambda history: history
    factor, name = loss_unit(data.target_scaler), loss_name(data.target_scaler)
    return lambda history: history.in_units(factor, name)


def said_in_units(exc: BaseException, data: Prepared) -> str:
    """The loop's message; a diverged regression run's says its losses are of the
    standardized targets (the record itself is in the targets' units)."""
    if not isinstance(exc, TrainingDiverged) or data.target_scaler is None:
        return str(exc)
    factor = loss_unit(data.target_scaler)
    return f"{exc} (losses of the standardized targets: times {factor:.6g} in the target's units)"


def seen_in(in_units: Callable[[History], History], callback: Callback) -> Callback:
    """``callback`` shown each epoch's record in the record's units."""
    return lambda record: callback(in_units(History([record])).records[0])


def run_summary(history: Any) -> dict[str, Any]:
    """What the model file records of its run: epochs, the kept and best epochs, the final
    scores (of the saved parameters) and the loss at initialization."""
    initial = history.initial
    return {
        "epochs": history.epochs,
        "kept_epoch": history.kept_epoch,
        "best_epoch": history.lowest_epoch(),
        "stop_reason": history.stop_reason,
        "initial_loss": None if initial is None else initial.loss,
        "final": history.final,
    }
