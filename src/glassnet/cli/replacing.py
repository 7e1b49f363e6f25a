"""Naming what a command replaced, once the new files are in place.

Every file the CLI writes is written atomically (:mod:`glassnet.files.fileio`): a write
that fails leaves the earlier file as it was. So a command says that it replaced a file
only after the write succeeded, and says nothing of the kind when it failed::

    before = Replaced(out)          # which of these files exist now
    save_model(model, out)          # may fail: then out is intact and nothing is said
    before.note([out])              # "note: replaced the earlier out"
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(path)


class Replaced:
    """The files among ``paths`` (and, with :meth:`in_folder`, a folder's files) that exist
    before a command writes."""

    def __init__(self, *paths: str | os.PathLike[str]) -> None:
        self.before = {_key(p) for p in paths if Path(p).is_file()}

    @classmethod
    def in_folder(cls, folder: str | os.PathLike[str]) -> Replaced:
        """Every file in ``folder`` now (none when it does not exist yet)."""
        path = Path(folder)
        return cls(*(p for p in path.iterdir() if p.is_file())) if path.is_dir() else cls()

    def among(self, written: Iterable[str | os.PathLike[str]]) -> list[str]:
        """The ``written`` paths that existed before, as given."""
        return [str(p) for p in written if _key(p) in self.before]

    def note(
        self, written: Iterable[str | os.PathLike[str]], model: str | os.PathLike[str] | None = None
    ) -> None:
        """Print one line naming the ``written`` files that replaced earlier ones (if any).
        When the ``model`` file was among them, a second line names the files left beside it
        that ``export-onnx`` and ``report`` made from an earlier model
        (:func:`glassnet.cli.default_outs.derived_paths`): they are kept, never deleted."""
        written = list(written)
        replaced = self.among(written)
        if replaced:
            print("note: replaced the earlier " + ", ".join(replaced))
        if model is not None and _key(model) in self.before:
            from glassnet.cli.default_outs import derived_paths

            mine = {_key(p) for p in written}
            left = [str(p) for p in derived_paths(model) if _key(p) not in mine]
            if left:
                print(f"note: {', '.join(left)} {'were' if len(left) > 1 else 'was'} made from "
                      f"an earlier model, not this one; export-onnx or report again")  # fmt: skip


def folder_prefix(folder: str | os.PathLike[str], names: Iterable[str], command: str) -> str:
    """``""`` when ``command`` (``sweep`` or ``demo``) may write ``names`` into ``folder``;
    ``"sweep."`` (or ``"demo."``) when one of them there is another command's file (a
    training run's ``report.html`` or ``loss.png``, another command's report) or a file no
    glassnet command wrote (the user's ``results.csv``, a data set ``best.npz``): then every
    file goes beside them under ``sweep.NAME``, as a second ``train`` writes
    ``MODEL.report.html``, and one line says so. Its own kind of file, or an empty one, is
    replaced (and named as replaced once written)."""
    from glassnet.cli.checks import run_file_kind, sweeps_history
    from glassnet.cli.file_kinds import glassnet_wrote

    path, names = Path(folder), list(names)
    history = path / "history.json"
    trained = run_file_kind(history) == "a training history" and not (
        command == "sweep" and sweeps_history(history)
    )  # a training run's (or, for the demo, a sweep's) history: its files are not ours
    held, foreign = [], []
    for name in names:
        at = path / name
        if not at.is_file() or at.stat().st_size == 0:
            continue
        kind = run_file_kind(at)
        if not glassnet_wrote(kind):
            foreign.append(name)
        if kind not in OWN[command] or (trained and name in RUN_FILES):
            held.append(name)
    if not held:
        return ""
    whose = "files glassnet did not write" if foreign else "files another command wrote"
    if foreign and len(foreign) < len(held):
        whose = "files another command wrote, or glassnet did not write"
    print(f"note: {path} holds {whose} ({', '.join(held)}); this "
          f"{command}'s go to {', '.join(f'{command}.{n}' for n in names)}")  # fmt: skip
    return f"{command}."


RUN_FILES = ("history.json", "loss.png", "report.html")  # written beside a model


_MODEL = "a glassnet model or checkpoint"
OWN = {  # the kinds of file (checks.run_file_kind) each command writes into its folder
    "sweep": {"a sweep's results table", _MODEL, "a sweep report", "a training history",
              "a figure (PNG image)"},
    "demo": {"a demo's metrics", _MODEL, "a figure (PNG image)", "a demo report",
             "an animation (GIF)"},
}  # fmt: skip
