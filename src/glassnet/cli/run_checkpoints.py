"""A single run's checkpoints (:mod:`glassnet.files.checkpoint`) as ``glassnet train`` uses
them: the state ``--resume`` continues from, checked against the run's settings (those
that differ named in the options' words), the line that says where the run goes on from,
and what runs after every epoch (the checkpoints, the report's observer)."""

from __future__ import annotations

import dataclasses
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
        state, key, settings = _resumed(path, recipe, data, params)
        if state.epoch > recipe.epochs:
            held = counted(state.epoch, "epoch")
            raise NotApplicable(f"--epochs {recipe.epochs}: the checkpoint {path} already "
                                f"holds {held}; give at least that many")  # fmt: skip
    return state, Checkpoints(path, key, settings)


def _resumed(
    path: str | os.PathLike[str], recipe: Recipe, data: Prepared, params: Any
) -> tuple[LoopState, str, dict[str, Any]]:
    """The state in the checkpoint ``path`` with the fingerprint and settings it matched.

    ``--init-seed S`` with ``--seed S`` is the run of no ``--init-seed`` (the same
    initialization and minibatch order), so either form resumes a checkpoint of the other.
    A checkpoint of other settings raises :class:`NotApplicable`, naming them."""
    forms = [recipe]
    if recipe.init_seed is None or recipe.init_seed == recipe.seed:
        other = None if recipe.init_seed is not None else recipe.seed
        forms.append(dataclasses.replace(recipe, init_seed=other))
    mismatch: CheckpointMismatch | None = None
    for form in forms:
        key, settings = fingerprint(form, data.X, data.y), resumable(form, data.X, data.y)
        try:
            return load_checkpoint(path, key, settings, like=params), key, settings
        except CheckpointMismatch as exc:  # the arguments differ from the run's: a usage error
            mismatch = mismatch or exc
    assert mismatch is not None
    saved, now = _effective(mismatch.saved, mismatch.now)
    raise NotApplicable(
        f"{path}: the checkpoint belongs to a run with {settings_differ(saved, now)}; resume "
        "with the same arguments, or start afresh without --resume"
    ) from None


def _effective(saved: Any, now: dict[str, Any] | None) -> tuple[Any, dict[str, Any] | None]:
    """Both settings with the init seed as it acts where one of them gives it: no
    ``--init-seed`` is the ``--seed`` (where neither gives it, neither is named)."""
    if not isinstance(saved, dict) or now is None:
        return saved, now
    if (saved.get("init_seed") is None) == (now.get("init_seed") is None):
        return saved, now
    acts = [s.get("seed") if s.get("init_seed") is None else s["init_seed"] for s in (saved, now)]
    if acts[0] == acts[1]:  # the same initialization: not named
        return {**saved, "init_seed": acts[0]}, {**now, "init_seed": acts[1]}
    fill = [{**s, "init_seed": f"not given (default: --seed {s.get('seed')})"}
            if s.get("init_seed") is None else s for s in (saved, now)]  # fmt: skip
    return fill[0], fill[1]


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
