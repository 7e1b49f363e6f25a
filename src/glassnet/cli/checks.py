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
import errno
import os
import re
import zipfile
from pathlib import Path

from glassnet.core.validation import DataError


class UsageError(Exception):
    """Arguments that do not fit together, reported as one line with exit code 2."""


class NotApplicable(UsageError, DataError):
    """An option that cannot apply to the data or model it is given (``--proba`` for a
    regressor, a ``--row`` past the last row, a split that leaves no training rows, ``--task``
    against the targets): exit code 2 on the command line, a ``DataError`` (``ValueError``)
    to Python callers of the functions that raise it."""


def check_arguments(args: argparse.Namespace) -> None:
    """Raise :class:`UsageError` for arguments that do not fit together."""
    if hasattr(args, "model_arg"):
        _settle_model(args)
    _no_link_loops(args)
    check = {"train": _train, "sweep": _sweep, "explain": _explain}.get(args.command)
    if check is not None:
        check(args)
    _inputs_kept(args)


FILE_OPTIONS = ("data", "model", "out")  # every option that names a file or folder


def _no_link_loops(args: argparse.Namespace) -> None:
    """A file option naming a loop of symbolic links (``ln -s a b; ln -s b a``), or a path
    through one, is refused before anything is read, trained or written."""
    for name in FILE_OPTIONS:
        given = getattr(args, name, None)
        if isinstance(given, str | Path) and _is_loop(given):
            raise UsageError(f"--{name} {given} is a loop of symbolic links")
    out = getattr(args, "out", None)
    if args.command == "train" and isinstance(out, str | Path):  # the files beside the model
        stem = Path(out).name.removesuffix(".npz")
        for extra in ("history.json", "loss.png", "report.html"):
            for beside in (Path(out).parent / extra, Path(out).parent / f"{stem}.{extra}"):
                if _is_loop(beside):
                    raise UsageError(f"{beside}, written beside --out {out}, is a loop of "
                                     "symbolic links")  # fmt: skip


