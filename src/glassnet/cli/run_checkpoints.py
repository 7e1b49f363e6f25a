"""A single run's checkpoints (:mod:`glassnet.files.checkpoint`) as ``glassnet train`` uses
them: the state ``--resume`` continues from, checked against the run's settings (those
that differ named in the options' words), the line that says where the run goes on from,
and what runs after every epoch (the checkpoints, the report's observer)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from glassnet.cli.recipe import Recipe
from glassnet.cli.run_record import fingerprint, resumable, settings_differ
from glassnet.cli.run_setup import Prepared
from glassnet.cli.usage import NotApplicable
from glassnet.core.wording import counted
from glassnet.files.checkpoint import CheckpointMismatch, Checkpoints, load_checkpoint
from glassnet.train.loop import LoopState


def run_checkpoints(
    path: str | os.PathLike[str] | None,
    resume: bool,
    recipe: Recipe,
    data: Prepared,
    params: Any,
) -> tuple[LoopState | None, Checkpoints | None]:
    """The state to resume from (read from ``path`` when ``resume``) and the checkpoints
    the run writes to ``path`` (none without it); a checkpoint of other settings is
    :class:`~glassnet.cli.usage.NotApplicable`, naming them."""
    if not path:
        return None, None
    key, settings = fingerprint(recipe, data.X, data.y), resumable(recipe, data.X, data.y)
    state = None
    if resume:
        try:
            state = load_checkpoint(path, key, settings, like=params)
        except CheckpointMismatch as exc:  # the arguments differ from the run's: a usage error
            raise NotApplicable(
                f"{path}: the checkpoint belongs to a run with "
                f"{settings_differ(exc.saved, exc.now)}; resume with the same arguments, or "
                "start afresh without --resume"
            ) from None
        if state.epoch > recipe.epochs:
            held = counted(state.epoch, "epoch")
            raise NotApplicable(f"--epochs {recipe.epochs}: the checkpoint {path} already "
                                f"holds {held}; give at least that many")  # fmt: skip
    return state, Checkpoints(path, key, settings)


def resuming(state: LoopState, recipe: Recipe, notify: Callable[[str], None]) -> None:
    """Say where a resumed run goes on from, and when it had ended for good."""
    notify(f"resuming from epoch {state.epoch} (of at most {recipe.epochs})")
    if state.first_loss is None and state.epoch > 0:  # a checkpoint of an old glassnet
        notify("the checkpoint keeps no loss of the run's first batch: the divergence bound "
               "is taken from the first batch after the resume")  # fmt: skip
    if state.history.stop_reason != "completed":  # a longer run would have ended there too
        ended = f"the run ended at epoch {state.epoch} by {state.history.stop_reason}"
        notify(f"{ended}, so more --epochs train nothing more; a larger --patience needs "
               "a new run")  # fmt: skip
    elif state.epoch >= recipe.epochs:  # a finished run resumed with the same --epochs
        notify(f"the run already trained its {counted(state.epoch, 'epoch')}, so nothing more "
               "is trained; give more --epochs to continue it")  # fmt: skip


def after_epoch(checkpoints: Checkpoints | None, observer: Any) -> Callable[[LoopState], None]:
    """What runs after every epoch: the checkpoints see the state (written every few
    seconds), the observer looks."""

    def after_epoch(loop: LoopState) -> None:
        if checkpoints is not None:
            checkpoints(loop)
        if observer is not None:
            observer(loop)

    return after_epoch
