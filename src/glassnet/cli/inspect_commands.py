"""What ``glassnet report`` and ``glassnet explain --model`` do with a saved model
(``explain --model``: classifiers; ``report``: classifiers and, with ``--target``,
regressors)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.cli.checks import NotApplicable
from glassnet.cli.model_data import class_codes, features_for, model_table
from glassnet.cli.replacing import Replaced
from glassnet.core._types import Array
from glassnet.files.modelfile import Model, load_model


def _model_inputs(args: argparse.Namespace) -> tuple[Model, Array, Array, bool]:
    """The model, its raw input rows and class codes (true ones with --target, else predicted)."""
    model = load_model(args.model)
    if model.classes is None:
        raise NotApplicable(f"glassnet {args.command} shows classifiers; this model is a regressor")
    table = model_table(model, args.data, args.target)
    X = features_for(model, table)
    labels = table.y if args.target is not None and table.y is not None else None
    codes = (
        class_codes(model, labels, args.data, args.target)
        if labels is not None
        else class_codes(model, model.predict(X))
    )
    return model, X, codes, labels is not None


def report(args: argparse.Namespace) -> int:
    from glassnet.views.report import write_report
    from glassnet.views.run_report import report_data

    if load_model(args.model).classes is None:
        return _regression_report(args)
    model, X, codes, labelled = _model_inputs(args)
    out = Path(args.out) if args.out else default_report_path(args.model, args.data, labelled)
    if model.members is not None:
        return _ensemble_report(model, X, codes, labelled, args, out)
    history = model_history(Path(args.model))
    notes = [
        ("data", str(args.data)),
        ("classes shown", "true labels" if labelled else "predicted (no --target given)"),
    ]
    if history is None:
        notes += _run_notes(model)
    data = report_data(
        f"glassnet report: {args.model}", model, X, codes, np.arange(len(X)), history,
        notes=notes, labelled=labelled,
    )  # fmt: skip
    before = Replaced(out)
    path = write_report(out, data)
    before.note([path])
    print(f"wrote {path}")
    return 0


def _regression_report(args: argparse.Namespace) -> int:
    """A regressor's report on the data of ``--target``: predictions against the true values,
    residuals, RMSE, MAE and R^2 in the targets' units, and the training record."""
    from glassnet.views.report import write_report
    from glassnet.views.run_report import report_data

    model = load_model(args.model)
    if args.target is None:
        raise NotApplicable("glassnet report of a regressor needs --target: the true values its "
                        "predictions are compared with")  # fmt: skip
    table = model_table(model, args.data, args.target)
    X, y = features_for(model, table), np.asarray(table.y, dtype=np.float64)
    codes = y  # the targets as the network was trained on them
    if model.target_scaler is not None:
        codes = model.target_scaler.transform(y.reshape(len(y), -1), np.float64).reshape(y.shape)
    out = Path(args.out) if args.out else default_report_path(args.model, args.data, True)
    if model.members is not None:  # the members' spread, losses in the targets' units
        return _ensemble_report(model, X, codes, True, args, out)
    history = model_history(Path(args.model))
    notes = [("data", str(args.data)), ("targets", f"the true values of {args.target!r}")]
    rows = np.arange(len(y))
    data = report_data(f"glassnet report: {args.model}", model, X, codes, rows, history,
                       notes=notes + ([] if history else _run_notes(model)),
                       splits={Path(args.data).name: rows})  # fmt: skip
    before = Replaced(out)
    path = write_report(out, data)
    before.note([path])
    print(f"wrote {path}")
    return 0


def _ensemble_report(
    model: Model, X: Array, codes: Array, labelled: bool, args: argparse.Namespace, out: Path
) -> int:
    """An ensemble's report on the data: a single run's sections that apply, and how far
    its members spread (:func:`glassnet.cli.ensemble_report.saved_ensemble_page`)."""
    from glassnet.cli.ensemble_report import saved_ensemble_page
    from glassnet.files.fileio import write_text

    title = f"glassnet report: {args.model} (ensemble of {model.members})"
    shown = "true labels" if labelled else "predicted (no --target given)"
    notes = [("data", str(args.data)), ("classes shown", shown)] + _run_notes(model)
    before = Replaced(out)
    path = write_text(out, saved_ensemble_page(model, X, codes, labelled, title, notes))
    before.note([path])
    print(f"wrote {path}")
    return 0


