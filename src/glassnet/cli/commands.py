"""What ``glassnet train``, ``predict`` and ``evaluate`` do, given parsed arguments.

Bad input raises :class:`glassnet.data.tables.DataError` (or another ``ValueError``); the CLI
turns it into one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.cli.stops import exit_code, signal_name
from glassnet.core._types import Array
from glassnet.data.tables import DataError, Table, load_table
from glassnet.files.fileio import (
    WriteError,
    atomic_write,
    save_figure,
    signals_deferred,
    write_json,
)
from glassnet.files.modelfile import Model, load_model, save_model
from glassnet.views.metrics import confusion_matrix, confusion_table

RECIPE_FLAGS = {
    "hidden": "hidden",
    "activation": "activation",
    "optimizer": "optimizer",
    "lr": "learning_rate",
    "momentum": "momentum",
    "epochs": "epochs",
    "batch_size": "batch_size",
    "val_fraction": "val_size",
    "test_fraction": "test_size",
    "patience": "patience",
    "seed": "seed",
    "dtype": "dtype",
    "weight_decay": "weight_decay",
    "task": "task",
}


def recipe_from_args(args: argparse.Namespace) -> Any:
    """The preset (or defaults) with every flag the user gave laid over it."""
    from glassnet.cli.workflow import PRESETS, Recipe
    from glassnet.core.schedules import get_schedule

    name = args.preset or ("digits" if args.dataset == "digits" else None)
    recipe = PRESETS[name] if name else Recipe()
    changes = {
        field: getattr(args, flag)
        for flag, field in RECIPE_FLAGS.items()
        if getattr(args, flag) is not None
    }
    if args.batch_size == 0:
        changes["batch_size"] = None  # full batch
    if args.patience == 0 or args.val_fraction == 0:
        changes["patience"] = None  # no early stopping: the last epoch is kept
    if args.no_standardize:
        changes["standardize"] = False
    if args.schedule is not None:
        changes["schedule"] = get_schedule(args.schedule)
    try:
        return dataclasses.replace(recipe, **changes)
    except ValueError as exc:
        raise DataError(str(exc)) from None


def training_data(args: argparse.Namespace) -> tuple[Any, Array, tuple[str, ...], str]:
    """``(X or a Frame of table columns, y, feature names, description)`` from ``--dataset``
    or ``--data/--target`` (with ``--features``/``--drop``); says how many rows had no target."""
    if args.dataset:
        from glassnet.data.datasets import load_dataset

        X, y = load_dataset(args.dataset, np.random.default_rng(args.seed or 0), args.n_samples)
        return X, y, tuple(f"x{j}" for j in range(X.shape[1])), f"the {args.dataset} data set"
    table = load_table(args.data, args.target, _names(args.features), True, _names(args.drop))
    assert table.y is not None
    if table.n_unlabelled:
        print(f"left out {table.n_unlabelled} rows whose target {args.target!r} is empty")
    data = table.frame if table.frame is not None else table.arrays
    return data, table.y, table.feature_names, str(args.data)


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip()) if text else ()


def train(args: argparse.Namespace) -> int:
    from glassnet.cli.workflow import RunStopped, train_model
    from glassnet.train.progress import progress

    if args.ensemble > 1:
        from glassnet.cli.ensemble import train_ensemble

        return train_ensemble(args, *training_data(args), recipe_from_args(args))
    X, y, names, source = training_data(args)
    recipe = recipe_from_args(args)
    out = Path(args.out)
    checkpoint = out.with_name(out.name.removesuffix(".npz") + ".ckpt.npz")
    if args.resume and not checkpoint.is_file():
        raise DataError(f"{checkpoint}: no checkpoint to resume from")
    shape = (X.n_rows, len(X.names)) if hasattr(X, "n_rows") else X.shape
    print(f"training on {source}: {shape[0]} samples, {shape[1]} feature columns", flush=True)
    if not recipe.val_size:
        print(
            "no validation set (--val-fraction 0): training on all rows other than the test "
            "set; early stopping is off and the last epoch is kept",
            flush=True,
        )
    elif recipe.patience is None:
        print("no early stopping (--patience 0): the last epoch is kept", flush=True)
    tick, close = progress(recipe.epochs, mode=args.progress)
    try:
        outcome = train_model(
            X, y, recipe, names, (tick,), checkpoint, args.resume, True, notify=_say
        )
    except RunStopped as stop:
        close()
        return _stopped(stop, out, checkpoint)
    except KeyboardInterrupt:  # before the loop began or after it ended: nothing to save here
        close()
        return _interrupted_outside_the_loop(checkpoint)
    close()
    history = outcome.result.history
    _note_replacing(out, "model")
    written: list[Path] = []
    try:
        with signals_deferred():  # a signal now acts once the model is saved
            save_model(outcome.model, out)
            checkpoint.unlink(missing_ok=True)
            written.append(out)
        for line in data_lines(outcome):
            print(line)
        _write_extras(outcome, history, out, outcome.X, source, written)
    except KeyboardInterrupt:
        if not written:
            return _interrupted_outside_the_loop(checkpoint)
        print(
            f"\ninterrupted by {signal_name()} after training: the model is saved in {out}; "
            "its history, loss plot or report may be missing",
            file=sys.stderr,
        )
        return exit_code()
    except OSError as exc:
        raise WriteError(exc.errno or 0, f"{exc}; {_what_was_kept(written, checkpoint)}") from None
    for line in summary_lines(history, outcome.rows):
        print(line)
    print("wrote " + ", ".join(map(str, written)))
    return 0


def _interrupted_outside_the_loop(checkpoint: Path) -> int:
    left = (
        f"the checkpoint {checkpoint} holds the run so far: rerun with --resume to finish it"
        if checkpoint.is_file()
        else "nothing was written"
    )
    print(f"\ninterrupted by {signal_name()}; {left}", file=sys.stderr)
    return exit_code()


def _what_was_kept(written: list[Path], checkpoint: Path) -> str:
    if written:
        return "already written and kept: " + ", ".join(map(str, written))
    return (
        f"nothing was written; the checkpoint {checkpoint} holds the trained state: "
        "fix the problem and rerun with --resume to save the model"
    )


def data_lines(outcome: Any) -> list[str]:
    """The task and why; each encoded column (categories, missing values and their fill)."""
    model = outcome.model
    task = "classification" if model.classes is not None else "regression"
    other = "regression" if task == "classification" else "classification"
    lines = [f"task: {task} ({outcome.task_reason}); --task {other} overrides it"]
    if model.target_scaler is not None:
        mean, scale = model.target_scaler
        lines.append(
            f"targets standardized for training (mean {_num(mean)}, std {_num(scale)}); "
            "predictions and losses are in the targets' units"
        )
    lines += encoding_lines(model.encoding)
    return lines


def _num(values: Array) -> str:
    return ", ".join(f"{v:.6g}" for v in np.ravel(values))


def encoding_lines(encoding: Any) -> list[str]:
    """One line per categorical column and per column with missing values."""
    if encoding is None:
        return []
    lines = []
    for c in encoding.columns:
        if c.kind == "category":
            lines.append(f"column {c.name!r}: {len(c.categories)} categories one-hot encoded"
                         + (f" ({len(c.pooled)} rare ones as (other))" if c.pooled else ""))
        if c.n_missing:
            fill = (
                "category (missing)"
                if c.kind == "category"
                else f"filled with the median {c.fill:.6g}, plus a was-missing column"
            )
            share = f"{c.n_missing} missing ({c.share_missing:.1%})"
            lines.append(f"column {c.name!r}: {share}, {fill}")
    return lines


def _say(message: str) -> None:
    print(message, flush=True)


def summary_lines(history: Any, rows: dict[str, Any]) -> list[str]:
    """The console summary, from the run's record (the same numbers as the report)."""
    best, kept = history.lowest_epoch(), history.kept_epoch
    line = (
        f"stopped after {history.epochs} epochs ({history.stop_reason}); kept the "
        f"parameters of epoch {kept}"
    )
    if best is not None and best != kept:
        line += f"; the lowest monitored loss was at epoch {best}"
    lines = [line]
    if history.initial is not None:
        lines.append(f"{'epoch 0':>10}: loss {history.initial.loss:.4f} (the initial parameters)")
    for split, score in history.final.items():
        acc = f", accuracy {score['accuracy']:.2%}" if score.get("accuracy") is not None else ""
        lines.append(
            f"{split:>10}: {len(rows[split])} samples, loss {score['loss']:.4f}{acc} "
            f"(the kept parameters, epoch {kept})"
        )
    return lines


