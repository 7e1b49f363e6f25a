"""A saved model applied to a data file: its columns read by name (:func:`model_table`;
which data it takes is :mod:`glassnet.cli.model_inputs`'s),
encoded as in training (:func:`features_for`), labels mapped to class codes
(:func:`class_codes`) and predictions as columns or CSV rows (:func:`prediction_columns`,
:func:`prediction_rows`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

# which data a model takes (glassnet.cli.model_inputs), importable from here as before
from glassnet.cli.model_inputs import TABLES as TABLES
from glassnet.cli.model_inputs import check_table as check_table
from glassnet.cli.model_inputs import check_width as check_width
from glassnet.cli.model_inputs import model_columns
from glassnet.cli.model_inputs import trained_on_arrays as trained_on_arrays
from glassnet.cli.model_inputs import width_error as width_error
from glassnet.core._types import Array
from glassnet.core.wording import counted, noun
from glassnet.data.batching import Score, evaluate
from glassnet.data.cell_counts import FILLED, UNSEEN, cells_line
from glassnet.data.preprocessing import LOSS_IN_UNITS, predictions_loss_name
from glassnet.data.tables import DataError, Table, load_table
from glassnet.data.written_labels import labels_like
from glassnet.files.modelfile import Model

__all__ = [
    "class_codes", "count_off", "features_for", "model_table", "off_constants",
    "prediction_columns", "prediction_rows", "score", "warn_filled", "warn_off", "warn_unseen",
]  # fmt: skip


def model_table(model: Model, path: str, target: str | None, require_target: bool = True) -> Table:
    """Read the data a model is applied to: from a table, the model's columns by name
    (other columns, such as the target, are ignored); from arrays, by position."""
    from glassnet.data.errors import UnknownColumn

    by_name = Path(path).suffix.lower() in TABLES and bool(model.feature_names)
    check_table(model, path)
    features = model_columns(model) if by_name else ()
    try:
        return load_table(path, target, features, require_target)
    except UnknownColumn as exc:
        if exc.name is not None and exc.name in features and exc.name != target:
            raise DataError(_missing(path, features) or str(exc)) from None  # bad data
        raise


def _missing(path: str, features: tuple[str, ...]) -> str | None:
    """``FILE: missing feature columns: a, b`` (every one, as ``predict`` says it), or None
    when the table's header cannot be read."""
    from glassnet.cli.predictions_file import table_columns

    held = table_columns(path)
    absent = [name for name in features if held is not None and name not in held]
    return f"{path}: missing feature columns: {', '.join(absent)}" if absent else None


def features_for(model: Model, table: Table, path: str | None = None) -> Array:
    """The table's features, encoded as in training and checked against the model (its
    feature count, and rows too far out to score: :mod:`glassnet.cli.far_rows`); errors
    name the file ``path`` (default: the table's own, else ``--data``)."""
    if table.frame is not None:
        encoded = model.encode(table.frame, impute=True)
        warn_unseen(encoded.unseen)
        warn_filled(encoded.filled)
        X = encoded.X
    else:
        X = np.asarray(table.arrays)
    from glassnet.cli.far_rows import check_reach

    frame = table.frame
    path = path or (frame.where if frame is not None else "--data")
    check_width(model, X, path)
    check_reach(model, X, frame.locate if frame is not None else _data_row, path)
    return X


def _data_row(i: int) -> str:
    return f"data row {i + 1}"


def warn_unseen(unseen: dict[str, int]) -> None:
    """One line on stderr counting cells of categories that training never saw."""
    _warn_cells(unseen, "cell", UNSEEN)


def warn_filled(filled: dict[str, int]) -> None:
    """One line on stderr counting missing cells filled in columns that had none in
    training (the model never saw them missing; a number gets the training median, a
    category all zeros)."""
    _warn_cells(filled, "missing cell", FILLED)


def off_constants(model: Model) -> tuple[dict[int, float], dict[str, int]]:
    """The features ``model`` holds of one value in every training row, taken from it (so
    that its ``predict`` does not warn on each block), and a tally for the cells of new
    rows off those values, counted over every block (``count_off``) and said once
    (:func:`warn_off`)."""
    constants, model.constants = model.constants or {}, None
    return constants, {}


def count_off(off: tuple[dict[int, float], dict[str, int]] | None, X: Any, names: Any) -> None:
    """Add the cells of the block ``X (B, D)`` off the training values to the tally ``off``."""
    from glassnet.data.constant_columns import off_counts

    if off is not None and off[0]:
        for name, count in off_counts(X, off[0], tuple(names or ())).items():
            off[1][name] = off[1].get(name, 0) + count


def warn_off(off: tuple[dict[int, float], dict[str, int]]) -> None:
    """One line on stderr counting cells that differ from the one value their column held in
    every training row (its weights never trained; NU11 #21)."""
    from glassnet.data.constant_columns import OFF

    _warn_cells(off[1], "cell", OFF)


def _warn_cells(counts: dict[str, int], cell: str, what: str) -> None:
    """``warning: N <what> (column count, ...)`` on stderr, when any cell was counted."""
    if counts:
        print(f"warning: {cells_line(counts, cell, what)}", file=sys.stderr)


