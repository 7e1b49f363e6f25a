"""What a file is, when a glassnet command wrote it: :func:`run_file_kind` (a model, a
history, a figure, a report page, predictions, ...), and what an ``.npz`` or zip is that
glassnet did not write (a data set), so that no command replaces another command's file,
or a user's, silently (:mod:`glassnet.cli.out_checks`, :mod:`glassnet.cli.replacing`), and
neither do the library's writers (:mod:`glassnet.files.overwrites`)."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

# The one kind of file each command that writes a single file makes; over any other kind
# that a glassnet command made (run_file_kind) it refuses to write, exit code 2.
WRITES = {"predict": "a table of predictions", "report": "a glassnet report page",
          "export-onnx": "an ONNX model"}  # fmt: skip


def run_file_kind(path: Path, kept: tuple[str, ...] = ()) -> str | None:
    """What ``path`` is, when it is a file that a glassnet command wrote: a model or
    checkpoint (a zip archive, as ``.npz`` files are), a training history, a figure (PNG) or
    animation (GIF), the page of a training, sweep or demo report or of ``glassnet
    report``, a sweep's ``results.csv``, a demo's ``metrics.json``, the predictions of
    ``glassnet predict`` (CSV or Parquet; a CSV's header may open with the columns
    ``kept``, as ``predict --keep`` writes them) or an ONNX model; an ``.npz`` or zip
    glassnet did not write (a data set with an array ``X``, other arrays, other files) is
    named as such; else None (a file of another kind)."""
    if zipfile.is_zipfile(path):
        return _zip_kind(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(4096)
    except OSError:
        return None
    for magic, kind in _MAGIC.items():
        if raw.startswith(magic):
            return kind
    if raw.startswith(b"PAR1"):
        return _parquet_kind(path)
    if _is_onnx(raw, path):
        return "an ONNX model"
    head = raw.decode("utf-8", "replace")
    if _predictions_header(head.partition("\n")[0].rstrip("\r"), kept):
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


MODEL = "a glassnet model or checkpoint"  # run_file_kind of every .npz glassnet writes
DEMO_PARAMS = {"W_h", "b_h", "W_o", "b_o"}  # the arrays of the demo's params.npz


def npz_format(path: Path) -> str | None:
    """What glassnet wrote in the zip ``path``: ``"glassnet-model"`` or
    ``"glassnet-checkpoint"`` (the ``format`` of its ``meta`` member), ``"demo"`` (the
    demo's ``params.npz``, four arrays), ``"glassnet"`` (a ``meta`` member that cannot be
    read: a damaged file of glassnet's); None when glassnet did not write it."""
    from glassnet.files.safenpz import NpzError, SafeNpz

    try:
        with open(path, "rb") as fh, SafeNpz(fh) as npz:
            if npz.names == DEMO_PARAMS:
                return "demo"
            if "meta" not in npz.names:
                return None
            try:
                meta = npz.meta()
            except NpzError:
                return "glassnet"
    except (NpzError, OSError):
        return None
    fmt = meta.get("format") if isinstance(meta, dict) else None
    return fmt if fmt in ("glassnet-model", "glassnet-checkpoint") else None


def glassnet_wrote(kind: str | None) -> bool:
    """Whether a file of ``kind`` (:func:`run_file_kind`) is one a glassnet command wrote."""
    return kind is not None and not kind.startswith(_NOT_GLASSNETS)


_NOT_GLASSNETS = ("a data set (", "an .npz of arrays (", "a zip archive glassnet")


def _zip_kind(path: Path) -> str:
    """:data:`MODEL` for a zip glassnet wrote; else what the zip holds, in words."""
    if npz_format(path) is not None:
        return MODEL
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "a zip archive glassnet did not write"
    arrays = [n.removesuffix(".npy") for n in names if n.endswith(".npy")]
    if not arrays or len(arrays) < len(names):
        return "a zip archive glassnet did not write"
    shown = ", ".join(arrays[:4]) + (", ..." if len(arrays) > 4 else "")
    if "X" in arrays:
        return f"a data set (.npz of arrays {shown})"
    return f"an .npz of arrays ({shown}) glassnet did not write"


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
# predict's header: prediction (or prediction_TARGET, ... for several targets: their names,
# or 0, 1, ... unnamed), then proba_CLASS per class
_PREDICTIONS = re.compile(r"(prediction|prediction_[^,]*(,prediction_[^,]*)+)(,proba_[^,]*)*")


def _predictions_header(line: str, kept: tuple[str, ...]) -> bool:
    """Whether ``line`` is predict's header, after the ``kept`` columns it opens with."""
    if not kept:
        return _predicted(line)
    cells = next(csv.reader([line]), [])
    if tuple(cell.strip() for cell in cells[: len(kept)]) != kept:
        return False
    return _predicted(",".join(cells[len(kept) :]))


def _predicted(text: str) -> bool:
    """Whether ``text`` is predict's own columns; unnamed targets are numbered 0, 1, ..."""
    if not _PREDICTIONS.fullmatch(text):
        return False
    names = [c[len("prediction_"):] for c in text.split(",") if c.startswith("prediction_")]
    numbered = names and all(n.isdigit() for n in names)
    return not numbered or names == [str(j) for j in range(len(names))]


def _parquet_kind(path: Path) -> str | None:
    """A Parquet file ``glassnet predict`` wrote says so in its schema's metadata
    (:data:`glassnet.cli.prediction_out.METADATA`; read from the footer alone)."""
    try:
        import pyarrow.parquet as pq

        metadata = pq.read_schema(path).metadata or {}
    except (ImportError, OSError, ValueError):  # not readable as Parquet: not one of ours
        return None
    return "a table of predictions" if metadata.get(b"glassnet") == b"predictions" else None


def _is_onnx(raw: bytes, path: Path) -> bool:
    """An ONNX ``ModelProto``: it opens with field 1 (``ir_version``, a small varint) and
    field 2 (``producer_name``) or another field, and is named ``.onnx`` or made by
    glassnet (``producer_name`` "glassnet", as :mod:`glassnet.onnx` writes it)."""
    if len(raw) < 4 or raw[0] != 0x08 or not 1 <= raw[1] < 0x80:
        return False
    return path.suffix.lower() == ".onnx" or raw[2:12] == b"\x12\x08glassnet"


_SWEEP_HEADER = "rank,hidden,learning_rate,weight_decay,"  # sweep.COLUMNS, first four
