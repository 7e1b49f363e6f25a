"""Checkpoints: the training loop's state after an epoch, in one pickle-free ``.npz``.

A checkpoint holds the current and the best parameters, the optimizer state, the
schedule state, the shuffling generator's state, the early-stopping counters, the
history so far, the run's first batch loss (its divergence bound's base) and a
``fingerprint`` of the settings and data it belongs to.
:func:`glassnet.train.loop.fit` given the loaded state continues exactly where the
interrupted run stopped. :class:`Checkpoints` writes them on a time interval (a write per
epoch would cost tiny runs most of their time) and once more when the run ends.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.files.checkpoint_load import (
    CheckpointError,
    CheckpointMismatch,
    load_checkpoint,
    settings_differ,
)
from glassnet.files.fileio import write_npz
from glassnet.train.state import LoopState

__all__ = [
    "CHECKPOINT_EVERY_S",
    "CheckpointError",
    "CheckpointMismatch",
    "Checkpoints",
    "load_checkpoint",
    "save_checkpoint",
    "settings_differ",
]


def _flatten(prefix: str, tree: ParamList, arrays: dict[str, Array]) -> None:
    for i, layer in enumerate(tree):
        for k, v in layer.items():
            arrays[f"{prefix}.{i}.{k}"] = v


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def save_checkpoint(
    path: str | os.PathLike[str],
    loop: LoopState,
    fingerprint: str,
    settings: dict[str, Any] | None = None,
) -> Path:
    """Write ``loop`` to ``path`` atomically; ``settings`` (JSON values) let a later
    :func:`load_checkpoint` name what differs."""
    arrays: dict[str, Array] = {}
    _flatten("params", loop.params, arrays)
    _flatten("best", loop.best, arrays)
    opt_fields: dict[str, Any] = {}
    for name, value in loop.opt_state._asdict().items():
        if isinstance(value, list):
            _flatten(f"opt_{name}", value, arrays)
            opt_fields[name] = "tree"
        else:
            opt_fields[name] = value
    meta = {
        "format": "glassnet-checkpoint",
        "fingerprint": fingerprint,
        "settings": settings,
        "epoch": loop.epoch,
        "opt_state": {"type": type(loop.opt_state).__name__, "fields": opt_fields},
        "schedule": {**loop.schedule._asdict(), "best": _finite(loop.schedule.best)},
        "rng_state": loop.rng_state,
        "best_loss": _finite(loop.best_loss),
        "bad_epochs": loop.bad_epochs,
        "history": loop.history.as_dict(),
        "first_loss": loop.first_loss,  # the divergence bound's base (None or finite)
    }
    arrays["meta"] = np.array(json.dumps(meta))
    return write_npz(path, arrays)


CHECKPOINT_EVERY_S = 2.0  # seconds between checkpoint writes during a run


class Checkpoints:
    """The ``on_epoch_end`` of :func:`glassnet.train.loop.fit` that writes checkpoints to
    ``path`` at most every ``every_s`` seconds; :meth:`flush` writes the latest state.

    Call :meth:`flush` when the run ends, whether it finished, was interrupted or diverged:
    the checkpoint then holds the last completed epoch, which ``resume`` continues. A run
    killed outright (``SIGKILL``) loses at most ``every_s`` seconds of training.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        fingerprint: str,
        settings: dict[str, Any] | None = None,
        every_s: float = CHECKPOINT_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path, self.fingerprint, self.settings = path, fingerprint, settings
        self.every_s, self.clock = every_s, clock
        self.written_at = clock()  # the first write comes ``every_s`` into the run
        self.latest: LoopState | None = None  # the state after the last completed epoch
        self._saved: LoopState | None = None

    def __call__(self, loop: LoopState) -> None:
        self.latest = loop
        if self.clock() - self.written_at >= self.every_s:
            self.flush()

    @property
    def written(self) -> bool:
        """Whether this run has written a checkpoint (none before its first epoch ends)."""
        return self._saved is not None

    def flush(self) -> None:
        """Write the latest state unless it is the one written last (or there is none)."""
        if self.latest is None or self.latest is self._saved:
            return
        self._saved = self.latest  # even if a signal ends the write: it completes first
        save_checkpoint(self.path, self.latest, self.fingerprint, self.settings)
        self.written_at = self.clock()
