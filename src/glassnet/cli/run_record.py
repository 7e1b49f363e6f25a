"""What a training run's record says beyond its epochs: the fingerprint a checkpoint must
match (:func:`fingerprint`) and its settings in the CLI's words (:func:`settings_differ`),
the units of a regression run's losses (:data:`LOSS_UNIT`), and the summary the model file
keeps (``settings["run"]``) from the same record as ``history.json``: a single run's
(:func:`run_summary`), a population's (:func:`population_summary`) and one member's
(:func:`member_summary`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import numpy as np

from glassnet.cli.recipe import Recipe
from glassnet.cli.run_setup import Prepared
from glassnet.cli.schedule_options import schedule_differs, schedule_words
from glassnet.cli.train_inputs import RECIPE_FLAGS
from glassnet.core._types import Array
from glassnet.core.schedules import Constant
from glassnet.core.wording import counted
from glassnet.data.preprocessing import LOSS_IN_UNITS, loss_name, loss_unit
from glassnet.files import checkpoint
from glassnet.train import target_units
from glassnet.train.history import History
from glassnet.train.members import PopulationResult
from glassnet.train.state import Callback, TrainingDiverged
from glassnet.train.summary import run_summary as run_summary  # re-exported for the CLI


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
    if len(settings.get("targets", ())) == 1:  # one target's name: kept since 0.2, not
        del settings["targets"]  # compared (checkpoints before it match as they did)
    settings.pop("schedule_settings", None)  # in the repr, as checkpoints before 0.2 keep it
    settings["schedule"] = repr(recipe.schedule or Constant())
    X, y = np.ascontiguousarray(X), np.ascontiguousarray(y)
    if y.dtype.kind == "O":  # labels as Python objects: their text, not their addresses
        y = y.astype(str)
    digest = hashlib.sha256(X.tobytes() + y.tobytes() + str(y.dtype).encode()).hexdigest()
    n, d = X.shape
    settings["data"] = f"{counted(n, 'sample')} x {counted(d, 'feature')}, digest {digest[:12]}"
    return settings


# A recipe's field as the option that sets it (the fields of presets alone keep their names)
OPTIONS = {field: "--" + flag.replace("_", "-") for flag, field in RECIPE_FLAGS.items()}
OPTIONS.update(standardize="--no-standardize", schedule="--schedule")


def in_cli_words(field: str, value: Any) -> str:
    """``value`` of the recipe's ``field`` as the user gives it to ``glassnet train``:
    ``--patience 0 (no early stopping)`` for ``patience: None``, ``--hidden 64,32`` for
    ``[64, 32]``, ``--schedule step --step-every 5`` for ``StepDecay(every=5, gamma=0.5)``."""
    option = OPTIONS.get(field, field)
    if field == "patience" and value is None:
        return f"{option} 0 (no early stopping)"
    if field == "batch_size" and value is None:
        return f"{option} 0 (full batch)"
    if field == "test_size" and not value:
        return f"{option} 0 (none)"
    if field == "init_scale" and value is None:
        return f"{option} not given (Glorot/He initialization)"
    if value is None:  # an option not given
        return f"{option} not given"
    if isinstance(value, str) and value.startswith("not given"):  # said so already
        return f"{option} {value}"
    if field == "hidden" and isinstance(value, list):
        return f"{option} {','.join(map(str, value)) or '(none)'}"
    if field == "standardize":
        return "--no-standardize" if value is False else "standardized inputs (no --no-standardize)"
    if field == "schedule":
        return schedule_words(value)
    if field == "data":
        return f"the data ({value})"
    return f"{option} {value}"


def settings_differ(saved: Any, now: dict[str, Any] | None) -> str:
    """What differs between a checkpoint's settings and this run's, in the CLI's words:
    ``--patience 0 (no early stopping) in the checkpoint, now --patience 5``
    (:func:`glassnet.files.checkpoint.settings_differ` with the options' wording)."""
    return checkpoint.settings_differ(saved, now, _in_cli_words)


def _in_cli_words(key: str, saved: Any, now: Any) -> str:
    if key == "schedule":  # of one kind: each constant that differs
        return schedule_differs(saved, now)
    return f"{in_cli_words(key, saved)} in the checkpoint, now {in_cli_words(key, now)}"


LOSS_UNIT = "half squared error (target units²)"  # per sample; the record's unit


def in_target_units(data: Prepared) -> Callable[[History], History]:
    """A regression run's record in the targets' own units (the losses as trained times
    ``scale**2``, :data:`LOSS_UNIT`), as ``final`` is; with target columns of different
    scales its validation losses in units and its training losses standardized, as its
    ``loss_unit`` says (:func:`glassnet.train.target_units.in_target_units`); a
    classifier's as it is."""
    if data.classes is not None:
        return lambda history: history
    scaler = data.target_scaler
    return lambda history: target_units.in_target_units(history, scaler)


def said_in_units(exc: BaseException, data: Prepared) -> str:
    """The loop's message; a diverged regression run's says its losses are of the
    standardized targets (the record itself is in the targets' units)."""
    if not isinstance(exc, TrainingDiverged) or data.target_scaler is None:
        return str(exc)
    if loss_name(data.target_scaler) != LOSS_IN_UNITS:  # no factor to the targets' units
        return f"{exc} (losses of the standardized targets)"
    factor = loss_unit(data.target_scaler)
    return f"{exc} (losses of the standardized targets: times {factor:.6g} in the target's units)"


def seen_in(in_units: Callable[[History], History], callback: Callback) -> Callback:
    """``callback`` shown each epoch's record in the record's units."""
    return lambda record: callback(in_units(History([record])).records[0])


def population_summary(result: PopulationResult) -> dict[str, Any]:
    """What a population's model file records of its run, from the record ``history.json``
    holds (:meth:`PopulationResult.as_dict`): ``epochs`` (the longest member's), ``final``
    (the saved model's ``loss`` and ``accuracy`` per split) and ``members``: each member's
    :func:`member_summary`. An ensemble's model keeps it in ``settings["run"]``; a sweep's
    ``best.npz`` can keep one member's :func:`member_summary`."""
    record = result.as_dict()
    final = {
        split: {k: scores.get(k) for k in ("loss", "accuracy")}
        for split, scores in (record.get("final") or {}).items()
    }
    members = [member_summary(result, k, record) for k in range(len(result.members))]
    return {"epochs": record["epoch"][-1] if record["epoch"] else 0, "final": final,
            "members": members}  # fmt: skip


def member_summary(
    result: PopulationResult, k: int, record: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Member ``k``'s record as :func:`run_summary` gives a single run's: ``epochs`` it
    trained, ``kept_epoch``, ``best_epoch``, ``stop_reason``, ``initial_loss`` (epoch 0)
    and ``final`` (its own ``loss`` and ``accuracy`` per split), plus its ``seed``.
    ``record``: ``result.as_dict()``, when already made."""
    record = result.as_dict() if record is None else record
    curves = record["val_loss"] if "val_loss" in record else record["loss"]
    trained = [e for e, row in zip(record["epoch"], curves, strict=True) if row[k] is not None]
    initial = record["loss"][0][k] if result.initial and record["loss"] else None
    final = {
        split: {
            "loss": (scores.get("member_loss") or [None] * (k + 1))[k],
            "accuracy": (scores.get("member_accuracy") or [None] * (k + 1))[k],
        }
        for split, scores in (record.get("final") or {}).items()
    }
    return {
        "seed": record["seeds"][k],
        "epochs": max(trained, default=0),
        "kept_epoch": record["kept_epoch"][k],
        "best_epoch": record["best_epoch"][k],
        "stop_reason": record["stop_reason"][k],
        "initial_loss": initial,
        "final": final,
    }
