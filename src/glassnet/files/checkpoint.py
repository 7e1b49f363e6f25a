"""Checkpoints: the training loop's state after an epoch, in one pickle-free ``.npz``.

A checkpoint holds the current and the best parameters, the optimizer state, the
schedule state, the shuffling generator's state, the early-stopping counters, the
history so far, and a ``fingerprint`` of the settings and data it belongs to.
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

from glassnet.core import optimizers
from glassnet.core._types import Array, ParamList
from glassnet.core.schedules import ScheduleState
from glassnet.files.fileio import write_npz
from glassnet.files.safenpz import FLOATS, NpzError, SafeNpz, Spec
from glassnet.train.history import History
from glassnet.train.state import LoopState


class CheckpointError(ValueError):
    """A checkpoint that cannot be read, or that belongs to another run."""


class CheckpointMismatch(CheckpointError):
    """A readable checkpoint of a run with other settings or data (the message names what
    differs): the arguments, not the file, are at fault. ``saved`` and ``now`` are the two
    settings (JSON values; ``saved`` None when the file holds none), for a caller that
    names them in its own words (the CLI names its options)."""

    def __init__(self, message: str, saved: Any = None, now: dict[str, Any] | None = None):
        super().__init__(message)
        self.saved, self.now = saved, now


def _flatten(prefix: str, tree: ParamList, arrays: dict[str, Array]) -> None:
    for i, layer in enumerate(tree):
        for k, v in layer.items():
            arrays[f"{prefix}.{i}.{k}"] = v


def _unflatten(prefix: str, arrays: dict[str, Array]) -> ParamList:
    tree: dict[int, dict[str, Array]] = {}
    for name, v in arrays.items():
        head, _, rest = name.partition(".")
        if head == prefix:
            i, k = rest.split(".")
            tree.setdefault(int(i), {})[k] = v
    return [tree[i] for i in sorted(tree)]


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


def load_checkpoint(
    path: str | os.PathLike[str],
    fingerprint: str,
    settings: dict[str, Any] | None = None,
    like: ParamList | None = None,
) -> LoopState:
    """Read a checkpoint written for the run with this ``fingerprint``.

    ``like``: the run's parameters (only their shapes are used); every tree in the file
    must have those shapes (without it, the shapes of the file's own ``params`` tree).
    Sizes are checked before data is read (:mod:`glassnet.files.safenpz`). Anything wrong
    with the file, from a damaged zip to a missing field, is one :class:`CheckpointError`;
    one of another run names the ``settings`` that differ.
    """
    try:
        with open(path, "rb") as fh, SafeNpz(fh) as npz:
            meta = npz.meta()
            _check_meta(path, meta, fingerprint, settings)
            arrays = _read_trees(npz, meta, like)
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no checkpoint to resume from") from None
    except CheckpointError:
        raise
    except (NpzError, OSError) as exc:
        raise CheckpointError(f"{path}: not a readable checkpoint ({exc})") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CheckpointError(f"{path}: damaged checkpoint ({type(exc).__name__}: {exc})") from None
    try:
        return _rebuild(meta, arrays)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CheckpointError(f"{path}: damaged checkpoint ({type(exc).__name__}: {exc})") from None


def _check_meta(
    path: str | os.PathLike[str], meta: Any, fingerprint: str, settings: dict[str, Any] | None
) -> None:
    if not isinstance(meta, dict) or meta.get("format") != "glassnet-checkpoint":
        raise CheckpointError(f"{path}: not a glassnet checkpoint")
    if meta.get("fingerprint") != fingerprint:
        raise CheckpointMismatch(
            f"{path}: the checkpoint belongs to a run with "
            f"{_differences(meta.get('settings'), settings)}; resume with the same "
            "arguments, or start afresh without --resume",
            meta.get("settings"),
            settings,
        )


def _read_trees(npz: SafeNpz, meta: dict[str, Any], like: ParamList | None) -> dict[str, Array]:
    """Every tree the metadata names, each shaped like ``like`` (or the file's ``params``)."""
    if like is None:
        loose = Spec(FLOATS, ndim=2)
        shapes = {n[7:]: npz.shape(n, loose) for n in npz.names if n.startswith("params.")}
    else:
        shapes = {f"{i}.{k}": v.shape for i, layer in enumerate(like) for k, v in layer.items()}
    trees = ["params", "best"] + [
        f"opt_{name}" for name, value in meta["opt_state"]["fields"].items() if value == "tree"
    ]
    specs = {f"{t}.{leaf}": Spec(FLOATS, shape) for t in trees for leaf, shape in shapes.items()}
    npz.expect({"meta": Spec(("U",), ()), **specs})
    return {name: npz.read(name, spec) for name, spec in specs.items()}


def _differences(saved: Any, now: dict[str, Any] | None) -> str:
    """``other settings (lr: 0.01 in the checkpoint, now 0.1)`` or ``other data``."""
    if not isinstance(saved, dict) or now is None:
        return "other settings or data"
    changed = [
        f"{k}: {saved.get(k)!r} in the checkpoint, now {now.get(k)!r}"
        for k in sorted(set(saved) | set(now))
        if saved.get(k) != now.get(k)
    ]
    return f"other settings ({'; '.join(changed)})" if changed else "other data"


def _rebuild(meta: dict[str, Any], arrays: dict[str, Array]) -> LoopState:
    spec = meta["opt_state"]
    if spec["type"] not in ("EmptyState", "MomentumState", "AdamState"):
        raise ValueError(f"unknown optimizer state {spec['type']!r}")
    fields = {
        name: _unflatten(f"opt_{name}", arrays) if value == "tree" else value
        for name, value in spec["fields"].items()
    }
    opt_state = getattr(optimizers, spec["type"])(**fields)
    sched = dict(meta["schedule"])
    sched["best"] = math.inf if sched["best"] is None else sched["best"]
    best_loss = math.inf if meta["best_loss"] is None else meta["best_loss"]
    return LoopState(
        int(meta["epoch"]),
        _unflatten("params", arrays),
        opt_state,
        ScheduleState(**sched),
        dict(meta["rng_state"]),
        _unflatten("best", arrays),
        best_loss,
        int(meta["bad_epochs"]),
        History.from_dict(meta["history"]),
    )