def class_codes(
    model: Model, y: Array, path: str | None = None, column: str | None = None,
    locate: Callable[[int], str] | None = None,
) -> Array:
    """Map labels to the model's class indices; labels it never saw are an error naming
    the first such cell: where it is (``locate(i)`` of row ``i`` of ``y``: ``"line 7"``;
    else the line of row ``i`` of ``path``, a CSV), the ``column`` and the value."""
    assert model.classes is not None
    y = labels_like(y, model.classes)  # '007' against text classes, 7 against numbers
    lookup = {c: i for i, c in enumerate(model.classes.tolist())}  # 1 == 1.0; "1" != 1
    labels, inverse = np.unique(np.asarray(y), return_inverse=True)  # the few distinct labels
    unseen = sorted({str(v) for v in labels.tolist() if v not in lookup})
    if unseen:
        raise DataError(_never_seen(model, y, unseen, path, column, locate))
    codes = np.array([lookup[v] for v in labels.tolist()], dtype=np.intp)
    return codes[inverse.reshape(-1)]


def _never_seen(
    model: Model, y: Array, unseen: list[str], path: str | None, column: str | None,
    locate: Callable[[int], str] | None,
) -> str:
    """``data.csv: line 7, column 'diagnosis': label 'unknown' the model never saw (it
    knows 'benign', 'malignant'); 1 row holds such labels: 'unknown'``."""
    from glassnet.data.csvread import line_numbers

    known = model.classes.tolist() if model.classes is not None else []
    lookup = set(known)  # the same equality as class_codes: 1 == 1.0, "1" != 1
    values = np.asarray(y).tolist()
    rows = [i for i, v in enumerate(values) if v not in lookup]
    first = rows[0]
    csv = path is not None and Path(path).suffix.lower() == ".csv"
    where = (locate(first) if locate else line_numbers(Path(path))(first) if csv and path
             else f"data row {first + 1}")  # fmt: skip
    place = (f"{path}: {where}" if path else "") + (f", column {column!r}" if column else "")
    hold = f"{counted(len(rows), 'row')} {noun(len(rows), 'holds')}"
    said = (f"label {values[first]!r} the model never saw (it knows "
            f"{', '.join(map(repr, known[:10]))}); {hold} such labels: "
            f"{', '.join(map(repr, unseen[:10]))}")  # fmt: skip
    return f"{place}: {said}" if place else said


def prediction_rows(model: Model, X: Array, proba: bool) -> tuple[list[list[Any]], list[str]]:
    """CSV rows of predictions (and probabilities) for the rows of ``X``, and the header
    (:func:`prediction_columns`, row by row). Every number is written in full (``repr``:
    it reads back as the same float)."""
    header, columns = prediction_columns(model, X, proba)
    rows = [list(row) for row in zip(*(c.tolist() for c in columns), strict=True)]
    return rows, header


def prediction_columns(model: Model, X: Array, proba: bool) -> tuple[list[str], list[Array]]:
    """The header and the columns ``(N,)`` of predictions (and probabilities) for the rows
    of ``X``: the labels (or a regressor's ``k`` outputs), then with ``proba`` one
    probability per class, the labels decided from the same outputs (one forward pass)."""
    if proba:
        assert model.classes is not None
        Y = model.outputs(X)  # (N, C); a two-class model's one unit: P(classes[1])
        values = model.classes[model.net.decide(Y)].reshape(len(X), 1)
        P = np.column_stack([1 - Y[:, 0], Y[:, 0]]) if Y.shape[1] == 1 else Y
    else:
        values = np.asarray(model.predict(X)).reshape(len(X), -1)  # (N, k): k > 1 outputs
    k = values.shape[1]
    names = list(model.settings.get("targets", ()))  # a table's several targets, named
    names = names if len(names) == k else list(range(k))
    header = ["prediction"] if k == 1 else [f"prediction_{j}" for j in names]
    columns = [values[:, j] for j in range(k)]
    if proba:
        header += [f"proba_{c}" for c in model.classes]  # type: ignore[union-attr]
        columns += [P[:, j] for j in range(P.shape[1])]
    return header, columns


def score(
    model: Model, X: Any, y: Array, rows: Array | None = None, in_units: bool | None = None
) -> Score:
    """Mean loss per sample (and accuracy) of ``model`` on ``rows`` of ``(X, y)``: class
    codes for a classifier; for a regressor the targets in their own units, the loss the
    half squared error of the predictions (in those units squared; averaged over the target
    columns, as the identity head's mean is, whatever their scales), or, with
    ``in_units=False`` or where a scale's square is out of float range, of each column
    over its scale squared (``in_units`` None: as
    :func:`glassnet.data.preprocessing.predictions_loss_name` says)."""
    dtype = model.params[0]["W"].dtype
    if model.classes is not None or model.target_scaler is None:
        return evaluate(model.net, model.params, X, y, rows, model.scaler, dtype)
    if predictions_loss_name(model.target_scaler) != LOSS_IN_UNITS:
        in_units = False  # no safe factor
    rows = np.arange(X.shape[0]) if rows is None else rows
    scale = np.asarray(model.target_scaler.scale, dtype=np.float64)
    divisor = np.ones_like(scale) if in_units is not False else scale  # D / scale: finite
    total = 0.0
    for start in range(0, len(rows), 8192):
        r = np.sort(rows[start : start + 8192])
        D = np.asarray(model.predict(np.asarray(X[r]))).reshape(len(r), -1) - np.asarray(
            y[r], dtype=np.float64
        ).reshape(len(r), -1)
        Z = D / divisor
        total += 0.5 * float(np.mean(Z * Z, axis=1).sum())  # the mean over the columns
    return Score(total / len(rows), None)