def _note_replacing(path: Path, what: str) -> None:
    """Say so when ``path`` already exists and is about to be replaced."""
    if path.exists():
        print(f"note: replacing the {what} in {path}")


def extras_paths(out: Path) -> dict[str, Path]:
    """Where ``history.json``, ``loss.png`` and ``report.html`` of the model ``out`` go:
    beside it under those names, unless another model's files already hold them; then
    under ``<model stem>.history.json`` and so on, so that nothing is replaced silently."""
    plain = {k: out.parent / k for k in ("history.json", "loss.png", "report.html")}
    owner = _history_owner(plain["history.json"])
    if owner == out.name or not any(p.exists() for p in plain.values()):
        return plain
    stem = out.name.removesuffix(".npz")
    named = {k: out.parent / f"{stem}.{k}" for k in plain}
    held = f"the files of {owner}" if owner else "files another command wrote"
    print(
        f"note: {out.parent} holds {held} ({', '.join(k for k in plain if plain[k].exists())});"
        f" this run's go to {', '.join(p.name for p in named.values())}"
    )
    return named


def _history_owner(path: Path) -> str | None:
    try:
        owner = json.loads(path.read_text()).get("model") if path.is_file() else None
    except (ValueError, AttributeError, OSError):
        owner = None
    return owner if isinstance(owner, str) else None


