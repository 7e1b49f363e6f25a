"""From a data table to a trained, saved model: what ``glassnet train`` does.

:func:`train_model` encodes the targets, splits off validation and test rows
(stratified for classification), fits the column encoding (a table's categories, medians
and missing-value indicators), the input scaling and, for regression, the target scaling
on the training rows only (:mod:`glassnet.cli.run_setup`), builds and trains the network,
and scores every split (losses in the targets' own units). The CLI only parses arguments
and prints; everything here is usable from Python too.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from glassnet.cli.model_data import score
from glassnet.cli.recipe import PRESETS, Recipe, Task
from glassnet.cli.run_setup import (
    Prepared,
    infer_task,
    max_classes,
    network,
    prepare,
    task_reason,
)
from glassnet.cli.run_setup import init_params as _init
from glassnet.cli.run_setup import split_rows as _split  # noqa: F401 (its former home)
from glassnet.cli.run_setup import train_config as _config
from glassnet.core._types import Array
from glassnet.core.network import Network
from glassnet.data.batching import Score
from glassnet.data.preprocessing import loss_unit
from glassnet.files.checkpoint import Checkpoints, load_checkpoint
from glassnet.files.modelfile import Model
from glassnet.train.history import History
from glassnet.train.loop import (
    Callback,
    LoopState,
    TrainingDiverged,
    TrainingInterrupted,
    TrainResult,
    fit,
)
from glassnet.views.run_report import Observer, probe

__all__ = [
    "PRESETS",
    "Outcome",
    "Recipe",
    "RunStopped",
    "Task",
    "fingerprint",
    "infer_task",
    "max_classes",
    "run_summary",
    "score",
    "task_reason",
    "train_model",
]


@dataclass
class Outcome:
    model: Model
    result: TrainResult
    scores: dict[str, Score] = field(default_factory=dict)  # "train", "validation", "test"
    rows: dict[str, Array] = field(default_factory=dict)
    codes: Array | None = None  # the targets as trained on (class codes for a classifier)
    observer: Observer | None = None  # diagnostics and snapshots, when asked for
    X: Any = None  # the features as trained on (a table's columns encoded)
    task_reason: str = ""


class RunStopped(Exception):
    """Training stopped before its end (Ctrl-C, divergence); ``model`` holds the parameters
    worth keeping and ``cause`` the original exception."""

    def __init__(self, message: str, model: Model, cause: BaseException) -> None:
        super().__init__(message)
        self.model, self.cause = model, cause


def fingerprint(recipe: Recipe, X: Any, y: Array) -> str:
    """What a checkpoint must match to be resumed: the recipe (but ``epochs``, which a resumed
    run may raise), the data's shape and targets."""
    h = hashlib.sha256(json.dumps(_resumable(recipe), sort_keys=True).encode())
    h.update(repr(recipe.schedule).encode())
    h.update(repr(tuple(X.shape)).encode())
    h.update(np.ascontiguousarray(y).tobytes())
    return h.hexdigest()


def _resumable(recipe: Recipe) -> dict[str, Any]:
    """The settings a resumed run must share with its checkpoint: all but ``epochs``."""
    settings = recipe.settings()
    settings.pop("epochs")
    return settings


