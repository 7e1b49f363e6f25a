"""Reading a checkpoint back (:func:`load_checkpoint`): every size checked before data is
read, every fault one :class:`CheckpointError`, a checkpoint of another run a
:class:`CheckpointMismatch` naming the settings that differ (:func:`settings_differ`).
:mod:`glassnet.files.checkpoint` writes them and serves these names too."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

from glassnet.core import optimizers
from glassnet.core._types import Array, ParamList
from glassnet.core.schedules import ScheduleState
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
            f"{settings_differ(meta.get('settings'), settings)}; resume with the same "
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


def settings_differ(
    saved: Any,
    now: dict[str, Any] | None,
    said: Callable[[str, Any, Any], str] | None = None,
) -> str:
    """What differs between a checkpoint's settings and this run's: ``other settings (...)``
    with ``said(key, saved value, value now)`` for each that differs (by default ``lr:
    0.01 in the checkpoint, now 0.1``), ``other data`` when none does, ``other settings or
    data`` when the checkpoint holds none. The CLI passes its own wording (its options)."""
    if not isinstance(saved, dict) or now is None:
        return "other settings or data"
    said = said or _said
    changed = [said(k, saved.get(k), now.get(k)) for k in sorted(set(saved) | set(now))
               if saved.get(k) != now.get(k)]  # fmt: skip
    return f"other settings ({'; '.join(changed)})" if changed else "other data"


def _said(key: str, saved: Any, now: Any) -> str:
    return f"{key}: {saved!r} in the checkpoint, now {now!r}"


def _unflatten(prefix: str, arrays: dict[str, Array]) -> ParamList:
    tree: dict[int, dict[str, Array]] = {}
    for name, v in arrays.items():
        head, _, rest = name.partition(".")
        if head == prefix:
            i, k = rest.split(".")
            tree.setdefault(int(i), {})[k] = v
    return [tree[i] for i in sorted(tree)]


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
    history = History.from_dict(meta["history"])
    return LoopState(
        int(meta["epoch"]),
        _unflatten("params", arrays),
        opt_state,
        ScheduleState(**sched),
        dict(meta["rng_state"]),
        _unflatten("best", arrays),
        best_loss,
        int(meta["bad_epochs"]),
        history,
        _stored_first_loss(meta["first_loss"]) if "first_loss" in meta else first_loss_of(history),
    )


def _stored_first_loss(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"first_loss {value!r} is not a non-negative number")
    return float(value)


def first_loss_of(history: History) -> float | None:
    """The base of the divergence bound for a checkpoint written before checkpoints kept
    the run's first batch loss: epoch 0's training loss (the initial parameters on all
    training rows, of which the first batch is a part), else the first epoch's mean
    training loss; None when the history holds neither (the resumed run's first batch
    then sets it, as the CLI says)."""
    first = [history.initial] if history.initial is not None else []
    for record in first + history.records[:1]:
        if math.isfinite(record.loss) and record.loss > 0:
            return float(record.loss)
    return None
