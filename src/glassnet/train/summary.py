"""What a model file keeps of the run that made it (``settings["run"]``), from the run's
:class:`~glassnet.train.history.History`: the same summary for ``glassnet train``, a
sweep's best member and an estimator's ``save``."""

from __future__ import annotations

from typing import Any

__all__ = ["run_summary"]


def run_summary(history: Any) -> dict[str, Any]:
    """What the model file records of its run: epochs, the kept and best epochs, the final
    scores (of the saved parameters) and the loss at initialization."""
    initial = history.initial
    return {
        "epochs": history.epochs,
        "kept_epoch": history.kept_epoch,
        "best_epoch": history.lowest_epoch(),
        "stop_reason": history.stop_reason,
        "initial_loss": None if initial is None else initial.loss,
        "final": history.final,
    }