def _is_loop(path: str | Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


FILE_OUTPUTS = ("train", "predict", "report", "export-onnx")  # the others write folders


def _inputs_kept(args: argparse.Namespace) -> None:
    """An ``--out`` that is the ``--data`` or ``--model`` file would replace the input, as
    would a model written over a file that is not a model (a CSV named by mistake)."""
    out = getattr(args, "out", None)
    if not isinstance(out, str | Path):
        return
    if args.command in FILE_OUTPUTS and Path(out).is_dir():
        raise UsageError(f"--out {out} is a folder; name the file to write")
    written = Path(out).is_file() and Path(out).stat().st_size > 0
    kind = run_file_kind(Path(out)) if written else None
    if args.command == "train" and written:
        _model_kept(Path(out), kind)
    own = WRITES.get(args.command)
    if own is not None and kind is not None and kind != own:
        raise UsageError(f"--out {out} is {kind}: {args.command} would replace it with "
                         "another kind of file; name another file")  # fmt: skip
    for name in ("data", "model"):
        given = getattr(args, name, None)
        if isinstance(given, str | Path) and _same_file(Path(out), Path(given)):
            raise UsageError(f"--out {out} is the --{name} file: it would be replaced; "
                             "write the output elsewhere")  # fmt: skip


def _model_kept(out: Path, kind: str | None) -> None:
    """``train --out`` over a file that is not a model, or over another command's model (a
    sweep's ``best.npz``, the demo's ``params.npz``), is refused, naming what it is."""
    if not zipfile.is_zipfile(out):
        what = f"is {kind}" if kind else "exists and is not a model file (.npz)"
        raise UsageError(f"--out {out} {what}: it would be replaced by the model; name "
                         "another file")  # fmt: skip
    other = others_model(out)
    if other is not None:
        raise UsageError(f"--out {out} is {other}: train would replace it with another "
                         "model; name another file")  # fmt: skip


# The one kind of file each command that writes a single file makes; over any other kind
# that a glassnet command made (run_file_kind) it refuses to write, exit code 2.
WRITES = {"predict": "a table of predictions", "report": "a glassnet report page",
          "export-onnx": "an ONNX model"}  # fmt: skip


def run_file_kind(path: Path) -> str | None:
    """What ``path`` is, when it is a file that a glassnet command wrote: a model or
    checkpoint (a zip archive, as ``.npz`` files are), a training history, a figure (PNG) or
    animation (GIF), the page of a training, sweep or demo report or of ``glassnet
    report``, a sweep's ``results.csv``, a demo's ``metrics.json``, the predictions of
    ``glassnet predict`` or an ONNX model; else None (a file of another kind)."""
    if zipfile.is_zipfile(path):
        return "a glassnet model or checkpoint"
    try:
        with open(path, "rb") as fh:
            raw = fh.read(4096)
    except OSError:
        return None
    for magic, kind in _MAGIC.items():
        if raw.startswith(magic):
            return kind
    if _is_onnx(raw, path):
        return "an ONNX model"
    head = raw.decode("utf-8", "replace")
    if _PREDICTIONS.fullmatch(head.partition("\n")[0].rstrip("\r")):
        return "a table of predictions"
    if head.lstrip().startswith("{") and '"model"' in head and '"epoch"' in head:
        return "a training history"
    if head.lstrip().startswith("{") and '"first_perfect_iteration"' in head:
        return "a demo's metrics"
    if head.startswith(_SWEEP_HEADER):
        return "a sweep's results table"
    for command, kind in _PAGES.items():
        if f"<title>glassnet {command}" in head:
            return kind
    return None


def sweeps_history(path: Path) -> bool:
    """Whether ``path`` is the ``history.json`` a sweep wrote (of its ``best.npz``)."""
    import json

    try:
        return isinstance(json.loads(path.read_text()).get("sweep"), dict)
    except (ValueError, AttributeError, OSError):
        return False


def others_model(path: Path) -> str | None:
    """What the model file ``path`` is when a sweep or the demo wrote it (``"a sweep's best
    model"``, ``"the demo's parameters"``), told by the files they write beside it (under
    the same ``sweep.``/``demo.`` prefix): ``train`` refuses to write over it, as over any
    other command's file; else None (a training run's model, or one of unknown origin)."""
    for command, name, beside, kind, what in _OTHERS_MODELS:
        for at in ("", f"{command}."):
            if path.name != at + name:
                continue
            if run_file_kind(path.parent / (at + beside)) == kind or (
                command == "sweep" and sweeps_history(path.parent / f"{at}history.json")
            ):
                return what
    return None


_OTHERS_MODELS = (  # (command, its model, a file beside it, that file's kind, what the model is)
    ("sweep", "best.npz", "results.csv", "a sweep's results table", "a sweep's best model"),
    ("demo", "params.npz", "metrics.json", "a demo's metrics", "the demo's parameters"),
)


_MAGIC = {b"\x89PNG": "a figure (PNG image)", b"GIF8": "an animation (GIF)"}
_PAGES = {"train": "a training report", "sweep": "a sweep report", "demo": "a demo report",
          "report": "a glassnet report page"}  # fmt: skip
# predict's header: prediction (or prediction_0, ...), then proba_CLASS per class
_PREDICTIONS = re.compile(r"prediction(_0(,prediction_\d+)*)?(,proba_[^,]*)*")


def _is_onnx(raw: bytes, path: Path) -> bool:
    """An ONNX ``ModelProto``: it opens with field 1 (``ir_version``, a small varint) and
    field 2 (``producer_name``) or another field, and is named ``.onnx`` or made by
    glassnet (``producer_name`` "glassnet", as :mod:`glassnet.onnx` writes it)."""
    if len(raw) < 4 or raw[0] != 0x08 or not 1 <= raw[1] < 0x80:
        return False
    return path.suffix.lower() == ".onnx" or raw[2:12] == b"\x12\x08glassnet"
_SWEEP_HEADER = "rank,hidden,learning_rate,weight_decay,"  # sweep.COLUMNS, first four


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist (yet)
        return a.resolve() == b.resolve()


def _settle_model(args: argparse.Namespace) -> None:
    """``--model M`` or the older positional ``M`` (and ``export-onnx M OUT``): one of them."""
    positional, flag = args.model_arg, args.model
    if positional is not None and flag is not None and positional != flag:
        raise UsageError(f"the model is named twice: {positional} and --model {flag}")
    args.model = flag if flag is not None else positional
    if args.model is None:
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
        out = Path(args.out)
        checkpoint = out.with_name(out.name.removesuffix(".npz") + ".ckpt.npz")
        if not checkpoint.is_file():
            raise UsageError(f"{checkpoint}: no checkpoint to resume from (train keeps the run's "
                             "state there, beside the model it writes to --out; is --out the "
                             "earlier run's?)")  # fmt: skip
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
        for option in ("drop", "features"):
            if args.target is not None and args.target in (getattr(args, option) or ()):
                raise UsageError(f"--{option} names the target column {args.target!r}; the "
                                 "target is never a feature")  # fmt: skip
    else:
        _refuse(args, ["target", "features", "drop"], "to a built-in --dataset (it has no columns)")


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
