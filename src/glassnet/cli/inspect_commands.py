"""What ``glassnet report`` does with a saved model (classifiers and, with ``--target``,
regressors); ``glassnet explain --model`` is in :mod:`glassnet.cli.explain_model`
(:func:`explain_model` also importable from here)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.cli.checks import NotApplicable
from glassnet.cli.default_outs import default_report_path as default_report_path
from glassnet.cli.ensemble_saved import ensemble_report
from glassnet.cli.explain_model import explain_model
from glassnet.files.modelfile import Model, load_model

__all__ = ["explain_model", "model_history", "report", "stored_history"]


def report(args: argparse.Namespace) -> int:
    """``glassnet report MODEL --data FILE``: the file read a block at a time, every row
    scored, a sample of rows shown (:mod:`glassnet.cli.report_rows`)."""
    from glassnet.cli.page_write import write_page
    from glassnet.cli.report_rows import scored_rows
    from glassnet.views.report import build_report
    from glassnet.views.run_report import report_data

    model = load_model(args.model)
    if model.classes is None and args.target is None:
        raise NotApplicable("glassnet report of a regressor needs --target: the true values its "
                            "predictions are compared with")  # fmt: skip
    labelled = args.target is not None
    out = Path(args.out) if args.out else default_report_path(args.model, args.data, labelled)
    rows = scored_rows(model, args.data, args.target)
    if model.members is not None:
        return ensemble_report(model, rows, args, out)
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
    return write_page(out, build_report(data)[0])  # a stop signal meanwhile: said there


def _scores_of_all(model: Model, sums: Any, labelled: bool) -> list[tuple[str, str]]:
    """A classifier's accuracy and mean loss on every row (the sample's are shown too)."""
    from glassnet.train.progress import loss_text

    if model.classes is None or not labelled or model.members is not None:
        return []
    n = sums.n
    return [(f"accuracy on all {n} rows", f"{sums.right / n:.2%}"),
            (f"mean loss on all {n} rows", loss_text(sums.loss / n))]  # fmt: skip


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
    """The record an estimator's ``save`` keeps in the file (``settings["history"]``): its
    curves from epoch 0 with ``score_initial=True``, else from epoch 1; None when there is
    none (the report then shows ``settings["run"]``'s numbers: :func:`_run_notes`).
    ``glassnet train`` writes its record beside the model as ``history.json`` instead."""
    from glassnet.train.history import History

    saved = model.settings.get("history")
    try:
        history = History.from_dict(saved) if isinstance(saved, dict) else None
    except (ValueError, KeyError, TypeError):
        return None  # a damaged record: the report goes without it
    return history if history is not None and history.rows() else None


def _run_notes(model: Model) -> list[tuple[str, str]]:
    """What the model file says of its run, when its history file is not at hand."""
    run = model.settings.get("run")
    if not isinstance(run, dict):
        return []
    notes = [("epochs trained", str(run.get("epochs"))), ("kept epoch", str(run.get("kept_epoch")))]
    for split, score in (run.get("final") or {}).items():
        notes.append((f"final {split} loss (kept parameters)", f"{score.get('loss'):.6g}"))
    return notes