def _write_extras(
    outcome: Any, history: Any, out: Path, X: Any, source: str, written: list[Path]
) -> None:
    """``history.json``, ``loss.png`` and ``report.html`` beside the model;
    each path is added to ``written`` once it is."""
    paths = extras_paths(out)
    write_json(paths["history.json"], {"model": out.name, **history.as_dict()})
    written.append(paths["history.json"])
    save_figure(loss_figure(history), paths["loss.png"])
    written.append(paths["loss.png"])
    if outcome.observer is not None and outcome.codes is not None:
        from glassnet.views.report import write_report
        from glassnet.views.run_report import report_data

        notes = [
            (f"{split} accuracy (kept parameters)", f"{score.accuracy:.2%}")
            for split, score in outcome.scores.items()
            if score.accuracy is not None
        ]
        notes += [("task", data_lines(outcome)[0].removeprefix("task: "))]
        notes += [_split_line(line) for line in encoding_lines(outcome.model.encoding)]
        data = report_data(
            f"glassnet train: {source}",
            outcome.model,
            X,
            outcome.codes,
            outcome.rows["train"],
            history,
            outcome.observer,
            notes,
            splits=outcome.rows,  # a regressor's report scores each split
        )
        written.append(write_report(paths["report.html"], data))


def _split_line(line: str) -> tuple[str, str]:
    """``"column 'age': 3 missing ..."`` as a report note ``("column 'age'", "3 missing ...")``."""
    name, _, text = line.partition(": ")
    return name, text


def _stopped(stop: Any, out: Path, checkpoint: Path) -> int:
    """Ctrl-C or divergence: save what is worth keeping, atomically, and say where."""
    from glassnet.train.loop import TrainingInterrupted

    history = stop.cause.result.history
    if not isinstance(stop.cause, TrainingInterrupted):
        save_model(stop.model, out)
        raise DataError(f"{stop}; saved those parameters to {out}")
    resume = f"the checkpoint {checkpoint} lets --resume continue the run"
    try:
        with signals_deferred():  # a second signal cannot cut this save short
            save_model(stop.model, out)
            print(
                f"\ninterrupted after {history.epochs} epochs by {signal_name()}: saved "
                f"the best parameters so far (epoch {history.best_epoch}) to {out}; {resume}",
                file=sys.stderr,
            )
    except OSError as exc:
        print(f"\ninterrupted by {signal_name()}; {exc}; {resume}", file=sys.stderr)
    except KeyboardInterrupt:
        pass  # only the first signal raises (glassnet.cli.stops); this one came from elsewhere
    return exit_code()


