"""Training a population: ``K`` networks of one architecture, each with its own settings.

:func:`fit_population` runs the loop of :func:`glassnet.train.loop.fit` for every member
at once (see :mod:`glassnet.core.population`)::

    for each epoch, for each minibatch position j:
        member k's batch: rows j of its own permutation (from its seed), as fit draws them
        loss (K,), params, state = fast.step(net, stacked params, per-member optimizer, ...)
    score every member on the validation rows; keep each member's best epoch

Member ``k`` ends with the parameters ``fit`` gives for ``TrainConfig(seed=seeds[k],
optimizer=(its learning rate, momentum), weight_decay=...)`` from the same start, with the
config's schedule and early stopping applied to it alone. Members whose loss diverges are
frozen at their last finite epoch (``diverged``) while the rest train on. A stop signal
(Ctrl-C, ``SIGTERM``, ...) raises :class:`~glassnet.train.members.PopulationInterrupted`
with every member's kept parameters so far. Members train in
groups of at most ``group`` (bounded buffers: the cache for tiny layers, memory otherwise);
a group's epochs run in :mod:`glassnet.train.population_epochs`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from glassnet.core import population as pop
from glassnet.core._types import Array, ParamList
from glassnet.core.losses import IdentitySquaredError
from glassnet.core.network import Network
from glassnet.core.workspace import MemberAxis, Workspace, member_layout
from glassnet.data.batching import targets_for
from glassnet.data.preprocessing import Standardizer
from glassnet.train.epochs import epoch_penalty
from glassnet.train.inputs import checked_data
from glassnet.train.member_settings import Rates, l2_scale, member_optimizer
from glassnet.train.members import (
    Members,
    PopulationInterrupted,
    PopulationResult,
    at_start,
    join,
)
from glassnet.train.population_epochs import epochs, score
from glassnet.train.state import TrainConfig
from glassnet.train.tracker import Tracker

MEMORY_BUDGET = 256 * 2**20  # bytes of step buffers per group of members
# Members innermost (tiny layers): a group whose step buffers fit in about this many bytes
# stays in the cache; 4 MiB (about 240 tutorial networks) ran about 17% faster per member
# than 1,000 at once on 2 cores (benchmarks/population.py, a busy machine).
CACHE_BUDGET = 4 * 2**20


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
    dtype, ``max_loss``, and the learning-rate ``schedule`` and early stopping
    (``patience``, ``min_delta``, ``monitor``), both member by member: each member's rate
    follows its own schedule state and each member stops when its own patience runs out
    (kept at that epoch, or at its best with ``restore_best``), exactly as its own fit;
    the run ends when every member has stopped. ``alpha`` must be 0 (``ValueError``).
    ``group``: members per batch of work (default: as many as fit in ``MEMORY_BUDGET``, or
    in ``CACHE_BUDGET`` when the members lie innermost).
    """
    cfg = config or TrainConfig()
    if cfg.alpha:
        raise ValueError("a population trains without alpha (use weight_decay)")
    data = _encode(net, *checked_data(net, X, y, "X", "y"), cfg, scaler)
    val = None
    if validation is not None:
        val = _encode(net, *checked_data(net, *validation, "X_val", "y_val"), cfg, scaler)
    if params is None:
        params = pop.init_members(net, members.seeds, members.init_scale, cfg.dtype)
    K = len(members)
    group = group or _group_size(net, cfg, len(data[0]), K, member_layout(net, member_axis))
    parts: list[PopulationResult] = []
    for a in range(0, K, group):
        these = slice(a, a + group)  # the group's members
        part = [{k: v[these] for k, v in p.items()} for p in params]
        try:
            parts.append(_fit_group(net, data, val, members.part(these), cfg, part, member_axis))
        except KeyboardInterrupt as exc:  # a stop signal: keep what the members have so far
            raise _interrupted(exc, parts, part, members, these, val, net) from None
    return join(parts, members)


