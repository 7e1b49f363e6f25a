"""What ``glassnet train --ensemble K`` does, given parsed arguments: train the members
(:func:`glassnet.cli.ensemble.ensemble_model`), save the model with ``history.json``,
``loss.png`` and ``report.html`` beside it, and say how the members ended."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from glassnet.cli.ensemble import ensemble_model, ensemble_page, write_curves
from glassnet.cli.recipe import Recipe
from glassnet.core.wording import counted
from glassnet.data.tables import DataError


def train_ensemble(
    args: argparse.Namespace,
    X: Any,
    y: Any,
    names: tuple[str, ...],
    source: str,
    recipe: Recipe,
) -> int:
    """``glassnet train --ensemble K`` on the data and recipe ``glassnet train`` would use:
    train, save the model, write its report. A stop signal during training saves the
    members so far the same way (:mod:`glassnet.cli.ensemble_stops`)."""
    from glassnet.cli.ensemble_stops import after_training, stopped_line
    from glassnet.cli.replacing import Replaced
    from glassnet.cli.run_outputs import (
        _split_line,
        encoding_lines,
        extras_paths,
        task_notes,
    )
    from glassnet.cli.schedule_options import plateau_watches
    from glassnet.cli.stops import exit_code, received, signal_name
    from glassnet.cli.train_inputs import print_setup
    from glassnet.files.fileio import signals_deferred, write_text
    from glassnet.files.modelfile import save_model

    shape = (X.n_rows, len(X.names)) if hasattr(X, "n_rows") else X.shape
    stopping = "no early stopping" if recipe.patience is None else f"patience {recipe.patience}"
    kept = "last" if recipe.patience is None or not recipe.val_size else "best validation"
    samples, columns = counted(shape[0], "sample"), counted(shape[1], "feature column")
    print(f"training an ensemble of {args.ensemble} on {source}: {samples}, "
          f"{columns} (up to {counted(recipe.epochs, 'epoch')}, {stopping}, member by "
          f"member; each keeps its {kept} epoch)", flush=True)  # fmt: skip
    if not recipe.val_size:  # as a single run says it (glassnet.cli.train_inputs.announce)
        print("no validation set (--val-fraction 0): training on all rows other than the test "
              "set; early stopping is off and each member keeps its last epoch")  # fmt: skip
        watches = plateau_watches(recipe.schedule, recipe.val_size)
        if watches:
            print(watches)
    outcome = ensemble_model(X, y, recipe, args.ensemble, names, print_setup)
    out = Path(args.out)
    report = extras_paths(out)["report.html"]  # as a single run's: report.html beside it
    before = Replaced.in_folder(out.parent)
    notes = task_notes(outcome)
    notes += [_split_line(line) for line in encoding_lines(outcome.model.encoding)]
    written: list[Path] = []
    ending = {"signal": signal_name()}  # each member's stop_reason says "interrupted"
    if outcome.interrupted:  # the record says which signal stopped the run
        outcome.model.settings["run"].update(stop_reason="interrupted", signal=signal_name())
    try:
        with signals_deferred():  # a stop signal acts once every file is written
            written.append(save_model(outcome.model, out))
            written += write_curves(outcome.result, out, ending if outcome.interrupted else None)
            title = f"glassnet train --ensemble {args.ensemble}: {source}"
            written.append(write_text(report, ensemble_page(outcome, title, notes)))
    except KeyboardInterrupt:  # it acts once every file is written: said below
        pass
    _remove_stale(out)
    if outcome.interrupted:  # a stop signal during training: as a single run, one line
        before.note(written)
        print(f"\n{stopped_line(outcome, out, written)}", file=sys.stderr)
        return exit_code()
    for s in outcome.spreads:
        print(s.line())
    print(endings(outcome.result.stop_reasons(), recipe.epochs))
    print("kept epochs (the parameters saved): "
          + ", ".join(map(str, outcome.result.best_epoch)))  # fmt: skip
    before.note(written)
    print("wrote " + ", ".join(map(str, written)))
    if received():  # a stop signal after training, as the files were written
        return after_training(outcome, out, written)
    if all(outcome.result.diverged):  # as a single run that diverges: exit code 1
        raise DataError(f"every member diverged (try a smaller --lr); {out} holds each "
                        "member's parameters of its kept epoch")  # fmt: skip
    return 0


def _remove_stale(out: Path) -> None:
    """Remove a single run's checkpoint of the model this ensemble replaced."""
    stale = out.with_name(out.name.removesuffix(".npz") + ".ckpt.npz")
    if stale.is_file():
        stale.unlink()
        print(f"removed {stale}: the checkpoint of the run {out} held before (an ensemble "
              "writes none, so --resume could only resume that other run)")  # fmt: skip


ENDINGS = {
    "completed": "ran all {epochs}",
    "early stopping": "stopped early (patience)",
    "diverged": "diverged",
    "interrupted": "were interrupted (a stop signal)",
}


def endings(reasons: list[str], epochs: int) -> str:
    """How the members ended, in words: ``members: 3 ran all 2 epochs``."""
    ran = counted(epochs, "epoch")
    counts = [(reasons.count(r), ENDINGS.get(r, r).format(epochs=ran)) for r in ENDINGS]
    return "members: " + ", ".join(f"{k} {what}" for k, what in counts if k)