def loss_figure(history: Any) -> Any:
    """``loss.png``: the loss of every epoch from epoch 0 (the initial parameters), with the
    best and the kept epoch marked."""
    from glassnet.views.plotting import plot_loss

    rows = history.rows()
    val = [r.val_loss for r in rows]
    best, kept = history.lowest_epoch(), history.kept_epoch
    offset = rows[0].epoch if rows else 0
    both = "best and kept" if best == kept else "kept"
    marks = [(f"{both} epoch ({kept})", kept - offset)]
    if best is not None and best != kept:
        marks.insert(0, (f"best epoch ({best})", best - offset))
    return plot_loss(
        [r.loss for r in rows],
        val if val and val[-1] is not None else None,
        xlabel="epoch",
        ylabel=history.loss_unit or "loss",  # a regressor's: in the target's units
        title="Mean loss per sample (epoch 0: the initial parameters)",
        marks=marks,
    )


def model_table(model: Model, path: str, target: str | None, require_target: bool = True) -> Table:
    """Read the data a model is applied to: from a table, the model's columns by name
    (other columns, such as the target, are ignored); from arrays, by position."""
    by_name = Path(path).suffix.lower() in TABLES and bool(model.feature_names)
    features = _columns(model) if by_name else ()
    return load_table(path, target, features, require_target)


TABLES = (".csv", ".parquet", ".pq")


def _columns(model: Model) -> tuple[str, ...]:
    return model.encoding.names if model.encoding is not None else model.feature_names


def features_for(model: Model, table: Table) -> Array:
    """The table's features, encoded as in training and checked against the model."""
    if table.frame is not None:
        encoded = model.encode(table.frame)
        warn_unseen(encoded.unseen)
        X = encoded.X
    else:
        X = np.asarray(table.arrays)
    if X.shape[1] != model.n_features:
        raise DataError(f"the model expects {model.n_features} features, the data has {X.shape[1]}")
    return X


def warn_unseen(unseen: dict[str, int]) -> None:
    """One line on stderr counting cells of categories that training never saw."""
    if unseen:
        parts = ", ".join(f"{name} {count}" for name, count in unseen.items())
        print(
            f"warning: {sum(unseen.values())} cells hold categories unseen in training, "
            f"encoded as all zeros ({parts})",
            file=sys.stderr,
        )


def predict(args: argparse.Namespace) -> int:
    """Predictions streamed block by block from ``--data`` to ``--out`` (or stdout)."""
    from glassnet.data.blocks import feature_blocks
    from glassnet.data.encoding import strict_encoding

    model = load_model(args.model)
    if args.proba and model.classes is None:
        raise DataError("--proba needs a classifier; this model is a regressor")
    encoding = model.encoding
    if encoding is None and Path(args.data).suffix.lower() in TABLES:
        names = model.feature_names or ()
        encoding = strict_encoding(names) if names else None
    unseen: dict[str, int] = {}

    def rows() -> Any:
        for block in feature_blocks(args.data, encoding, args.target):
            if hasattr(block, "n_rows"):
                encoded = encoding.transform(block)  # type: ignore[union-attr]
                for name, count in encoded.unseen.items():
                    unseen[name] = unseen.get(name, 0) + count
                block = encoded.X
            yield block

    header, count = None, 0

    def write(f: Any) -> None:
        nonlocal header, count
        writer = csv.writer(f, lineterminator="\n")
        for X in rows():
            if X.shape[1] != model.n_features:
                raise DataError(
                    f"the model expects {model.n_features} features, the data has {X.shape[1]}"
                )
            lines, head = prediction_rows(model, X, args.proba)
            if header is None:
                header = head
                writer.writerow(head)
            writer.writerows(lines)
            count += len(lines)

    if args.out:
        _note_replacing(Path(args.out), "file")
        atomic_write(args.out, lambda fb: _text(fb, write))
        warn_unseen(unseen)
        print(f"wrote {count} predictions to {args.out}")
    else:
        write(sys.stdout)
        warn_unseen(unseen)
    return 0


def _text(fb: Any, write: Any) -> None:
    f = io.TextIOWrapper(fb, encoding="utf-8", newline="")
    write(f)
    f.flush()
    f.detach()


