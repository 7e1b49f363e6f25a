"""What ``glassnet explain --model`` does with a saved classifier: one forward and backward
pass on a batch of the data, explained (:func:`glassnet.views.explain.explain`)."""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from glassnet.cli.checks import NotApplicable
from glassnet.cli.model_data import class_codes, features_for, model_table
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
