"""What ``glassnet explain --model`` does with a saved classifier: one forward and backward
pass on a batch of the data, explained (:func:`glassnet.views.explain.explain`).

Rows are named by the file's own data-row numbers (counted from 0, as ``--row`` counts
them), also when rows whose target cell is empty were left out (said, as ``evaluate``
says it). The update is the model's optimizer, read from its stored settings
(:mod:`glassnet.cli.explain_update`)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

from glassnet.cli.checks import NotApplicable
from glassnet.cli.explain_update import Stored, l2_words, optimizer_of
from glassnet.cli.model_data import class_codes, features_for, model_table
from glassnet.core._types import Array
from glassnet.core.wording import counted, noun
from glassnet.files.modelfile import Model, load_model


@dataclass(frozen=True)
class ModelRows:
    """A classifier's data as explain reads it: ``X (M, D)`` raw features, ``codes (M,)``
    class indices (true ones when ``labelled``, else predicted), ``positions (M,)`` each
    row's data-row number in the file, ``n_file`` the file's data rows, ``n_unlabelled``
    the rows left out because their target cell is empty."""

    model: Model
    X: Array
    codes: Array
    labelled: bool
    positions: Array
    n_file: int
    n_unlabelled: int


def _model_inputs(args: argparse.Namespace) -> ModelRows:
    """The model, its raw input rows and class codes (true ones with --target, else
    predicted), and where each row is in the file."""
    model = load_model(args.model)
    if model.classes is None:
        raise NotApplicable(f"glassnet {args.command} shows classifiers; this model is a regressor")
    table = model_table(model, args.data, args.target)
    X = features_for(model, table, args.data)
    labels = table.y if args.target is not None and table.y is not None else None
    codes = (
        class_codes(model, labels, args.data, args.target,
                    table.frame.locate if table.frame is not None else None)
        if labels is not None
        else class_codes(model, model.predict(X))
    )  # fmt: skip
    positions = np.arange(len(X)) if table.frame is None else np.asarray(table.frame.positions)
    n_file = len(X) if table.frame is None else table.frame.n_read
    return ModelRows(model, X, codes, labels is not None, positions, n_file, table.n_unlabelled)


BATCH = 256  # rows in the pass of ``explain --model``: the shown ones first


def spans(positions: Array, most: int = 4) -> str:
    """Data-row numbers (increasing) as ranges: ``"row 7"``, ``"rows 3-9, 12-76"``; past
    ``most`` ranges the middle ones are counted, not listed."""
    p = np.asarray(positions, dtype=np.int64)
    cuts = np.flatnonzero(np.diff(p) != 1) + 1
    runs = [(int(r[0]), int(r[-1])) for r in np.split(p, cuts)]
    text = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    if len(text) > most:
        text = [*text[: most - 1], f"... ({counted(len(runs) - most, 'more range')})", text[-1]]
    return f"{noun(len(p), 'row')} {', '.join(text)}"


def _batch(rows: ModelRows, args: argparse.Namespace) -> slice:
    """The batch from data row ``--row`` on (at most :data:`BATCH` labelled rows), as a slice
    of ``rows``; refused when ``--row`` is past the file or no row from it on has a label."""
    if not 0 <= args.row < rows.n_file:
        raise NotApplicable(f"--row {args.row} is outside the data's {counted(rows.n_file, 'row')}")
    start = int(np.searchsorted(rows.positions, args.row))
    if start == len(rows.positions):
        last = rows.n_file - 1
        which = f"row {last}" if args.row == last else f"rows {args.row}-{last}"
        have = "has" if args.row == last else "all have"
        raise NotApplicable(
            f"--row {args.row}: {which} of {args.data} {have} an empty "
            f"{args.target!r}, so no row from {args.row} on has a label to explain"
        )
    return slice(start, min(start + BATCH, len(rows.X)))


def _l2(stored: Stored, X: Array, T: Array, reduction: str) -> tuple[float, list[str]]:
    """The L2 scale ``s`` of a training step on this batch (the loop's
    :func:`~glassnet.train.epochs.l2_scale`) and the line saying where it comes from."""
    from glassnet.data.batching import Batch
    from glassnet.train.epochs import l2_scale
    from glassnet.train.state import TrainConfig

    if not (stored.weight_decay or stored.alpha) or stored.optimizer is None:
        return 0.0, []
    config = TrainConfig(weight_decay=stored.weight_decay, alpha=stored.alpha)
    scale = l2_scale(config, reduction, Batch(X, T, None))
    words = l2_words(stored.weight_decay, stored.alpha, len(X), reduction)
    return scale, [f"its L2 penalty's scale: s = {words}"]


def explain_model(args: argparse.Namespace) -> int:
    """``explain --model``: one pass on a batch of the data (at most :data:`BATCH` rows from
    data row ``--row`` on); ``--rows K``, as without ``--model``, is the number of samples
    shown."""
    from glassnet.data.batching import targets_for
    from glassnet.views.explain import explain, model_input_names

    rows = _model_inputs(args)
    model = rows.model
    if model.members is not None:
        raise NotApplicable(
            f"explain shows one network; {args.model} is an ensemble of {model.members}"
        )
    args.row = args.row or 0
    batch = _batch(rows, args)
    if rows.n_unlabelled:
        left = counted(rows.n_unlabelled, "row")
        print(f"left out {left} whose target {args.target!r} is empty")
    where = f"{spans(rows.positions[batch])} of {args.data}"
    inputs = (
        f"standardized inputs (x - mean) / std with the training statistics, {where}"
        if model.scaler is not None
        else f"input samples as stored, {where}"
    )
    targets = "targets T, one row per sample" if rows.labelled else (
        "targets T: the model's own predicted classes (no --target given), one row per sample\n"
        "    so the loss, the errors and the step below are measured against the model's own\n"
        "    answers, not the data's labels (--target COLUMN gives the data's loss)"
    )
    X, T = model.inputs(rows.X[batch]), targets_for(model.net, rows.codes[batch], np.float64)
    stored = optimizer_of(model)
    l2, notes = _l2(stored, X, T, model.net.head.reduction)
    text, passed = explain(
        model.net, model.params, X, T, show=args.rows, optimizer=stored.optimizer,
        inputs=inputs, input_names=model_input_names(model),
        classes=list(model.classes) if model.classes is not None else None,
        targets=targets, update_notes=stored.notes + notes, l2=l2,
    )  # fmt: skip
    print(text)
    return 0 if passed else 1
