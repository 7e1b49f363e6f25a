"""What ``glassnet train`` does, given parsed arguments: read the data, lay the options over
the recipe, train (:func:`glassnet.cli.workflow.train_model`), save the model and the files
beside it (:mod:`glassnet.cli.run_outputs`), and say what happened.

Bad input raises :class:`glassnet.data.tables.DataError` (or another ``ValueError``); the CLI
turns it into one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from glassnet.cli.replacing import Replaced
from glassnet.cli.run_outputs import extras_paths, summary_lines, write_extras
from glassnet.cli.stops import after_last_epoch, exit_code, received, signal_name
from glassnet.cli.train_inputs import (
    RECIPE_FLAGS,
    announce,
    print_setup,
    recipe_from_args,
    training_data,
)
from glassnet.core.wording import counted
from glassnet.data.tables import DataError
from glassnet.files.fileio import WriteError, signals_deferred
from glassnet.files.modelfile import save_model

__all__ = ["RECIPE_FLAGS", "recipe_from_args", "train", "training_data"]


def train(args: argparse.Namespace) -> int:
    """Run ``glassnet train``; returns the exit code."""
    from glassnet.cli.workflow import RunStopped, train_model
    from glassnet.train.progress import progress

    if args.ensemble > 1:
        from glassnet.cli.ensemble_command import train_ensemble

        try:
            return train_ensemble(args, *training_data(args), recipe_from_args(args))
        except KeyboardInterrupt:  # before the members began: nothing to save
            return _nothing_written()
    try:
        X, y, names, source = training_data(args)
        recipe = recipe_from_args(args)
    except KeyboardInterrupt:  # while the data is read: nothing to save
        return _nothing_written()
    out = Path(args.out)
    checkpoint = out.with_name(out.name.removesuffix(".npz") + ".ckpt.npz")
    earlier = None if args.resume else _identity(checkpoint)  # a fresh run writes over it
    tick, close = progress(recipe.epochs, mode=args.progress)
    try:
        outcome = train_model(
            X, y, recipe, names, (tick,), checkpoint, args.resume, True, notify=_say,
            announce=lambda: announce(X, source, recipe), describe=print_setup,
        )  # fmt: skip
    except RunStopped as stop:
        close()
        return _stopped(stop, out, checkpoint, source, earlier)
    except KeyboardInterrupt:  # before the network existed or after the loop: nothing to save
        close()
        return _interrupted_outside_the_loop(checkpoint)
    close()
    return _save(outcome, out, checkpoint, source, earlier)


def _identity(path: Path) -> tuple[int, int, int] | None:
    """``(inode, mtime, size)`` of ``path``, None when there is none (atomic writes give a
    replaced file a new inode)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _replaced_checkpoint(checkpoint: Path, earlier: tuple[int, int, int] | None) -> list[Path]:
    """``[checkpoint]`` when this fresh run wrote over an earlier run's checkpoint (so
    that run can no longer be resumed: the note names it), else ``[]``."""
    return [checkpoint] if earlier is not None and _identity(checkpoint) != earlier else []


def _nothing_written() -> int:
    print(f"\ninterrupted by {signal_name()} before training began; nothing was written",
          file=sys.stderr)  # fmt: skip
    return exit_code()


def _save(outcome: Any, out: Path, checkpoint: Path, source: str, earlier: Any = None) -> int:
    """Save the model and the files beside it; a stop signal that comes meanwhile (or came
    after the last epoch) acts once every file is written: the summary is printed, the
    record says how training ended (``completed``, ``early stopping``, ...: not
    ``interrupted``, as training was not), and the exit code is the signal's."""
    history = outcome.result.history
    paths, ckpt = extras_paths(out), _replaced_checkpoint(checkpoint, earlier)
    if not outcome.trained:  # a resume with nothing left to train: the files stay
        missing = {k: p for k, p in paths.items() if not p.exists()}
        if out.exists() and not missing:
            return _left_as_they_are(out, paths)
        paths = missing  # those an interrupted save left unwritten
    before = Replaced(out, *paths.values(), *ckpt)
    written: list[Path] = []
    done = False
    try:
        with signals_deferred():  # a stop signal now acts once every file is written
            if outcome.trained or not out.exists():
                save_model(outcome.model, out)
                written.append(out)
            write_extras(outcome, paths, out, source, written)
            done = True
    except KeyboardInterrupt:
        if not done:  # a write failed as the signal came, or a second one gave up the report
            return _cut_short(out, [*written], checkpoint, [out, *paths.values()])
    except OSError as exc:
        raise WriteError(exc.errno or 0, f"{exc}; {_what_was_kept(written, checkpoint)}") from None
    for line in summary_lines(history, outcome.rows):
        print(line)
    before.note([*written, *ckpt], out)
    print("wrote " + ", ".join(map(str, written)))
    if checkpoint.is_file() and history.stop_reason == "completed":
        print(f"kept the run's state in {checkpoint}: --resume with more --epochs continues it")
    if received():
        print("\n" + after_last_epoch("the run", [history.stop_reason]), file=sys.stderr)
        return exit_code()
    return 0


