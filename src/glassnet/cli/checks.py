"""Arguments that parse but do not fit together: refused with one line and exit code 2.

:func:`check_arguments` runs after parsing and before a command does anything. It refuses
options that do not apply (``--momentum`` with Adam in ``train`` and ``sweep``, ``--n-samples``
with ``--data``, ``--row`` without ``--model``), requires what a combination needs
(``--target`` with ``--data``), refuses an ``--out`` that names an input file (``--data``,
``--model``) or a folder where a file is written, and settles the two ways of naming the
model (``--model M`` and the older positional ``M``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from glassnet.cli.file_kinds import WRITES, others_model, run_file_kind, sweeps_history
from glassnet.cli.out_checks import (
    FILE_OPTIONS,
    FILE_OUTPUTS,
    folder_possible,
    inputs_kept,
    names_folder,
    no_link_loops,
)
from glassnet.cli.resume_checks import checkpoint_free, resumable
from glassnet.cli.usage import NotApplicable, UsageError

__all__ = [
    "FILE_OPTIONS",
    "FILE_OUTPUTS",
    "SWEEP_REFUSED",
    "WRITES",
    "NotApplicable",
    "UsageError",
    "check_arguments",
    "others_model",
    "run_file_kind",
    "sweeps_history",
]


def check_arguments(args: argparse.Namespace) -> None:
    """Raise :class:`UsageError` for arguments that do not fit together."""
    if hasattr(args, "model_arg"):
        _settle_model(args)
    no_link_loops(args)
    folder_possible(args)
    check = {"train": _train, "sweep": _sweep, "explain": _explain}.get(args.command)
    if check is not None:
        check(args)
    inputs_kept(args)


def _settle_model(args: argparse.Namespace) -> None:
    """``--model M`` or the older positional ``M`` (and ``export-onnx M OUT``): one of them
    (every command that reads a model; ``explain`` without either explains the tutorial's)."""
    positional, flag = args.model_arg, args.model
    if positional is not None and flag is not None and positional != flag:
        raise UsageError(f"the model is named twice: {positional} and --model {flag}")
    args.model = flag if flag is not None else positional
    if args.model is None and args.command != "explain":  # explain: the tutorial's network
        raise UsageError("the model is needed: --model MODEL.npz")
    out_arg = getattr(args, "out_arg", None)
    if out_arg is not None:
        if args.out is not None and args.out != out_arg:
            raise UsageError(f"the output is named twice: {out_arg} and --out {args.out}")
        args.out = out_arg


def _refuse(args: argparse.Namespace, names: list[str], reason: str) -> None:
    given = [f"--{n.replace('_', '-')}" for n in names if getattr(args, n) not in (None, False)]
    if given:
        raise UsageError(
            f"{' and '.join(given)} {'does' if len(given) == 1 else 'do'} not apply {reason}"
        )


def _train(args: argparse.Namespace) -> None:
    from glassnet.cli.train_inputs import recipe_from_args

    _source(args)
    recipe = recipe_from_args(args)
    if recipe.optimizer not in ("momentum", "nesterov"):
        _refuse(args, ["momentum"], f"to --optimizer {recipe.optimizer}")
    if args.val_fraction == 0:
        _refuse(args, ["patience"], "without a validation set (--val-fraction 0)")
    if args.ensemble > 1:
        _refuse(args, ["resume"], "to --ensemble (an ensemble writes no checkpoint)")
        _refuse(args, ["init_seed"], "to --ensemble (member k's seed is --seed + k)")
        if args.progress in ("bar", "lines"):
            raise UsageError(f"--progress {args.progress} does not apply to --ensemble (an "
                             "ensemble prints no per-epoch progress; its summary comes at "
                             "the end)")  # fmt: skip
    elif args.resume and isinstance(args.out, str | Path):
        resumable(args.out)
    out = args.out if isinstance(args.out, str | Path) else None
    if out is not None and not (args.resume or Path(out).is_dir() or names_folder(out)):
        checkpoint_free(out, args.ensemble > 1)  # --resume reads it; a folder: inputs_kept
    if args.preset is not None and args.dataset not in (None, "digits"):
        raise UsageError(
            f"--preset {args.preset} is a digits recipe, not for --dataset {args.dataset}"
        )


def _source(args: argparse.Namespace) -> None:
    """``--data`` with its columns, or a built-in ``--dataset`` (train and sweep)."""
    if args.data is not None:
        if args.target is None and not str(args.data).lower().endswith(".npz"):
            raise UsageError("--target COLUMN is needed with --data")  # an .npz has its y
        if args.features is not None:
            _refuse(args, ["drop"], "with --features (it names every column used)")
        _refuse(args, ["n_samples"], "to --data (it sizes a synthetic --dataset)")
        suffix = Path(str(args.data)).suffix.lower()
        if suffix in (".npz", ".npy"):
            _refuse(args, ["features", "drop"], f"to {suffix} data: its columns have no names "
                    "(save only the columns to use, or a CSV or Parquet table)")  # fmt: skip
        targets = {args.target, *args.target.split(",")} if args.target is not None else set()
        for option in ("drop", "features"):
            both = [n for n in (getattr(args, option) or ()) if n in targets]
            if both:
                raise UsageError(f"--{option} names the target column {both[0]!r}; the "
                                 "target is never a feature")  # fmt: skip
    else:
        _refuse(args, ["target", "features", "drop"], "to a built-in --dataset (it has no columns)")
        _dataset_size(args)


def _dataset_size(args: argparse.Namespace) -> None:
    """``--n-samples`` for a synthetic ``--dataset``: at least one sample per class (two per
    spiral arm); the fixed digits are never drawn."""
    from glassnet.data.datasets import CLASSES, MIN_SAMPLES

    if args.n_samples is None or args.dataset is None:
        return
    least = MIN_SAMPLES.get(args.dataset)
    if least is None:
        raise UsageError(f"--n-samples does not apply to --dataset {args.dataset}: it is a "
                         "fixed set, not drawn (use --data with a file of the rows to "
                         "keep)")  # fmt: skip
    if args.n_samples < least:
        raise UsageError(f"--n-samples {args.n_samples}: the {args.dataset} data set needs "
                         f"at least {least} samples ({least // CLASSES[args.dataset]} "
                         "for each of its classes)")  # fmt: skip


# ``glassnet train`` options that do not apply to a sweep, and why (refused in _sweep)
SWEEP_REFUSED = {
    "--preset": "(a sweep's settings are its own options; see glassnet train --preset)",
    "--test-fraction": "(a sweep ranks on its validation rows; hold test rows out and run "
    "glassnet evaluate --model DIR/best.npz on them)",
    "--ensemble": "(a sweep trains --seeds members per combination; glassnet train "
    "--ensemble saves seeds as one model)",
    "--resume": "(a sweep keeps no checkpoint)",
    "--init-seed": "(member k of each combination starts from --seed + k, see --seeds; "
    "glassnet train --init-seed K trains that member alone)",
    "--progress": "(a sweep prints its ranking at the end, no per-epoch progress)",
}


def _sweep(args: argparse.Namespace) -> None:
    from glassnet.cli.recipe import Recipe

    for option, why in SWEEP_REFUSED.items():
        _refuse(args, [option[2:].replace("-", "_")], f"to glassnet sweep {why}")
    _source(args)
    if args.patience == 0:  # train's 0 keeps the last epoch; a sweep ranks on the best
        raise UsageError("--patience 0 does not apply to glassnet sweep: each member keeps "
                         "its best validation epoch, on which the sweep ranks (train's "
                         "--patience 0 keeps the last); leave --patience out for no early "
                         "stopping")  # fmt: skip
    if args.optimizer not in ("momentum", "nesterov"):
        _refuse(args, ["momentum"], f"to --optimizer {args.optimizer}")
    if args.momentum is None:
        args.momentum = (Recipe().momentum,)


def _explain(args: argparse.Namespace) -> None:
    if args.model is None:
        _refuse(args, ["data", "target", "row"], "without --model")
        return
    _refuse(args, ["at"], "with --model (it picks the tutorial's parameters)")
    if args.data is None:
        raise UsageError("--model needs --data FILE")
