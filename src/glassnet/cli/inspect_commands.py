"""What ``glassnet report`` and ``glassnet explain --model`` do with a saved classifier."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from glassnet.cli.commands import class_codes, features_for, model_table
from glassnet.core._types import Array
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model, load_model


def _model_inputs(args: argparse.Namespace) -> tuple[Model, Array, Array, bool]:
    """The model, its raw input rows and class codes (true ones with --target, else predicted)."""
    model = load_model(args.model)
    if model.classes is None:
        raise DataError(f"glassnet {args.command} shows classifiers; this model is a regressor")
    table = model_table(model, args.data, args.target)
    X = features_for(model, table)
    labels = table.y if args.target is not None and table.y is not None else None
    codes = class_codes(model, labels if labels is not None else model.predict(X))
    return model, X, codes, labels is not None


def report(args: argparse.Namespace) -> int:
    from glassnet.train.history import History
    from glassnet.views.report import write_report
    from glassnet.views.run_report import report_data

    model, X, codes, labelled = _model_inputs(args)
    history_file = Path(args.model).parent / "history.json"
    history = None
    if history_file.is_file():
        try:
            saved = json.loads(history_file.read_text())
            if saved.get("model") == Path(args.model).name:  # not another model's history
                history = History.from_dict(saved)
        except (ValueError, KeyError, TypeError, AttributeError):
            history = None  # a damaged history: the report goes without it
    notes = [
        ("data", str(args.data)),
        ("classes shown", "true labels" if labelled else "predicted (no --target given)"),
    ]
    data = report_data(
        f"glassnet report: {args.model}", model, X, codes, np.arange(len(X)), history, notes=notes
    )
    path = write_report(args.out, data)
    print(f"wrote {path}")
    return 0


def explain_model(args: argparse.Namespace) -> int:
    from glassnet.data.batching import targets_for
    from glassnet.views.explain import explain

    model, X, codes, _ = _model_inputs(args)
    if not 0 <= args.row < len(X):
        raise DataError(f"--row {args.row} is outside the data's {len(X)} rows")
    rows = slice(args.row, args.row + args.rows)
    X_in = model.inputs(X[rows])
    text, passed = explain(
        model.net,
        model.params,
        X_in,
        targets_for(model.net, codes[rows], np.float64),
        show=args.rows,
    )
    print(text)
    return 0 if passed else 1
