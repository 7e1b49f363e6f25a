"""From a data table to a trained, saved model: what ``glassnet train`` does.

:func:`train_model` encodes the targets, splits off validation and test rows
(stratified for classification), fits the column encoding (a table's categories, medians
and missing-value indicators), the input scaling and, for regression, the target scaling
on the training rows only (:mod:`glassnet.cli.run_setup`), builds and trains the network,
and scores every split (losses in the targets' own units; :mod:`glassnet.cli.run_outcome`).
The CLI only parses arguments and prints; everything here is usable from Python too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from glassnet.cli.model_data import score
from glassnet.cli.recipe import PRESETS, Recipe, Task
from glassnet.cli.run_checkpoints import after_epoch, resuming, run_checkpoints
from glassnet.cli.run_outcome import Outcome, RunStopped
from glassnet.cli.run_outcome import finish as _finish
from glassnet.cli.run_outcome import stopped_run as _stopped
from glassnet.cli.run_record import LOSS_UNIT, fingerprint, in_target_units, run_summary, seen_in
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
from glassnet.cli.stops import received
from glassnet.core.network import Network
from glassnet.files.modelfile import Model
from glassnet.files.signals import signals_deferred
from glassnet.train.loop import Callback, TrainingDiverged, TrainingInterrupted, fit
from glassnet.train.session import Training
from glassnet.views.run_report import Observer, probe

__all__ = [
    "LOSS_UNIT",
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
    announce: Callable[[], None] = lambda: None,
    describe: Callable[[Model, str], None] = lambda model, reason: None,
) -> Outcome:
    """Train a model on ``(X, y)`` following ``recipe``; see the module docstring.

    With ``checkpoint``, the loop state is written there every few seconds and when the run
    ends (:class:`~glassnet.files.checkpoint.Checkpoints`); ``resume`` continues from it.
    Ctrl-C or divergence raise :class:`RunStopped` with the model to keep.
    ``observe`` records per-epoch diagnostics and snapshots for the report
    (``Outcome.observer``). ``X`` may be a :class:`~glassnet.data.frames.Frame` of table
    columns: they are encoded as the training rows say (:func:`fit_encoding`). ``notify`` is
    told, in one line, that a run resumes; ``announce()`` is called once the checkpoint to
    resume from is accepted, before training (a refused ``resume`` raises
    :class:`~glassnet.cli.checks.NotApplicable` before it, naming the settings that differ);
    ``describe(model, reason)`` right after it, with the untrained model (its task, classes,
    column encoding and target scaling, as the data set them) and why that task.
    """
    data = prepare(X, y, recipe, feature_names)
    net = network(data, recipe)
    dtype = np.dtype(recipe.dtype)
    init_rng = np.random.default_rng(recipe.seed if recipe.init_seed is None else recipe.init_seed)
    params = _init(net, init_rng, dtype, recipe.init_scale)
    state, checkpoints = run_checkpoints(checkpoint, resume, recipe, data, params)
    save = partial(_model, net, data, recipe)
    in_units = in_target_units(data)  # a regression run's record: in the targets' units
    callbacks = tuple(seen_in(in_units, cb) for cb in callbacks)
    inputs: dict[str, Any] = dict(
        train_rows=data.rows["train"], val_rows=data.rows.get("validation"), scaler=data.scaler,
        callbacks=callbacks, resume=state,
    )  # fmt: skip
    config, observer = _config(recipe, dtype), None
    try:
        announce()
        describe(save(params), data.reason)
        if state is not None:
            resuming(state, recipe, notify)
        observer = _observer(save(params), data) if observe else None
        result = fit(
            net, params, data.X, data.codes, config, **inputs,
            on_epoch_end=after_epoch(checkpoints, observer),
        )  # fmt: skip
    except (TrainingInterrupted, TrainingDiverged, KeyboardInterrupt) as exc:
        if not isinstance(exc, (TrainingInterrupted, TrainingDiverged)):  # before the loop ran
            loop = Training(net, params, data.X, data.codes, config, **inputs)  # epoch 0
            at_0 = loop.stop("interrupted")
            exc = TrainingInterrupted(loop.result(), at_0)
        if observe and observer is None:  # the signal came as epoch 0 was observed: redo it
            observer = _observer(save(params), data)  # (the report of epoch 0 needs it)
        stop = _stopped(exc, checkpoints, state is not None, in_units, data, save, observer)
        raise stop from None
    outcome = None
    idle = state is not None and result.history.epochs == state.epoch  # nothing was trained
    try:
        with signals_deferred():  # after the last epoch a stop signal waits for the outcome
            if checkpoints is not None and not idle:  # an idle resume leaves it as it is
                if checkpoints.latest is None:  # no epoch ran (--epochs 0): epoch 0's state
                    start = Training(net, params, data.X, data.codes, config, **inputs)
                    checkpoints.latest = start.stop("completed")
                checkpoints.flush()
            result.history = in_units(result.history)
            outcome = _finish(save(result.params), result, data, observer)
            outcome.trained = not idle
    except KeyboardInterrupt:  # the CLI's stop signal acts once its files are written too
        if outcome is None or not received():  # the block failed first, or Ctrl-C in Python
            raise
    return outcome  # the run completed (cli.stops.received() says whether a signal came)


def _model(net: Network, data: Prepared, recipe: Recipe, params: Any) -> Model:
    """The model file's content for ``params``."""
    return Model(
        net, params, data.classes, data.scaler, data.feature_names, recipe.settings(),
        data.encoding, data.target_scaler, data.constants,
    )  # fmt: skip


def _observer(start: Model, data: Prepared) -> Observer:
    """Per-epoch diagnostics and snapshots for the report, from epoch 0 (``start``) on."""
    observer = Observer(start, *probe(start, data.X, data.codes, data.rows["train"]))
    observer.observe(start.params)  # epoch 0
    return observer
