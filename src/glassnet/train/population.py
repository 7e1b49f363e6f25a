"""Training a population: ``K`` networks of one architecture, each with its own settings.

:func:`fit_population` runs the loop of :func:`glassnet.train.loop.fit` for every member
at once (see :mod:`glassnet.core.population`)::

    for each epoch, for each minibatch position j:
        member k's batch: rows j of its own permutation (from its seed), as fit draws them
        loss (K,), params, state = fast.step(net, stacked params, per-member optimizer, ...)
    score every member on the validation rows; keep each member's best epoch

Member ``k`` ends with the parameters ``fit`` gives for ``TrainConfig(seed=seeds[k],
optimizer=(its learning rate, momentum), weight_decay=...)`` from the same start. Members
whose loss diverges are frozen at their last finite epoch (``diverged``) while the rest
train on. Members train in groups of at most ``group`` when the buffers would be large.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.core import fast
from glassnet.core import population as pop
from glassnet.core._types import Array, ParamList
from glassnet.core.losses import IdentitySquaredError
from glassnet.core.network import Network
from glassnet.core.schedules import Constant
from glassnet.core.workspace import MemberAxis, Workspace
from glassnet.data.batching import count_correct, per_sample, targets_for
from glassnet.data.preprocessing import Standardizer
from glassnet.train.members import Members, PopulationResult, Tracker, join
from glassnet.train.session import checked_data
from glassnet.train.state import TrainConfig

MEMORY_BUDGET = 256 * 2**20  # bytes of step buffers per group of members


def fit_population(
    net: Network,
    X: Any,
    y: Any,
    members: Members,
    config: TrainConfig | None = None,
    *,
    params: ParamList | None = None,
    validation: tuple[Any, Any] | None = None,
    scaler: Standardizer | None = None,
    member_axis: MemberAxis = "auto",
    group: int | None = None,
) -> PopulationResult:
    """Train ``len(members)`` networks ``net`` on ``(X (N, D), y)``; see the module docstring.

    ``params``: stacked initial parameters (default :func:`init_members` from the seeds and
    initial scales). ``config`` gives the epochs, batch size, optimizer (its learning rate
    and momentum unless ``members`` sets them), L2 ``weight_decay``, ``restore_best``,
    dtype and ``max_loss``. Its schedule must be constant and ``patience``, ``alpha`` unset
    (every member trains every epoch); ``ValueError`` otherwise. ``group``: members per
    batch of work (default: as many as fit in ``MEMORY_BUDGET``).
    """
    cfg = config or TrainConfig()
    if not isinstance(cfg.schedule, Constant) or cfg.patience is not None or cfg.alpha:
        raise ValueError("a population trains with a constant schedule, no patience, no alpha")
    X, y = checked_data(net, X, y, "X", "y")
    data = _encode(net, X, y, cfg, scaler)
    val = (
        None
        if validation is None
        else _encode(net, *checked_data(net, *validation, "X_val", "y_val"), cfg, scaler)
    )
    if params is None:
        params = pop.init_members(net, members.seeds, members.init_scale, cfg.dtype)
    K = len(members)
    group = group or _group_size(net, cfg, len(X), K)
    parts = [_fit_group(net, data, val, members.part(slice(a, a + group)), cfg,
                        [{k: v[a : a + group] for k, v in p.items()} for p in params], member_axis)
             for a in range(0, K, group)]  # fmt: skip
    return join(parts, members)


def _encode(
    net: Network, X: Any, y: Any, cfg: TrainConfig, scaler: Standardizer | None
) -> tuple[Array, Array, Array]:
    """Every row once as the loop reads it: ``(X (N, D), T (N, C), y (N,...))``."""
    Xe = scaler.transform(X, cfg.dtype) if scaler is not None else np.asarray(X, dtype=cfg.dtype)
    return Xe, targets_for(net, np.asarray(y), cfg.dtype), np.asarray(y)


def _group_size(net: Network, cfg: TrainConfig, n: int, K: int) -> int:
    """Members per group so that the step's buffers stay within ``MEMORY_BUDGET``."""
    rows = min(cfg.batch_size or n, n)
    per_member = 8 * (3 * rows * sum(net.sizes) + 6 * net.n_params)
    return max(1, min(K, MEMORY_BUDGET // per_member))


def _fit_group(
    net: Network,
    data: tuple[Array, Array, Array],
    val: tuple[Array, Array, Array] | None,
    members: Members,
    cfg: TrainConfig,
    params: ParamList,
    member_axis: MemberAxis,
) -> PopulationResult:
    """One group of members through every epoch (the module docstring's loop)."""
    Xe, Te, _ = data
    n, K = len(Xe), len(members)
    rows = min(cfg.batch_size or n, n)
    ws = Workspace(net, rows, cfg.dtype, K, shared_batch=rows == n, member_axis=member_axis)
    opt, scale = _optimizer(cfg, members, ws), _l2_scale(cfg, members)
    params = [{k: np.asarray(v, dtype=cfg.dtype) for k, v in p.items()} for p in params]
    state, rngs = opt.init(params), [np.random.default_rng(s) for s in members.seeds]
    track = Tracker(params, K, cfg.restore_best and val is not None)
    for epoch in range(1, cfg.epochs + 1):
        total = np.zeros(K)
        for Xb, Tb in _member_batches(Xe, Te, rngs, rows):
            with np.errstate(all="ignore"):  # a diverging member must not stop the others
                loss, params, state = fast.step(net, params, opt, state, Xb, Tb, ws, l2_scale=scale)
            loss = per_sample(net, np.asarray(loss), Xb.shape[-2])
            track.diverged |= ~(np.isfinite(loss) & (loss <= track.bound(loss, cfg)))
            total += loss * Xb.shape[-2]
        snapshot = [{k: v.copy() for k, v in p.items()} for p in params]
        scores = None if val is None else score(net, snapshot, val)
        track.epoch_end(epoch, snapshot, total / n, scores, cfg.monitor)
    return track.result(members)


def _optimizer(cfg: TrainConfig, members: Members, ws: Workspace) -> Any:
    given = {"learning_rate": members.learning_rate, "momentum": members.momentum}
    own = {f.name for f in dataclasses.fields(cfg.optimizer)}
    per_member: dict[str, Sequence[float]] = {k: v for k, v in given.items() if v is not None}
    for name in own & {"learning_rate", "momentum"}:
        per_member.setdefault(name, [getattr(cfg.optimizer, name)] * len(members))
    return pop.member_optimizer(cfg.optimizer, ws, **per_member)


def _l2_scale(cfg: TrainConfig, members: Members) -> Any:
    values = members.weight_decay or (cfg.weight_decay,) * len(members)
    return pop.member_scale(values, cfg.dtype) if any(values) else 0.0


def _member_batches(Xe: Array, Te: Array, rngs: list[np.random.Generator], rows: int) -> Any:
    """Each minibatch position: ``X (K, b, D)``, ``T (K, b, C)`` from every member's own
    permutation (sorted within a batch, as fit reads it); the full batch is shared."""
    n = len(Xe)
    if rows == n:
        yield Xe, Te
        return
    orders = np.stack([rng.permutation(n) for rng in rngs])  # (K, n)
    for start in range(0, n, rows):
        idx = np.sort(orders[:, start : start + rows], axis=1)  # (K, b)
        yield Xe[idx], Te[idx]


def score(
    net: Network, params: ParamList, data: tuple[Array, Array, Array]
) -> tuple[Array, Array | None]:
    """Every member's mean loss ``(K,)`` and accuracy ``(K,)`` (None for regression) on
    encoded ``(X, T, y)``."""
    X, T, _ = data
    with np.errstate(all="ignore"):
        Zo = net.logits(params, X)  # (K, N, C)
        loss = per_sample(net, np.asarray(net.head.loss(Zo, T)), len(X))
    if isinstance(net.head, IdentitySquaredError):
        return loss, None
    return loss, np.asarray(count_correct(net, Zo, T)) / len(X)


__all__ = ["Members", "PopulationResult", "fit_population", "join", "score"]
