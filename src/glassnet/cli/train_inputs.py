"""What ``glassnet train`` trains on: the data (``--dataset`` or ``--data/--target`` with
``--features``/``--drop``), the recipe (a preset or the defaults with every flag laid over
it), and the lines that announce them."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any, Literal

import numpy as np

from glassnet.core._types import Array
from glassnet.core.wording import counted
from glassnet.data.tables import DataError, load_table

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
    "init_seed": "init_seed",
    "dtype": "dtype",
    "weight_decay": "weight_decay",
    "task": "task",
}


def recipe_from_args(args: argparse.Namespace) -> Any:
    """The preset (or defaults) with every flag the user gave laid over it."""
    from glassnet.cli.recipe import PRESETS, Recipe
    from glassnet.cli.schedule_options import schedule_from_args

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
    targets = table_targets(args)
    if targets:
        changes["targets"] = targets
    if args.dataset:
        changes["known_task"] = known_task(args.dataset)
    schedule = schedule_from_args(args, [changes.get("learning_rate", recipe.learning_rate)])
    if args.schedule is not None:  # (else the preset's)
        changes["schedule"] = schedule
    try:
        return dataclasses.replace(recipe, **changes)
    except ValueError as exc:
        raise DataError(str(exc)) from None


def table_targets(args: argparse.Namespace) -> tuple[str, ...]:
    """A table's target column names (``--target a`` or ``a,b``), else ``()``."""
    from glassnet.data.targets import target_names

    target, data = getattr(args, "target", None), getattr(args, "data", None)
    if target is None or data is None or not str(data).lower().endswith(TABLES):
        return ()
    return target_names(target)


TABLES = (".csv", ".parquet", ".pq")


def known_task(dataset: str) -> tuple[Literal["classification"], str]:
    """A built-in data set's task and why (:attr:`Recipe.known_task`): classification, its
    targets being class codes whatever ``--n-samples`` draws."""
    from glassnet.data.datasets import dataset_task

    return "classification", dataset_task(dataset)


def training_data(args: argparse.Namespace) -> tuple[Any, Array, tuple[str, ...], str]:
    """``(X or a Frame of table columns, y, feature names, description)`` from ``--dataset``
    or ``--data/--target`` (with ``--features``/``--drop``); says how many rows had no target."""
    if args.dataset:
        from glassnet.data.datasets import load_dataset

        X, y = load_dataset(args.dataset, np.random.default_rng(args.seed or 0), args.n_samples)
        _two_classes(args, y)
        return X, y, tuple(f"x{j}" for j in range(X.shape[1])), f"the {args.dataset} data set"
    table = load_table(args.data, args.target, args.features or (), True, args.drop or ())
    if table.y is None:  # an .npz without a "y" array, an .npy, and no --target
        raise _no_target(str(args.data))
    if table.n_unlabelled:
        left = counted(table.n_unlabelled, "row")
        print(f"left out {left} whose target {args.target!r} is empty")
    if table.index:  # a Parquet file's named pandas index: read as pandas reads it
        print(f"note: {args.data} stores a pandas index ({', '.join(table.index)}): not a "
              "feature, as pandas.read_parquet reads it; name it in --features to use it")
    data = table.frame if table.frame is not None else table.arrays
    return data, table.y, table.feature_names, str(args.data)


def _two_classes(args: argparse.Namespace, y: Array) -> None:
    """A drawn built-in data set with one class only (xor's few samples may): exit code 2."""
    from glassnet.cli.usage import UsageError

    drawn = np.unique(y)
    if len(drawn) < 2:
        raise UsageError(
            f"--n-samples {len(y)}: the {len(y)} {args.dataset} samples drawn with --seed "
            f"{args.seed or 0} are all of class {drawn[0]}; a classifier needs 2 classes: "
            "draw more samples or another --seed"
        )


def _no_target(path: str) -> Exception:
    """The one line (exit code 2) for arrays read without a target."""
    from pathlib import Path

    from glassnet.data.arrays import npz_names
    from glassnet.data.errors import UnknownColumn

    if path.lower().endswith(".npz"):
        arrays = ", ".join(npz_names(Path(path)))
        return UnknownColumn(f"{path}: no target array 'y' (name the target array with "
                             f"--target); arrays are {arrays}", "y")  # fmt: skip
    return UnknownColumn(f"{path}: no target: name its column with --target (an index)", None)


def announce(X: Any, source: str, recipe: Any) -> None:
    """The data's size, a line when the training loss carries an L2 penalty, and one when
    early stopping is off (and what plateau watches)."""
    from glassnet.cli.schedule_options import plateau_watches

    shape = (X.n_rows, len(X.names)) if hasattr(X, "n_rows") else X.shape
    samples, columns = counted(shape[0], "sample"), counted(shape[1], "feature column")
    print(f"training on {source}: {samples}, {columns}", flush=True)
    if recipe.weight_decay:  # the epochs' training losses are not the final scores' kind
        print(f"weight decay {recipe.weight_decay:g}: each epoch's training loss (progress, "
              "history.json's loss, loss.png) includes its L2 penalty; the validation loss "
              "and the final scores do not", flush=True)  # fmt: skip
    if not recipe.val_size:
        print(
            "no validation set (--val-fraction 0): training on all rows other than the test "
            "set; early stopping is off and the last epoch is kept",
            flush=True,
        )
        watches = plateau_watches(recipe.schedule, recipe.val_size)
        if watches:
            print(watches, flush=True)
    elif recipe.patience is None:
        print("no early stopping (--patience 0): the last epoch is kept", flush=True)


def print_setup(model: Any, reason: str) -> None:
    """Print :func:`setup_lines` of an untrained ``model`` before training (its record's
    unit as :func:`~glassnet.train.target_units.record_unit` says), for ``glassnet train``
    and ``train --ensemble``."""
    from glassnet.cli.run_outputs import setup_lines
    from glassnet.train.target_units import record_unit

    for line in setup_lines(model, reason, record_unit(model.target_scaler)):
        print(line, flush=True)
