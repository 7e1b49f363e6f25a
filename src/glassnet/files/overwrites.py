"""What the library's writers (``estimator.save``, :func:`glassnet.export_onnx`) may write
over: nothing that another command or the user made. As ``glassnet train`` and
``export-onnx`` refuse such an ``--out`` (:mod:`glassnet.cli.out_checks`), they refuse a
file of another kind (:func:`~glassnet.files.file_kinds.run_file_kind` names it: a table, a
training history, a checkpoint, ...), and a model ``glassnet train`` wrote beside its run's
record is replaced with a warning that names it."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from glassnet.files.file_kinds import MODEL, npz_format, others_model, run_file_kind


class FileOfAnotherKind(FileExistsError):
    """The path to write holds a file of another kind: writing would destroy it."""


def check_model_destination(path: str | os.PathLike[str]) -> None:
    """Refuse (:class:`FileOfAnotherKind`) to write a model file over anything but an
    empty file or a glassnet model; warn (``UserWarning``) when the model is a
    ``glassnet train`` run's, whose ``history.json`` and report describe it."""
    where = Path(path)
    kind = _kind(where)
    if kind == GLASSNET_MODEL:
        kind = others_model(where)  # a sweep's best model: another command's
        if kind is None:
            _warn_run_model(where)
            return
    if kind is not None:
        raise FileOfAnotherKind(f"{where} is {kind}: saving the model would replace it; "
                                "name another file")  # fmt: skip


def check_onnx_destination(path: str | os.PathLike[str]) -> None:
    """Refuse (:class:`FileOfAnotherKind`) to write an ONNX model over anything but an
    empty file or an ONNX model."""
    where = Path(path)
    kind = _kind(where)
    if kind is not None and kind != "an ONNX model":
        raise FileOfAnotherKind(f"{where} is {kind}: the ONNX model would replace it; "
                                "name another file")  # fmt: skip


GLASSNET_MODEL = "a glassnet model"
_NPZ_KINDS = {"glassnet-model": GLASSNET_MODEL, "glassnet": GLASSNET_MODEL,
              "glassnet-checkpoint": "a glassnet checkpoint (of a run --resume continues)",
              "demo": "the demo's parameters"}  # fmt: skip


def _kind(where: Path) -> str | None:
    """What a non-empty file at ``where`` is (:func:`run_file_kind`, a glassnet ``.npz``
    told apart: :data:`GLASSNET_MODEL`, a checkpoint, the demo's parameters; ``"a file
    glassnet did not write"`` when unknown); None when nothing would be lost (no file, an
    empty one)."""
    if where.is_dir():
        raise IsADirectoryError(f"{where} is a folder; name the file to write")
    if not where.is_file() or where.stat().st_size == 0:
        return None
    kind = run_file_kind(where) or "a file glassnet did not write"
    return _NPZ_KINDS.get(npz_format(where) or "", kind) if kind == MODEL else kind


def _warn_run_model(where: Path) -> None:
    beside = [where.parent / n for n in ("history.json", "report.html", "loss.png")]
    kept = [p.name for p in beside if p.is_file()]
    if not kept:
        return  # a model saved by an estimator (or moved away from its run): replaced
    warnings.warn(
        f"replaced the model file {where}; the {', '.join(kept)} beside it describe the "
        "model that was there", UserWarning, stacklevel=3,
    )  # fmt: skip