def prediction_rows(model: Model, X: Array, proba: bool) -> tuple[list[list[Any]], list[str]]:
    """CSV rows of predictions (and probabilities) for the rows of ``X``, and the header."""
    values = np.asarray(model.predict(X)).reshape(len(X), -1)  # (N, k): k > 1 outputs
    k = values.shape[1]
    header = ["prediction"] if k == 1 else [f"prediction_{j}" for j in range(k)]
    rows: list[list[Any]] = [list(row) for row in values.tolist()]
    if proba:
        assert model.classes is not None
        P = model.predict_proba(X)
        if P.shape[1] == 1:
            P = np.column_stack([1 - P[:, 0], P[:, 0]])
        header += [f"proba_{c}" for c in model.classes]
        rows = [r + [f"{p:.6g}" for p in prow] for r, prow in zip(rows, P, strict=True)]
    return rows, header


def class_codes(model: Model, y: Array) -> Array:
    """Map labels to the model's class indices; labels it never saw are an error."""
    assert model.classes is not None
    lookup = {c: i for i, c in enumerate(model.classes.tolist())}  # 1 == 1.0; "1" != 1
    y = np.asarray(y)
    unseen = sorted({str(v) for v in y.tolist() if v not in lookup})
    if unseen:
        raise DataError(f"labels the model never saw: {', '.join(unseen[:10])}")
    return np.array([lookup[v] for v in y.tolist()], dtype=np.intp)


def evaluate(args: argparse.Namespace) -> int:
    """Accuracy, loss, per-class precision/recall/F1/support and the confusion matrix of a
    classifier; RMSE, MAE and R^2 per target of a regressor."""
    from glassnet.cli.workflow import score as score_model
    from glassnet.data.batching import evaluate as score
    from glassnet.views.metrics import ClassScores, RegressionScores

    model = load_model(args.model)
    table = model_table(model, args.data, args.target)
    if table.n_unlabelled:
        print(f"left out {table.n_unlabelled} rows whose target {args.target!r} is empty")
    X = features_for(model, table)
    assert table.y is not None
    dtype = model.params[0]["W"].dtype
    if model.classes is None:
        width = 1 if np.ndim(table.y) == 1 else np.shape(table.y)[1]
        if width != model.net.sizes[-1]:
            raise DataError(
                f"the model predicts {model.net.sizes[-1]} target(s), the data has {width}"
            )
        y = np.asarray(table.y, dtype=float)
        if model.members is not None:
            from glassnet.cli.ensemble import spread

            print(f"samples {len(X)}  ensemble of {model.members}")
            print(spread(model, X, y, "data").line() + " (half squared error)")
        else:
            result = score_model(model, X, y)
            print(f"samples {len(X)}  mean loss {result.loss:.6f} (half squared error, in the "
                  "targets' units)")
        names = [str(args.target)] if width == 1 else None
        print("\n".join(RegressionScores.of(model.predict(X), y).lines(names)))
        return 0
    codes = class_codes(model, table.y)
    predicted = class_codes(model, model.predict(X))
    scores = ClassScores.from_confusion(confusion_matrix(codes, predicted, len(model.classes)))
    names = [str(c) for c in model.classes]
    if model.members is not None:
        from glassnet.cli.ensemble import spread

        print(f"samples {len(X)}  ensemble of {model.members}")
        print(spread(model, X, codes, "data").line())
    else:
        result = score(model.net, model.params, X, codes, scaler=model.scaler, dtype=dtype)
        print(f"samples {len(X)}  accuracy {result.accuracy:.4f}  mean loss {result.loss:.6f}")
    print(scores.table(names))
    print(confusion_table(scores.confusion, names))
    return 0


def export_onnx(args: argparse.Namespace) -> int:
    """``glassnet export-onnx --model MODEL.npz [--out MODEL.onnx]``."""
    from glassnet.onnx.export import export_onnx as export

    model = load_model(args.model)
    target = Path(args.out) if args.out else Path(args.model).with_suffix(".onnx")
    _note_replacing(target, "file")
    out = export(model, target, args.opset, args.dtype, labels=not args.no_labels)
    dtype = args.dtype or model.params[0]["W"].dtype.name
    print(f"wrote {out} (opset {args.opset}, {dtype}, layers {model.net.sizes})")
    return 0
