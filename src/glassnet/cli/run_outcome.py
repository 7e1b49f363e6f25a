"""What a training run leaves: a finished run's :class:`Outcome` (the kept parameters scored
on every split, written into the run's record) and a stopped run's :class:`RunStopped`, for
:func:`glassnet.cli.workflow.train_model` (both also importable from there)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from glassnet.cli.model_data import score
from glassnet.cli.run_record import said_in_units
from glassnet.cli.run_setup import Prepared
from glassnet.core._types import Array
from glassnet.data.batching import Score
from glassnet.files.checkpoint import Checkpoints
from glassnet.files.kept_run import keep_run
from glassnet.files.modelfile import Model
from glassnet.train.history import History
from glassnet.train.loop import TrainingDiverged, TrainingInterrupted, TrainResult
from glassnet.views.report_settings import penalty_note
from glassnet.views.run_report import Observer


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
    trained: bool = True  # False: a resumed run had no epoch left to train (nothing changed)


class RunStopped(Exception):
    """Training stopped before its end (Ctrl-C or another stop signal, divergence);
    ``model`` holds the parameters worth keeping, with the run's record, and ``cause`` the
    original exception."""

    def __init__(
        self,
        message: str,
        model: Model,
        cause: BaseException,
        resumable: bool = False,
        outcome: Outcome | None = None,
    ) -> None:
        super().__init__(message)
        self.model, self.cause = model, cause
        self.resumable = resumable  # a checkpoint of this run is on disk for --resume
        self.outcome = outcome  # an interrupted run's, scored as a finished run's


def stopped_run(
    exc: TrainingInterrupted | TrainingDiverged,
    checkpoints: Checkpoints | None,
    resumed: bool,
    in_units: Callable[[History], History],
    data: Prepared,
    save: Callable[[Any], Model],
    observer: Any,
) -> RunStopped:
    """What a stopped run keeps: the checkpoint of its last completed epoch (epoch 0, the
    initialization, when a signal or a divergence came before the first ended) and the
    model of its kept epoch, with the run's record (``settings["run"]``; scored on every
    split, as a finished one's: ``RunStopped.outcome``, None where a split could not be)."""
    if checkpoints is not None:
        if checkpoints.latest is None and exc.state is not None:
            checkpoints(exc.state)  # no epoch had ended: epoch 0, for --resume
        checkpoints.flush()  # the last completed epoch, for --resume
    exc.result.history = in_units(exc.result.history)
    kept = checkpoints is not None and (checkpoints.written or resumed)
    try:  # a diverged run's kept parameters too: an epoch they ended was scored
        outcome = finish(save(exc.result.params), exc.result, data, observer)
    except (FloatingPointError, OverflowError):  # not on every split: the record alone
        model = save(exc.result.params)
        exc.result.history.loss_penalty = penalty_note(model.settings)
        keep_run(model.settings, exc.result.history, observer.summary() if observer else None,
                 len(data.rows["train"]))  # fmt: skip
        return RunStopped(said_in_units(exc, data), model, exc, kept)
    return RunStopped(said_in_units(exc, data), outcome.model, exc, kept, outcome)


def finish(model: Model, result: TrainResult, data: Prepared, observer: Any) -> Outcome:
    """Score the kept parameters on every split and write them into the run's record."""
    targets = data.y if data.classes is None else data.codes
    scores = {name: score(model, data.X, targets, r) for name, r in data.rows.items()}
    history = result.history
    history.final = {name: s._asdict() for name, s in scores.items()}
    history.loss_penalty = penalty_note(model.settings)  # the model file's record says it too
    rows = len(data.rows["train"])
    keep_run(model.settings, history, observer.summary() if observer else None, rows)
    return Outcome(model, result, scores, data.rows, data.codes, observer, data.X, data.reason)