def default_report_path(model: Any, data: Any, labelled: bool = True) -> Path:
    """Beside the model, named for what it shows, never the training report's
    ``report.html``: ``runs/bc/model.npz`` and ``test.csv`` give ``model-report-test.html``
    (scored against the true labels of ``--target``) or, ``labelled`` False,
    ``model-predictions-test.html`` (the predicted classes counted, no true labels)."""
    model, kind = Path(model), "report" if labelled else "predictions"
    return model.with_name(f"{model.name.removesuffix('.npz')}-{kind}-{Path(data).stem}.html")


def model_history(model: Path) -> Any:
    """The training history written beside ``model`` (``history.json`` or
    ``<stem>.history.json``, whichever names this model), or None."""
    from glassnet.train.history import History

    stem = model.name.removesuffix(".npz")
    for candidate in (model.parent / f"{stem}.history.json", model.parent / "history.json"):
        try:
            saved = json.loads(candidate.read_text()) if candidate.is_file() else None
            if isinstance(saved, dict) and saved.get("model") == model.name:
                return History.from_dict(saved)
        except (ValueError, KeyError, TypeError, AttributeError, OSError):
            continue  # a damaged history: the report goes without it
    return None


def _run_notes(model: Model) -> list[tuple[str, str]]:
    """What the model file says of its run, when its history file is not at hand."""
    run = model.settings.get("run")
    if not isinstance(run, dict):
        return []
    notes = [("epochs trained", str(run.get("epochs"))), ("kept epoch", str(run.get("kept_epoch")))]
    for split, score in (run.get("final") or {}).items():
        notes.append((f"final {split} loss (kept parameters)", f"{score.get('loss'):.6g}"))
    return notes


BATCH = 256  # rows in the pass of ``explain --model``: the shown ones first


def explain_model(args: argparse.Namespace) -> int:
    """``explain --model``: one pass on a batch of the data (at most :data:`BATCH` rows from
    ``--row`` on); ``--rows K``, as without ``--model``, is the number of samples shown."""
    from glassnet.data.batching import targets_for
    from glassnet.views.explain import explain

    model, X, codes, _ = _model_inputs(args)
    if model.members is not None:
        raise NotApplicable(
            f"explain shows one network; {args.model} is an ensemble of {model.members}"
        )
    args.row = args.row or 0
    if not 0 <= args.row < len(X):
        raise NotApplicable(f"--row {args.row} is outside the data's {len(X)} rows")
    rows = slice(args.row, min(args.row + BATCH, len(X)))
    X_in = model.inputs(X[rows])
    where = f"rows {rows.start}-{rows.stop - 1} of {args.data}"
    inputs = (
        f"standardized inputs (x - mean) / std with the training statistics, {where}"
        if model.scaler is not None
        else f"input samples as stored, {where}"
    )
    text, passed = explain(
        model.net,
        model.params,
        X_in,
        targets_for(model.net, codes[rows], np.float64),
        show=args.rows,
        optimizer=_optimizer_of(model),
        inputs=inputs,
    )
    print(text)
    return 0 if passed else 1


def _optimizer_of(model: Model) -> Any:
    """The optimizer the model was trained with, from its stored settings (None if unknown)."""
    from glassnet.core.optimizers import get_optimizer

    settings = model.settings
    params = settings.get("params") if "estimator" in settings else None
    if isinstance(params, dict):  # saved by an estimator: scikit-learn's names
        if params.get("solver") == "adam":
            return get_optimizer("adam", learning_rate=params.get("learning_rate_init", 0.001))
        return None
    name, lr = settings.get("optimizer"), settings.get("learning_rate")
    if name not in ("sgd", "momentum", "nesterov", "adam") or lr is None:
        return None
    extra = {"momentum": settings.get("momentum", 0.9)} if name in ("momentum", "nesterov") else {}
    return get_optimizer(str(name), learning_rate=float(lr), **extra)