def initial_penalty(
    net: Network, params: ParamList, members: Members, config: TrainConfig, n: int
) -> Array:
    """The L2 penalty ``(K,)`` each member's epoch-0 training loss carries, so that it
    compares with its trained epochs' (which include it, as :func:`fit_population` trains):
    member ``k``'s :func:`~glassnet.train.epochs.epoch_penalty` of its own initial
    parameters (``params``, stacked) with its own weight decay (``members.weight_decay``,
    else the config's), over ``n`` training rows in the config's minibatches. Zeros
    without weight decay."""
    decays = members.weight_decay or (config.weight_decay,) * len(members)
    rows = min(config.batch_size or n, n)
    penalties = [
        epoch_penalty(net, [{k: v[i] for k, v in p.items()} for p in params],
                      dataclasses.replace(config, weight_decay=float(decay)), None, n, rows)
        for i, decay in enumerate(decays)
    ]  # fmt: skip
    return np.asarray(penalties, dtype=float)


def _interrupted(
    exc: KeyboardInterrupt,
    parts: list[PopulationResult],
    params: ParamList,
    members: Members,
    these: slice,
    val: Any,
    net: Network,
) -> PopulationInterrupted:
    """:class:`PopulationInterrupted` for a signal during the group ``these``: the groups
    done, and this one (its record so far, or its initialization when the signal came
    before its tracker began) unless it had no epoch and earlier groups had finished."""
    running = getattr(exc, "result", None)  # _fit_group's record so far
    if running is None:
        classifier = not isinstance(net.head, IdentitySquaredError)
        running = at_start(params, members.part(these), val is not None, classifier)
    if running.loss.shape[0] or not parts:
        parts = [*parts, running]
    begun = sum(len(p.members) for p in parts)
    return PopulationInterrupted(join(parts, members.part(slice(0, begun))), len(members))


def _encode(
    net: Network, X: Any, y: Any, cfg: TrainConfig, scaler: Standardizer | None
) -> tuple[Array, Array, Array]:
    """Every row once as the loop reads it: ``(X (N, D), T (N, C), y (N,...))``."""
    Xe = scaler.transform(X, cfg.dtype) if scaler is not None else np.asarray(X, dtype=cfg.dtype)
    return Xe, targets_for(net, np.asarray(y), cfg.dtype), np.asarray(y)


def _group_size(net: Network, cfg: TrainConfig, n: int, K: int, layout: str) -> int:
    """Members per group so that the step's buffers stay within ``MEMORY_BUDGET``, or
    within ``CACHE_BUDGET`` when the members lie innermost."""
    rows = min(cfg.batch_size or n, n)
    per_member = np.dtype(cfg.dtype).itemsize * (3 * rows * sum(net.sizes) + 6 * net.n_params)
    budget = CACHE_BUDGET if layout == "last" else MEMORY_BUDGET
    return max(1, min(K, budget // per_member))


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
    ws.load([{k: np.asarray(v, dtype=cfg.dtype) for k, v in p.items()} for p in params], ws.params)
    opt, scale = member_optimizer(cfg, members, ws), l2_scale(cfg, members)
    state, rngs = opt.init(ws.params), [np.random.default_rng(s) for s in members.seeds]
    track = Tracker(ws, cfg, cfg.restore_best and val is not None)
    if rows == n:  # the shared full batch, loaded once
        np.copyto(ws.columns(n)[0], Xe)
        np.copyto(ws.columns(n)[1], Te)
    rates = Rates(cfg.schedule, opt, ws)
    try:
        epochs(net, (Xe, Te), val, cfg, (ws, opt, state, scale, rates, rngs), track)
    except KeyboardInterrupt:
        if not track.loss:  # no epoch had ended: fit_population keeps the initialization
            raise
        raise PopulationInterrupted(track.result(members, interrupted=True), K) from None
    return track.result(members)


__all__ = [
    "Members",
    "PopulationInterrupted",
    "PopulationResult",
    "fit_population",
    "initial_penalty",
    "join",
    "score",
]
