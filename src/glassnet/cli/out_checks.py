"""The options that name files (``--data``, ``--model``, ``--out``), checked before any
work: a loop of symbolic links, an ``--out`` that is an input file, a folder, or another
command's file of another kind, a folder that cannot be made or written in is refused with
one line and exit code 2. The file ``report`` and ``export-onnx`` write without ``--out``
(beside the model: :mod:`glassnet.cli.default_outs`) is checked the same way, and named as
that default."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import tempfile
from pathlib import Path

from glassnet.cli.default_outs import another as _another
from glassnet.cli.default_outs import default_out
from glassnet.cli.default_outs import output as _output
from glassnet.cli.default_outs import said as _said
from glassnet.cli.file_kinds import MODEL, WRITES, npz_format, others_model, run_file_kind
from glassnet.cli.usage import UsageError

FILE_OPTIONS = ("data", "model", "out")  # every option that names a file or folder


def no_link_loops(args: argparse.Namespace) -> None:
    """A file option naming a loop of symbolic links (``ln -s a b; ln -s b a``), or a path
    through one, is refused before anything is read, trained or written."""
    for name in FILE_OPTIONS:
        given = getattr(args, name, None)
        if isinstance(given, str | Path) and _is_loop(given):
            raise UsageError(f"--{name} {given} is a loop of symbolic links")
    default = default_out(args)
    if default is not None and _is_loop(default):
        raise UsageError(f"{_said(args, default)} is a loop of symbolic links; name another "
                         "file with --out")  # fmt: skip
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


def folder_possible(args: argparse.Namespace) -> None:
    """An ``--out`` whose folder cannot be made because a file stands in the way (``--out
    p4.csv/m.npz`` where ``p4.csv`` is a file; a sweep's or the demo's ``--out`` folder that
    is a file) is refused before any work, naming that file, not found after training."""
    out = _output(args)
    if out is None:
        return
    folder = Path(out) if args.command not in FILE_OUTPUTS else Path(out).parent
    for at in (folder, *folder.parents):
        try:
            if not at.exists():
                continue
        except OSError:  # unreadable: the write names the problem
            return
        if not at.is_dir():
            what = "a file, not a folder" if at == Path(out) else "a file"
            raise UsageError(f"{_said(args, out)}: {at} is {what}, so the folder to write in "
                             f"cannot be made; {_another(args, 'name another --out')}")  # fmt: skip
        break
    _folder_writable(out, folder, _said(args, out), _another(args, "name another --out"))


def _folder_writable(out: str | Path, folder: Path, said: str, another: str) -> None:
    """Make ``folder`` (and the folders above it that are missing) and a probe file in it,
    then remove them again: a folder that cannot be made or written in (a read-only or
    virtual file system such as /proc, no permission) is refused now, not after training;
    the message opens with ``said`` (the output named) and closes with ``another``."""
    if Path(out).exists() and not (Path(out).is_file() or Path(out).is_dir()):
        return  # a device or a pipe (/dev/stdout): written through, as it is
    made: list[Path] = []
    try:
        missing = []
        for at in (folder, *folder.parents):
            if at.exists():
                break
            missing.append(at)
        for at in reversed(missing):
            at.mkdir()
            made.append(at)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".glassnet-probe-", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise UsageError(f"{said}: cannot write in {folder} ({why}); {another}") from None
    finally:
        for at in reversed(made):
            with contextlib.suppress(OSError):
                at.rmdir()


FILE_OUTPUTS = ("train", "predict", "report", "export-onnx")  # the others write folders


def inputs_kept(args: argparse.Namespace) -> None:
    """An ``--out`` that is the ``--data`` or ``--model`` file would replace the input; a
    command that writes one file (:data:`FILE_OUTPUTS`) writes over an empty file or one
    of its own kind only: a file of another kind, whether another glassnet command wrote it
    or not (a table, a data set ``.npz``), is refused, naming what it is. The file that
    ``report`` and ``export-onnx`` write without ``--out`` is checked alike."""
    out = _output(args)
    if out is None:
        return
    said, another = _said(args, out), _another(args)
    if args.command in FILE_OUTPUTS and (Path(out).is_dir() or names_folder(out)):
        what = "is a folder" if Path(out).is_dir() else "names a folder (it ends in /)"
        raise UsageError(f"{said} {what}; " + (
            "name the file to write" if args.out is not None else another))  # fmt: skip
    written = args.command in FILE_OUTPUTS and Path(out).is_file()
    kept = tuple(getattr(args, "keep", None) or ())  # predict --keep's, opening its header
    nonempty = written and Path(out).stat().st_size > 0
    kind = run_file_kind(Path(out), kept) if nonempty else None
    if kind is None and nonempty and args.command == "predict":  # other --keep columns
        from glassnet.cli.predictions_file import kept_before

        before = kept_before(Path(out), getattr(args, "data", None))  # None: no columns
        kind = run_file_kind(Path(out), before or ())
    if kind is not None:  # a file glassnet knows: named as what it is
        _kind_kept(args, Path(out), kind)
    for name in ("data", "model"):
        given = getattr(args, name, None)
        if isinstance(given, str | Path) and _same_file(Path(out), Path(given)):
            where = "elsewhere" if args.out is not None else "elsewhere with --out"
            raise UsageError(f"{said} is the --{name} file: it would be replaced; write the "
                             f"output {where}")  # fmt: skip
    if nonempty and kind is None:
        _kind_kept(args, Path(out), None)
    _model_suffix(args.command, out)


OTHER_KINDS = (".csv", ".tsv", ".txt", ".json", ".html", ".htm", ".png", ".svg", ".pdf",
               ".onnx", ".parquet", ".pq", ".npy", ".pkl", ".joblib", ".xlsx")  # fmt: skip


def _model_suffix(command: str, out: str | Path) -> None:
    """``train --out`` with the suffix of another kind of file (``model.csv``) is refused:
    the model file is a ``.npz`` archive whatever its name (NU12 #3)."""
    suffix = Path(out).suffix.lower()
    if command == "train" and suffix in OTHER_KINDS:
        raise UsageError(f"--out {out}: train writes a model file (a .npz archive), not a "
                         f"{suffix} file; name it MODEL.npz")  # fmt: skip


def _kind_kept(args: argparse.Namespace, out: Path, kind: str | None) -> None:
    command = args.command
    if command == "train":
        _model_kept(out, kind)
        return
    own, said, another = WRITES[command], _said(args, out), _another(args)
    if kind is None and command == "predict":  # a suffix it cannot write: the clearer line
        from glassnet.cli.prediction_out import out_format

        out_format(str(out), direct=False)
        _other_data(args, out, said, another)
    if kind is None:
        raise UsageError(f"{said} exists and is not {own}: it would be replaced by "
                         f"{_MADE[command]}; {another}")  # fmt: skip
    if kind != own:
        raise UsageError(f"{said} is {kind}: {command} would replace it with another "
                         f"kind of file; {another}")  # fmt: skip


def _other_data(args: argparse.Namespace, out: Path, said: str, another: str) -> None:
    """Predictions kept with ``--keep`` columns that this ``--data`` lacks: predict's own
    kind of file, but maybe of other data; refused, saying so (not "not predictions")."""
    from glassnet.cli.predictions_file import opening_columns

    opening = opening_columns(out)
    if opening and run_file_kind(out, opening) == WRITES["predict"]:
        data = getattr(args, "data", None) or "the --data table"
        raise UsageError(
            f"{said} looks like predictions kept with --keep {','.join(opening)}, columns "
            f"{data} does not have: made from other data (or a table of yours), it would be "
            f"replaced by these predictions; {another}"
        )


_MADE = {"predict": "the predictions", "report": "the report page",
         "export-onnx": "the ONNX model"}  # fmt: skip


def _model_kept(out: Path, kind: str | None) -> None:
    """``train --out`` over a file that is not a model (a table, a data set ``.npz``, a
    checkpoint), or over another command's model (a sweep's ``best.npz``, the demo's
    ``params.npz``), is refused, naming what it is."""
    fmt = npz_format(out) if kind == MODEL else None
    if fmt not in ("glassnet-model", "glassnet"):
        what = {"glassnet-checkpoint": "is a glassnet checkpoint (of a run --resume continues)",
                "demo": "is the demo's parameters"}.get(fmt or "")  # fmt: skip
        if what is None:
            what = f"is {kind}" if kind else "exists and is not a model file (.npz)"
        raise UsageError(f"--out {out} {what}: it would be replaced by the model; name "
                         "another file")  # fmt: skip
    other = others_model(out)
    if other is not None:
        raise UsageError(f"--out {out} is {other}: train would replace it with another "
                         "model; name another file")  # fmt: skip


def names_folder(out: str | Path) -> bool:
    """Whether ``out`` ends in a path separator (``runs/``): a folder, made or not."""
    return str(out).endswith(("/", os.sep))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist (yet)
        return a.resolve() == b.resolve()
