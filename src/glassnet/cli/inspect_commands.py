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
from glassnet.core.wording import counted
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
        class_codes(model, labels, args.data, args.target,
                    table.frame.locate if table.frame is not None else None)
        if labels is not None
        else class_codes(model, model.predict(X))
    )
    return model, X, codes, labels is not None


def report(args: argparse.Namespace) -> int:
    """``glassnet report MODEL --data FILE``: the file read a block at a time, every row
    scored, a sample of rows shown (:mod:`glassnet.cli.report_rows`)."""
    from glassnet.cli.report_rows import scored_rows
    from glassnet.views.report import write_report
    from glassnet.views.run_report import report_data

    model = load_model(args.model)
    if model.classes is None and args.target is None:
        raise NotApplicable("glassnet report of a regressor needs --target: the true values its "
                            "predictions are compared with")  # fmt: skip
    labelled = args.target is not None
    out = Path(args.out) if args.out else default_report_path(args.model, args.data, labelled)
    rows = scored_rows(model, args.data, args.target)
    if model.members is not None:
        return _ensemble_report(model, rows, args, out)
    history = model_history(Path(args.model)) or stored_history(model)
    labelled = args.target is not None
    notes = [("data", str(args.data)), *rows.notes, *_scores_of_all(model, rows.sums, labelled)]
    if model.classes is not None:
        notes.insert(1, ("classes shown", "true labels" if labelled
                         else "predicted (no --target given)"))  # fmt: skip
    else:
        notes.insert(1, ("targets", f"the true values of {args.target!r}"))
    split_scores = None if model.classes is not None else [
        (Path(args.data).name, rows.sums.n, rows.sums.scores())]  # fmt: skip
    data = report_data(
        f"glassnet report: {args.model}", model, rows.X, rows.codes, np.arange(len(rows.X)),
        history, notes=notes + ([] if history else _run_notes(model)), labelled=labelled,
        split_scores=split_scores,
    )  # fmt: skip
    before = Replaced(out)
    path = write_report(out, data)
    before.note([path])
    print(f"wrote {path}")
    return 0


def _scores_of_all(model: Model, sums: Any, labelled: bool) -> list[tuple[str, str]]:
    """A classifier's accuracy and mean loss on every row (the sample's are shown too)."""
    from glassnet.train.progress import loss_text

    if model.classes is None or not labelled or model.members is not None:
        return []
    n = sums.n
    return [(f"accuracy on all {n} rows", f"{sums.right / n:.2%}"),
            (f"mean loss on all {n} rows", loss_text(sums.loss / n))]  # fmt: skip


def _ensemble_report(model: Model, rows: Any, args: argparse.Namespace, out: Path) -> int:
    """An ensemble's report on every row of the data: its accuracy and how far its members
    spread (without labels: its predicted class counts and the members' agreement)."""
    from glassnet.cli.ensemble_report import saved_ensemble_page, spread_html
    from glassnet.files.fileio import write_text

    labelled = args.target is not None
    body = spread_html([rows.sums.spread()]) if labelled else _unlabelled(model, rows.sums)
    title = f"glassnet report: {args.model} (ensemble of {model.members})"
    shown = "true labels" if labelled else "predicted (no --target given)"
    notes = [("data", str(args.data)), ("classes shown", shown), *rows.notes]
    page = saved_ensemble_page(model, rows.X, rows.codes, labelled, title, notes, body)
    before = Replaced(out)
    path = write_text(out, page)
    before.note([path])
    print(f"wrote {path}")
    return 0


def _unlabelled(model: Model, counted: Any) -> str:
    """Without true labels, an ensemble classifier's predicted class counts and how often
    each member agrees with the ensemble (no accuracy: nothing to score against)."""
    from glassnet.views import report_html as h

    assert model.classes is not None
    agree = counted.agree / counted.n
    rows = [[str(c), int(k)] for c, k in zip(model.classes, counted.counts, strict=True)]
    return (
        h.paragraph("No true labels were given: the ensemble's predictions are counted, and "
                    "each member's agreement with them is shown; accuracy needs the labels.")
        + h.table(["class", "predicted"], rows)
        + h.table(["member agreement with the ensemble", "min", "mean", "max"],
                  [["", f"{min(agree):.4f}", f"{np.mean(agree):.4f}", f"{max(agree):.4f}"]])
    )  # fmt: skip


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


def stored_history(model: Model) -> Any:
    """The record an estimator's ``save`` keeps in the file (``settings["history"]``) when
    it starts at epoch 0 (``score_initial=True``: the report's curves count from there),
    else None: the report then shows ``settings["run"]``'s numbers (:func:`_run_notes`).
    ``glassnet train`` writes its record beside the model as ``history.json`` instead."""
    from glassnet.train.history import History

    saved = model.settings.get("history")
    try:
        history = History.from_dict(saved) if isinstance(saved, dict) else None
    except (ValueError, KeyError, TypeError):
        return None  # a damaged record: the report goes without it
    return history if history is not None and history.initial is not None else None


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
    from glassnet.views.explain import explain, model_input_names

    model, X, codes, _ = _model_inputs(args)
    if model.members is not None:
        raise NotApplicable(
            f"explain shows one network; {args.model} is an ensemble of {model.members}"
        )
    args.row = args.row or 0
    if not 0 <= args.row < len(X):
        raise NotApplicable(f"--row {args.row} is outside the data's {counted(len(X), 'row')}")
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
        input_names=model_input_names(model),
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