def _left_as_they_are(out: Path, paths: dict[str, Path]) -> int:
    """A resumed run that trained nothing writes nothing: it says so, exit code 0."""
    beside = ", ".join(p.name for p in paths.values())
    print(f"nothing was trained, so nothing is written: {out} and {beside} beside it are "
          "left as they are")  # fmt: skip
    return 0


def _cut_short(out: Path, written: list[Path], checkpoint: Path, planned: list[Path]) -> int:
    if not written:
        return _interrupted_outside_the_loop(checkpoint)
    missing = ", ".join(p.name for p in planned if p not in written)
    print(f"\ninterrupted by {signal_name()} after training: wrote "
          f"{', '.join(map(str, written))}; not written: {missing}; the same command with "
          "--resume writes them", file=sys.stderr)  # fmt: skip
    return exit_code()


def _interrupted_outside_the_loop(checkpoint: Path) -> int:
    left = (
        f"the checkpoint {checkpoint} holds the run so far: rerun with --resume to finish it"
        if checkpoint.is_file()
        else "training had not begun, so nothing was written"
    )
    print(f"\ninterrupted by {signal_name()}; {left}", file=sys.stderr)
    return exit_code()


def _what_was_kept(written: list[Path], checkpoint: Path) -> str:
    if written:
        return "already written and kept: " + ", ".join(map(str, written))
    return (
        f"nothing was written; the checkpoint {checkpoint} holds the trained state: "
        "fix the problem and rerun with --resume to save the model"
    )


def _say(message: str) -> None:
    print(message, flush=True)


def _stopped(stop: Any, out: Path, checkpoint: Path, source: str, earlier: Any = None) -> int:
    """A stop signal or divergence: save what is worth keeping, atomically, and say where.

    An interrupted run saves the model of its kept epoch (epoch 0, the initialization, when
    no epoch had ended) with its record (``settings["run"]``: ``stop_reason``
    ``interrupted`` and the ``signal``), then ``history.json``, ``loss.png`` and
    ``report.html`` as a finished run does, and says so in one line on stderr."""
    from glassnet.train.loop import TrainingInterrupted

    if not isinstance(stop.cause, TrainingInterrupted):
        _diverged(stop, out, source)
    history = stop.outcome.result.history
    stop.model.settings["run"]["signal"] = signal_name()
    resume = (
        f"the checkpoint {checkpoint} lets --resume continue the run"
        if stop.resumable
        else "no checkpoint was written: run it again without --resume"
    )
    paths, written, cut = extras_paths(out), [], ""
    ckpt = _replaced_checkpoint(checkpoint, earlier)
    before = Replaced(out, *paths.values(), *ckpt)
    try:
        with signals_deferred():  # a second signal cannot cut this save short
            save_model(stop.model, out)
        written.append(out)
        write_extras(stop.outcome, paths, out, source, written)
    except OSError as exc:
        kept = f"; {out} is saved" if written else ""
        print(f"\ninterrupted by {signal_name()}; {exc}{kept}; {resume}", file=sys.stderr)
        return exit_code()
    except KeyboardInterrupt:  # a second signal gave up the report (glassnet.cli.stops)
        missing = ", ".join(p.name for p in paths.values() if p not in written)
        cut = f"; a second signal: not written {missing}"
    before.note([*written, *ckpt], out)
    print(f"\n{_saved_line(history, out, written)}{cut}; {resume}", file=sys.stderr)
    return exit_code()


def _diverged(stop: Any, out: Path, source: str) -> None:
    """A diverged run: its model (the last finite parameters) and, as an interrupted run
    writes them, ``history.json``, ``loss.png`` and ``report.html`` of the epochs done;
    then the error (exit code 1) says so."""
    paths, written = extras_paths(out), [out]
    before = Replaced(out, *paths.values())
    with signals_deferred():
        save_model(stop.model, out)
    if stop.outcome is not None:
        write_extras(stop.outcome, paths, out, source, written)
    before.note(written, out)
    beside = [p.name for p in written if p != out]
    with_them = f", with {', '.join(beside)} beside it" if beside else ""
    raise DataError(f"{stop}; saved those parameters to {out}{with_them}")


def _saved_line(history: Any, out: Path, written: list[Path]) -> str:
    """``interrupted after 12 epochs by SIGTERM: saved the best parameters so far (epoch 9)
    to m.npz, with history.json, loss.png, report.html beside it``."""
    epochs, kept = history.epochs, history.kept_epoch
    if not epochs:
        what = (f"interrupted by {signal_name()} before epoch 1 ended: saved the initial "
                f"parameters (epoch 0) to {out}")  # fmt: skip
    else:
        which = "the last epoch's parameters" if kept == epochs else "the best parameters so far"
        after = counted(epochs, "epoch")
        what = f"interrupted after {after} by {signal_name()}: saved {which} (epoch {kept})"
        what += f" to {out}"
    beside = [p.name for p in written if p != out]
    return what + (f", with {', '.join(beside)} beside it" if beside else "")
