"""The options of ``glassnet sweep``; every help text says the default."""

from __future__ import annotations

import argparse

from glassnet.cli import handlers
from glassnet.cli.argtypes import (
    architectures,
    at_least_one,
    floats,
    non_negative_int,
    size,
)
from glassnet.cli.checks import SWEEP_REFUSED
from glassnet.cli.parser_train import Add, add_columns
from glassnet.cli.recipe import Recipe
from glassnet.cli.schedule_options import add_schedule


def add_sweep(sub: argparse._SubParsersAction) -> None:
    """The ``sweep`` command: its data, the grid of settings, the shared settings."""
    from glassnet.data.datasets import DATASETS

    r = Recipe()
    p = sub.add_parser(
        "sweep", help="train every combination of settings at once and rank them on validation"
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--data", metavar="FILE", help="training data (this or --dataset is required)"
    )
    source.add_argument(
        "--dataset", choices=DATASETS, help="a built-in data set (this or --data is required)"
    )
    add = p.add_argument
    add_columns(add, "columns to leave out, e.g. IDs (default: none)")
    _add_grid(add, r)
    _add_shared(add, r)
    _add_per_run(add, r)
    _add_outputs(add)
    for option in SWEEP_REFUSED:  # train's options that a sweep cannot honour: refused by name
        add(option, nargs="?", const=True, help=argparse.SUPPRESS)
    p.set_defaults(func=handlers.sweep)


def _add_per_run(add: Add, r: Recipe) -> None:
    """Options of ``glassnet train`` that act on every member as in its own run."""
    add(
        "--patience",
        type=non_negative_int,
        default=None,
        help="stop a member after this many epochs without a better validation loss "
        "(default: none, every member trains all --epochs); either way each member keeps "
        "its best validation epoch, on which the sweep ranks, so --patience 0 (train's "
        "'keep the last epoch') is refused",
    )
    add_schedule(add, ", each member's own")
    add(
        "--task",
        choices=["auto", "classification", "regression"],
        default=r.task,
        help="auto: a built-in --dataset is classification; of --data targets, class names, "
        "class codes (0..K-1, 1..K) and a few labels mean classification, other numbers "
        "regression (default: %(default)s)",
    )
    add(
        "--no-standardize",
        action="store_true",
        help="do not standardize the inputs (default: standardize with training statistics)",
    )


def _add_grid(add: Add, r: Recipe) -> None:
    add(
        "--lr",
        type=floats,
        default=(r.learning_rate,),
        metavar="LIST",
        help=f"learning rates, e.g. 1e-3,3e-3,1e-2 (default: {r.learning_rate:g})",
    )
    add(
        "--weight-decay",
        type=floats,
        default=(0.0,),
        metavar="LIST",
        help="L2 weight decays, e.g. 0,1e-4 (default: 0)",
    )
    add(
        "--momentum",
        type=floats,
        metavar="LIST",
        help=f"momentum terms, for --optimizer momentum or nesterov (default: {r.momentum:g})",
    )
    add(
        "--seeds",
        type=at_least_one,
        default=1,
        metavar="N",
        help="init seeds per combination, --seed .. --seed+N-1 (each member's initialization "
        "and minibatch order; default: 1)",
    )
    add(
        "--hidden",
        type=architectures,
        default=(r.hidden,),
        metavar="SIZES[/SIZES...]",
        help="architectures, e.g. 64/32,32; each trains as its own population (default: 64)",
    )


def _add_shared(add: Add, r: Recipe) -> None:
    add(
        "--activation",
        choices=["logistic", "tanh", "relu", "identity"],
        default=r.activation,
        help="hidden activation (default: %(default)s)",
    )
    add(
        "--optimizer",
        choices=["sgd", "momentum", "nesterov", "adam"],
        default=r.optimizer,
        help="(default: %(default)s)",
    )
    add("--epochs", type=at_least_one, default=50, help="epochs (default: %(default)s)")
    add(
        "--batch-size",
        type=non_negative_int,
        default=r.batch_size,
        help="minibatch size, 0 for full batch (default: %(default)s)",
    )
    add(
        "--val-fraction",
        type=size,
        default=r.val_size,
        metavar="F",
        help="validation share, a fraction or a count (default: %(default)s)",
    )
    add(
        "--seed",
        type=non_negative_int,
        default=0,
        help="the split seed (every member's train/validation split, and a synthetic "
        "--dataset) and the first init seed (default: 0)",
    )
    add(
        "--n-samples",
        type=at_least_one,
        metavar="N",
        help="samples for a synthetic --dataset, at least one per class (two per spiral "
        "arm) (default: its own)",
    )
    add("--dtype", choices=["float32", "float64"], default="float64", help="(default: %(default)s)")


def _add_outputs(add: Add) -> None:
    add(
        "--dask",
        metavar="ADDRESS",
        help="a Dask scheduler to split the sweep across its workers (default: run here)",
    )
    add(
        "--out",
        default="sweep",
        metavar="DIR",
        help="folder for results.csv, best.npz with its history.json and loss.png, and "
        "report.html (default: %(default)s)",
    )