def train_model(
    X: Any,
    y: Any,
    recipe: Recipe,
    feature_names: tuple[str, ...] = (),
    callbacks: tuple[Callback, ...] = (),
    checkpoint: str | os.PathLike[str] | None = None,
    resume: bool = False,
    observe: bool = False,
    notify: Callable[[str], None] = lambda message: None,
) -> Outcome:
    """Train a model on ``(X, y)`` following ``recipe``; see the module docstring.

    With ``checkpoint``, the loop state is written there every few seconds and when the run
    ends (:class:`~glassnet.files.checkpoint.Checkpoints`); ``resume`` continues from it.
    Ctrl-C or divergence raise :class:`RunStopped` with the model to keep.
    ``observe`` records per-epoch diagnostics and snapshots for the report
    (``Outcome.observer``). ``X`` may be a :class:`~glassnet.data.frames.Frame` of table
    columns: they are encoded as the training rows say (:func:`fit_encoding`). ``notify`` is
    told, in one line, that a run resumes.
    """
    data = prepare(X, y, recipe, feature_names)
    net = network(data, recipe)
    dtype = np.dtype(recipe.dtype)
    init_rng = np.random.default_rng(recipe.seed if recipe.init_seed is None else recipe.init_seed)
    params = _init(net, init_rng, dtype, recipe.init_scale)
    config = _config(recipe, dtype)
    key = fingerprint(recipe, data.X, data.y)
    state = None
    if resume and checkpoint:
        state = load_checkpoint(checkpoint, key, _resumable(recipe), like=params)
        notify(f"resuming from epoch {state.epoch} (of at most {recipe.epochs})")
    save = partial(_model, net, data, recipe)
    in_units = _in_target_units(data)  # a regression run's record: in the targets' units
    callbacks = tuple(_seen_in(in_units, cb) for cb in callbacks)
    observer = _observer(save(params), data) if observe else None
    checkpoints = Checkpoints(checkpoint, key, _resumable(recipe)) if checkpoint else None
    try:
        result = fit(
            net, params, data.X, data.codes, config, train_rows=data.rows["train"],
            val_rows=data.rows.get("validation"), scaler=data.scaler, callbacks=callbacks,
            resume=state, on_epoch_end=_after_epoch(checkpoints, observer),
        )  # fmt: skip
    except (TrainingInterrupted, TrainingDiverged) as exc:
        if checkpoints is not None:
            checkpoints.flush()  # the last completed epoch, for --resume
        exc.result.history = in_units(exc.result.history)
        raise RunStopped(_said_in_units(exc, data), save(exc.result.params), exc) from None
    if checkpoints is not None:
        checkpoints.flush()
    result.history = in_units(result.history)
    return _finish(save(result.params), result, data, observer)


def _model(net: Network, data: Prepared, recipe: Recipe, params: Any) -> Model:
    """The model file's content for ``params``."""
    return Model(
        net, params, data.classes, data.scaler, data.feature_names, recipe.settings(),
        data.encoding, data.target_scaler,
    )  # fmt: skip


def _observer(start: Model, data: Prepared) -> Observer:
    """Per-epoch diagnostics and snapshots for the report, from epoch 0 (``start``) on."""
    observer = Observer(start, *probe(start, data.X, data.codes, data.rows["train"]))
    observer.observe(start.params)  # epoch 0
    return observer


def _after_epoch(checkpoints: Checkpoints | None, observer: Any) -> Callable[[LoopState], None]:
    """What runs after every epoch: the checkpoints see the state (written every few
    seconds), the observer looks."""

    def after_epoch(loop: LoopState) -> None:
        if checkpoints is not None:
            checkpoints(loop)
        if observer is not None:
            observer(loop)

    return after_epoch


def _finish(model: Model, result: TrainResult, data: Prepared, observer: Any) -> Outcome:
    """Score the kept parameters on every split and write them into the run's record."""
    targets = data.y if data.classes is None else data.codes
    scores = {name: score(model, data.X, targets, r) for name, r in data.rows.items()}
    history = result.history
    history.final = {name: s._asdict() for name, s in scores.items()}
    model.settings["run"] = run_summary(history)
    return Outcome(model, result, scores, data.rows, data.codes, observer, data.X, data.reason)


LOSS_UNIT = "half squared error (target units²)"  # per sample; the record's unit


def _in_target_units(data: Prepared) -> Callable[[History], History]:
    """A regression run's record in the targets' own units (the losses as trained times
    ``scale**2``, :data:`LOSS_UNIT`), as ``final`` is; a classifier's as it is."""
    if data.classes is not None:
        return lambda history: history
    factor = loss_unit(data.target_scaler)
    return lambda history: history.in_units(factor, LOSS_UNIT)


def _said_in_units(exc: BaseException, data: Prepared) -> str:
    """The loop's message; a diverged regression run's says its losses are of the
    standardized targets (the record itself is in the targets' units)."""
    if not isinstance(exc, TrainingDiverged) or data.target_scaler is None:
        return str(exc)
    factor = loss_unit(data.target_scaler)
    return f"{exc} (losses of the standardized targets: times {factor:.6g} in the target's units)"


def _seen_in(in_units: Callable[[History], History], callback: Callback) -> Callback:
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
