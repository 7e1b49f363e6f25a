"""The options of ``glassnet train``; every help text says the default (from :class:`Recipe`)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import Any

from glassnet.cli import handlers
from glassnet.cli.argtypes import (
    at_least_one,
    column_names,
    hidden,
    non_negative_int,
    number_in,
    split_size,
)
from glassnet.cli.recipe import Recipe
from glassnet.cli.schedule_options import add_schedule

Add = Callable[..., Any]


def add_train(sub: argparse._SubParsersAction) -> None:
    """The ``train`` command: its data, the network, the run and the files it writes."""
    r = Recipe()
    train = sub.add_parser(
        "train", help="train an MLP on a CSV/NPZ/NPY file or a built-in data set and save the model"
    )
    _add_source(train)
    _add_network(train.add_argument, r)
    _add_run(train.add_argument, r)
    _add_settings(train.add_argument, r)
    _add_outputs(train.add_argument)
    train.set_defaults(func=handlers.train)


def _add_source(train: argparse.ArgumentParser) -> None:
    from glassnet.data.datasets import DATASETS

    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--data",
        metavar="FILE",
        help="training data: .csv, .parquet, .npz or .npy (this or --dataset is required)",
    )
    source.add_argument(
        "--dataset", choices=DATASETS, help="a built-in data set (this or --data is required)"
    )
    add = train.add_argument
    add_columns(add, "columns to leave out, e.g. IDs, dates (default: none)")
    add(
        "--preset",
        choices=["tutorial-digits", "digits"],
        help="a stored recipe, the tutorial's digits run or glassnet's (default: none; "
        "digits with --dataset digits); the options below override it",
    )


def _add_network(add: Add, r: Recipe) -> None:
    add(
        "--hidden",
        type=hidden,
        metavar="SIZES",
        help=f"hidden layer sizes, e.g. 64,32 (default: {','.join(map(str, r.hidden))})",
    )
    add(
        "--activation",
        choices=["logistic", "tanh", "relu", "identity"],
        help=f"hidden activation (default: {r.activation})",
    )
    add(
        "--optimizer",
        choices=["sgd", "momentum", "nesterov", "adam"],
        help=f"(default: {r.optimizer})",
    )
    add(
        "--lr",
        type=number_in(0, math.inf, open_low=True, open_high=True),
        help=f"learning rate (default: {r.learning_rate})",
    )
    add(
        "--momentum",
        type=number_in(0, 1, open_low=False, open_high=True),
        help=f"momentum term, for --optimizer momentum or nesterov (default: {r.momentum})",
    )


def _add_run(add: Add, r: Recipe) -> None:
    add(
        "--epochs",
        type=non_negative_int,
        help=f"maximum epochs; 0 saves the initialized network untrained (default: {r.epochs})",
    )
    add(
        "--batch-size",
        type=non_negative_int,
        help=f"minibatch size, 0 for full batch (default: {r.batch_size})",
    )
    add(
        "--val-fraction",
        type=split_size,
        metavar="F",
        help="validation share, a fraction or a count; 0: train on all rows with early "
        f"stopping off (default: {r.val_size})",
    )
    add(
        "--test-fraction",
        type=split_size,
        metavar="F",
        help="held-out test share, a fraction or a count (default: 0, none)",
    )
    add(
        "--patience",
        type=non_negative_int,
        help="stop after this many epochs without a better validation loss and keep the best "
        f"epoch; 0: no early stopping, keep the last epoch (default: {r.patience})",
    )


def _add_settings(add: Add, r: Recipe) -> None:
    add_schedule(add)
    add(
        "--weight-decay",
        type=number_in(0, math.inf, open_low=False, open_high=True),
        help=f"L2 penalty on the weights (default: {r.weight_decay:g})",
    )
    add(
        "--seed",
        type=non_negative_int,
        help=f"seed for splits, init and shuffling (default: {r.seed})",
    )
    add(
        "--init-seed",
        type=non_negative_int,
        metavar="K",
        help="seed of the initialization and minibatch order alone, the split staying that "
        "of --seed: the run of ensemble member or sweep member with seed K (default: --seed)",
    )
    add("--dtype", choices=["float32", "float64"], help=f"(default: {r.dtype})")
    add(
        "--task",
        choices=["auto", "classification", "regression"],
        help="auto: a built-in --dataset is classification; of --data targets, class names, "
        "class codes (0..K-1, 1..K) and a few labels mean classification, other numbers "
        "regression (default: auto)",
    )


def _add_outputs(add: Add) -> None:
    add(
        "--no-standardize",
        action="store_true",
        help="do not standardize the inputs (default: standardize with training statistics)",
    )
    add(
        "--n-samples",
        type=at_least_one,
        metavar="N",
        help="samples drawn for a synthetic --dataset, at least one per class (two per "
        "spiral arm) (default: the data set's own)",
    )
    add(
        "--progress",
        choices=["auto", "bar", "lines", "off"],
        default="auto",
        help="a bar on a terminal, lines otherwise (default: %(default)s)",
    )
    add(
        "--ensemble",
        type=at_least_one,
        default=1,
        metavar="K",
        help="train K members at once and save them as one model that averages their "
        "outputs; member k's initialization and minibatch order come from seed SEED+k, and "
        "all share the train/validation split of --seed (default: %(default)s, one network)",
    )
    add(
        "--resume",
        action="store_true",
        help="continue the run kept in MODEL.ckpt.npz (stopped, or finished: then give more "
        "--epochs); other settings must match (default: start afresh)",
    )
    add(
        "--out",
        default="model.npz",
        metavar="MODEL.npz",
        help="model file; history.json, loss.png and report.html go beside it "
        "(default: %(default)s)",
    )


def add_columns(add: Add, drop_help: str) -> None:
    """``--target``, ``--features`` and ``--drop``: the columns of ``--data`` (train, sweep)."""
    add("--target", metavar="COLUMN",
        help="the target column (required with --data); several, for regression: a,b")
    add(
        "--features",
        type=column_names,
        metavar="COL,...",
        help="the feature columns (default: all but the target)",
    )
    add("--drop", type=column_names, metavar="COL,...", help=drop_help)
