"""What ``glassnet train`` does, given parsed arguments: read the data, lay the options over
the recipe, train (:func:`glassnet.cli.workflow.train_model`), save the model and the files
beside it (:mod:`glassnet.cli.run_outputs`), and say what happened.

Bad input raises :class:`glassnet.data.tables.DataError` (or another ``ValueError``); the CLI
turns it into one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.cli.replacing import Replaced
from glassnet.cli.run_outputs import data_lines, extras_paths, summary_lines, write_extras
from glassnet.cli.stops import exit_code, signal_name
from glassnet.core._types import Array
from glassnet.data.tables import DataError, load_table
from glassnet.files.fileio import WriteError, signals_deferred
from glassnet.files.modelfile import save_model

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
    from glassnet.cli.recipe import PRESETS, Recipe
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
    table = load_table(args.data, args.target, args.features or (), True, args.drop or ())
    assert table.y is not None
    if table.n_unlabelled:
        print(f"left out {table.n_unlabelled} rows whose target {args.target!r} is empty")
    data = table.frame if table.frame is not None else table.arrays
    return data, table.y, table.feature_names, str(args.data)


def train(args: argparse.Namespace) -> int:
    """Run ``glassnet train``; returns the exit code."""
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
        raise DataError(
            f"{checkpoint}: no checkpoint to resume from (a run that finishes removes its "
            "checkpoint; --resume continues a run that was stopped)"
        )
    _announce(X, source, recipe)
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
    return _save(outcome, out, checkpoint, source)


def _announce(X: Any, source: str, recipe: Any) -> None:
    """The data's size, and a line when early stopping is off."""
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


def _save(outcome: Any, out: Path, checkpoint: Path, source: str) -> int:
    """Save the model (a signal then waits until it is saved), then the files beside it."""
    history = outcome.result.history
    paths = extras_paths(out)
    before = Replaced(out, *paths.values())
    written: list[Path] = []
    try:
        with signals_deferred():  # a signal now acts once the model is saved
            save_model(outcome.model, out)
            checkpoint.unlink(missing_ok=True)
            written.append(out)
        for line in data_lines(outcome):
            print(line)
        write_extras(outcome, paths, out, source, written)
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
    before.note(written)
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


def _say(message: str) -> None:
    print(message, flush=True)


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
