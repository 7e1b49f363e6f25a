"""``train --resume`` without the checkpoint it continues: refused before any work (exit
code 2) with one line that names the file looked for and the checkpoints that are there;
and a file at the checkpoint's place that is no checkpoint (:func:`checkpoint_free`).

``train`` keeps a run's state in ``MODEL.ckpt.npz`` beside the model ``--out MODEL.npz``
(:func:`checkpoint_of`). An ``--out`` that is a folder is refused as ``train`` refuses it
without ``--resume`` (it names a file to write), and the line names the checkpoints in that
folder and the ``--out`` that resumes each; a missing checkpoint is named with the folder's
checkpoints too (the earlier run's model may have had another name)."""

from __future__ import annotations

from pathlib import Path

from glassnet.cli.out_checks import names_folder
from glassnet.cli.usage import UsageError

_CKPT = ".ckpt.npz"


def checkpoint_of(out: str | Path) -> Path:
    """Where ``train --out out`` keeps the run's state: ``m.npz`` -> ``m.ckpt.npz``."""
    out = Path(out)
    return out.with_name(out.name.removesuffix(".npz") + _CKPT)


def resumable(out: str | Path) -> None:
    """Raise :class:`UsageError` unless ``--out out`` names a model whose checkpoint exists."""
    if Path(out).is_dir() or names_folder(out):
        what = "is a folder" if Path(out).is_dir() else "names a folder (it ends in /)"
        raise UsageError(f"--out {out} {what}; name the model file to write (with "
                         f"--resume, the earlier run's): {_held(Path(out))}")  # fmt: skip
    checkpoint = checkpoint_of(out)
    if not checkpoint.is_file():
        raise UsageError(f"{checkpoint}: no checkpoint to resume from (train keeps a run's "
                         f"state beside the model it writes to --out: --out {out} keeps "
                         f"{checkpoint.name}); {_held(checkpoint.parent)}")  # fmt: skip


def checkpoint_free(out: str | Path, ensemble: bool = False) -> None:
    """Raise :class:`UsageError` when the file where ``train --out out`` keeps its run's
    state (:func:`checkpoint_of`; an ensemble removes it) is a file glassnet did not write
    there, or another kind of glassnet file: it would be replaced (or removed) silently.
    Absent, empty or a glassnet checkpoint (of this run or an earlier one) is fine (with
    ``--resume`` the checkpoint is read instead, and a damaged one reported as such);
    ``ensemble``: the line says removed (an ensemble writes none, and removes an earlier
    run's)."""
    from glassnet.cli.file_kinds import npz_format, run_file_kind

    checkpoint = checkpoint_of(out)
    if not checkpoint.is_file() or checkpoint.stat().st_size == 0:
        return
    if npz_format(checkpoint) in ("glassnet-checkpoint", "glassnet"):
        return
    kind = run_file_kind(checkpoint) or ("no readable checkpoint (a file glassnet did not "
                                         "write, or a damaged checkpoint)")  # fmt: skip
    if kind == "a glassnet model or checkpoint":
        kind = "a glassnet model, not a checkpoint"
    fate = "removed (an ensemble keeps no checkpoint)" if ensemble else "replaced"
    raise UsageError(f"{checkpoint}, where train keeps the run's state beside --out {out}, "
                     f"is {kind}: it would be {fate}; name another --out")  # fmt: skip


def _held(folder: Path) -> str:
    """The checkpoints in ``folder`` and the ``--out`` that resumes each, in words."""
    try:
        found = sorted(p for p in folder.iterdir() if p.name.endswith(_CKPT) and p.is_file())
    except OSError:
        return f"{folder} cannot be read" if folder.exists() else f"{folder} does not exist"
    if not found:
        return f"{folder} holds no checkpoint (*{_CKPT})"
    outs = [f"--out {p.with_name(p.name.removesuffix(_CKPT) + '.npz')}" for p in found[:3]]
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    names = ", ".join(p.name for p in found[:3]) + more
    them = "it" if len(found) == 1 else "them"
    return f"{folder} holds {names}: {' or '.join(outs)} resumes {them}"
