"""What ``glassnet predict``, ``evaluate`` and ``export-onnx`` do, given parsed arguments.

Bad input raises :class:`glassnet.data.tables.DataError` (or another ``ValueError``); the CLI
turns it into one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.cli.checks import NotApplicable
from glassnet.cli.model_data import (
    TABLES,
    class_codes,
    features_for,
    model_table,
    prediction_rows,
    score,
    warn_filled,
    warn_unseen,
)
from glassnet.cli.replacing import Replaced
from glassnet.core._types import Array
from glassnet.data.columns import numeric_targets
from glassnet.data.tables import DataError
from glassnet.files.fileio import atomic_write
from glassnet.files.modelfile import Model, load_model
from glassnet.train.progress import loss_text
from glassnet.views.metrics import confusion_matrix, confusion_table


def predict(args: argparse.Namespace) -> int:
    """Predictions streamed block by block from ``--data`` to ``--out`` (or stdout)."""
    model = load_model(args.model)
    if args.proba and model.classes is None:
        raise NotApplicable("--proba needs a classifier; this model is a regressor")
    unseen: dict[str, int] = {}
    filled: dict[str, int] = {}
    blocks = _feature_blocks(model, args.data, args.target, (unseen, filled))
    if args.out:
        before = Replaced(args.out)
        counted: list[int] = []
        atomic_write(args.out, lambda fb: counted.append(_text(fb, model, blocks, args.proba)))
        warn_unseen(unseen)
        warn_filled(filled)
        before.note([args.out])
        print(f"wrote {counted[0]} predictions to {args.out}")
    else:
        write_predictions(sys.stdout, model, blocks, args.proba)
        warn_unseen(unseen)
        warn_filled(filled)
    return 0


def _feature_blocks(
    model: Model, data: str, target: str | None, counts: tuple[dict[str, int], dict[str, int]]
) -> Any:
    """The data's feature blocks, encoded as in training; ``counts`` gathers, per column,
    the cells of categories training never saw and the missing cells filled in columns
    that training saw complete."""
    from glassnet.data.blocks import feature_blocks
    from glassnet.data.encoding import strict_encoding

    encoding = model.encoding
    if encoding is None and Path(data).suffix.lower() in TABLES:
        names = model.feature_names or ()
        encoding = strict_encoding(names) if names else None
    for block in feature_blocks(data, encoding, target):
        if hasattr(block, "n_rows"):
            encoded = encoding.transform(block)  # type: ignore[union-attr]
            for seen, tally in zip(counts, (encoded.unseen, encoded.filled), strict=True):
                for name, count in tally.items():
                    seen[name] = seen.get(name, 0) + count
            block = encoded.X
        yield block


def write_predictions(f: Any, model: Model, blocks: Any, proba: bool) -> int:
    """Write a header and one CSV row per sample to the text stream ``f``; returns the count."""
    writer = csv.writer(f, lineterminator="\n")
    header, count = None, 0
    for X in blocks:
        if X.shape[1] != model.n_features:
            raise DataError(
                f"the model expects {model.n_features} features, the data has {X.shape[1]}"
            )
        lines, head = prediction_rows(model, X, proba)
        if header is None:
            header = head
            writer.writerow(head)
        writer.writerows(lines)
        count += len(lines)
        if getattr(f, "closed_pipe", False):  # standard output's reader went away (| head)
            break
    return count


def _text(fb: Any, model: Model, blocks: Any, proba: bool) -> int:
    """:func:`write_predictions` to the binary file ``fb``, as UTF-8 text."""
    f = io.TextIOWrapper(fb, encoding="utf-8", newline="")
    count = write_predictions(f, model, blocks, proba)
    f.flush()
    f.detach()
    return count


def evaluate(args: argparse.Namespace) -> int:
    """Accuracy, loss, per-class precision/recall/F1/support and the confusion matrix of a
    classifier; RMSE, MAE and R^2 per target of a regressor."""
    model = load_model(args.model)
    table = model_table(model, args.data, args.target)
    if table.n_unlabelled:
        print(f"left out {table.n_unlabelled} rows whose target {args.target!r} is empty")
    X = features_for(model, table)
    assert table.y is not None
    if model.classes is None:
        _evaluate_regressor(model, X, table.y, args.target)
    else:
        _evaluate_classifier(model, X, table.y, args.data, args.target)
    return 0


def _evaluate_regressor(model: Model, X: Array, targets: Array, target: str) -> None:
    """Mean loss (or the ensemble's spread), then RMSE, MAE and R^2 per target."""
    from glassnet.views.metrics import RegressionScores

    width = 1 if np.ndim(targets) == 1 else np.shape(targets)[1]
    if width != model.net.sizes[-1]:
        raise DataError(f"the model predicts {model.net.sizes[-1]} target(s), the data has {width}")
    y = numeric_targets(targets, f"target {target!r}", "this model is a regressor")
    if model.members is not None:
        from glassnet.cli.ensemble import spread

        print(f"samples {len(X)}  ensemble of {model.members}")
        trained = y if model.target_scaler is None else model.target_scaler.transform(
            np.reshape(y, (len(y), -1)), np.float64).reshape(np.shape(y))  # fmt: skip
        print(spread(model, X, trained, "data").line() + " (half squared error, in the "
              "targets' units)")  # fmt: skip
    else:
        result = score(model, X, y)
        print(f"samples {len(X)}  mean loss {loss_text(result.loss)} (half squared error, in the "
              "targets' units)")  # fmt: skip
    names = [str(target)] if width == 1 else None
    print("\n".join(RegressionScores.of(model.predict(X), y).lines(names)))


def _evaluate_classifier(
    model: Model, X: Array, labels: Array, path: str | None = None, column: str | None = None
) -> None:
    """Accuracy and mean loss (or the ensemble's spread), the per-class table and the
    confusion matrix."""
    from glassnet.data.batching import evaluate as score
    from glassnet.views.metrics import ClassScores

    assert model.classes is not None
    codes = class_codes(model, labels, path, column)
    predicted = class_codes(model, model.predict(X))
    scores = ClassScores.from_confusion(confusion_matrix(codes, predicted, len(model.classes)))
    names = [str(c) for c in model.classes]
    if model.members is not None:
        from glassnet.cli.ensemble import spread

        print(f"samples {len(X)}  ensemble of {model.members}")
        print(spread(model, X, codes, "data").line())
    else:
        dtype = model.params[0]["W"].dtype
        result = score(model.net, model.params, X, codes, scaler=model.scaler, dtype=dtype,
                       batch_size=model.block_rows())  # hidden layers of about 0.5M numbers
        loss = loss_text(result.loss)
        print(f"samples {len(X)}  accuracy {result.accuracy:.4f}  mean loss {loss}")
    print(scores.table(names))
    print(confusion_table(scores.confusion, names))


def export_onnx(args: argparse.Namespace) -> int:
    """``glassnet export-onnx --model MODEL.npz [--out MODEL.onnx]``."""
    from glassnet.onnx.export import export_onnx as export

    model = load_model(args.model)
    check_export_arguments(args, model)
    target = Path(args.out) if args.out else Path(args.model).with_suffix(".onnx")
    before = Replaced(target)
    out = export(model, target, args.opset, args.dtype, labels=not args.no_labels)
    before.note([out])
    dtype = args.dtype or model.params[0]["W"].dtype.name
    print(f"wrote {out} (opset {args.opset}, {dtype}, layers {model.net.sizes})")
    return 0


def check_export_arguments(args: argparse.Namespace, model: Model) -> None:
    """``--no-labels`` of a regressor and an ``--opset`` newer than the installed onnx
    knows are bad arguments (exit 2), said before anything is written."""
    import onnx

    from glassnet.cli.checks import UsageError

    if args.no_labels and model.classes is None:
        raise UsageError("--no-labels does not apply to a regressor (it has no label output)")
    newest = onnx.defs.onnx_opset_version()
    if args.opset > newest:
        raise UsageError(f"--opset {args.opset}: the installed onnx writes opsets 13 to {newest}")
