"""How ``glassnet train --ensemble K`` ends on a stop signal (Ctrl-C, ``SIGTERM``, ``SIGHUP``,
``SIGQUIT``), as a single run does: every member that had begun is saved at its kept epoch
so far (:class:`glassnet.train.members.PopulationInterrupted`), with ``history.json``,
``loss.png`` and ``report.html`` beside the model, and one line on stderr says where and
how the members were handled; the exit code is 128 + the signal's number."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from glassnet.cli.stops import after_last_epoch, exit_code, signal_name
from glassnet.core.wording import counted


def stopped_line(outcome: Any, out: Path, written: list[Path]) -> str:
    """The one line: ``interrupted after 40 epochs by SIGTERM: saved each member's best
    parameters so far (kept epochs 31, 40, 38) to e.npz, ...``."""
    result = outcome.result
    epochs = result.loss.shape[0]
    kept = ", ".join(map(str, result.best_epoch))
    if epochs:
        said = f"interrupted after {counted(epochs, 'epoch')} by {signal_name()}"
        start = "; 0: the initialization" if 0 in result.best_epoch else ""
        what = f"each member's kept parameters so far (kept epochs {kept}{start})"
    else:
        said = f"interrupted by {signal_name()} before epoch 1 ended"
        what = "each member's initial parameters (epoch 0)"
    line = f"{said}: saved {what} to {out}"
    beside = [p.name for p in written if p != out]
    if beside:
        line += f", with {', '.join(beside)} beside it"
    begun, planned = len(result.members), outcome.interrupted or len(result.members)
    if begun < planned:
        line += f"; the ensemble holds the {counted(begun, 'member')} that had begun, of {planned}"
    return line + "; an ensemble keeps no checkpoint: --resume cannot continue it"


def after_training(outcome: Any, out: Path, written: list[Path]) -> int:
    """A signal came after training, while the files were written (they all were, and the
    summary is printed): say so, and how the record says the members ended."""
    files = ", ".join([str(out), *(p.name for p in written if p != out)])
    line = after_last_epoch("every member", outcome.result.stop_reasons())
    print(f"\n{line} ({files})", file=sys.stderr)
    return exit_code()
