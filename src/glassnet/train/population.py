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
from dataclasses import dataclass, field
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
from glassnet.train.session import checked_data
from glassnet.train.state import TrainConfig

MEMORY_BUDGET = 256 * 2**20  # bytes of step buffers per group of members


@dataclass(frozen=True)
class Members:
    """Each member's settings: ``seeds[k]`` (its initialization and minibatch order) and,
    when given, its learning rate, momentum, L2 ``weight_decay`` and initial scale (the
    config's values otherwise; ``init_scale`` multiplies :meth:`Network.init`)."""

    seeds: tuple[int, ...]
    learning_rate: tuple[float, ...] | None = None
    momentum: tuple[float, ...] | None = None
    weight_decay: tuple[float, ...] | None = None
    init_scale: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            values = getattr(self, f.name)
            if values is not None and len(values) != len(self.seeds):
                raise ValueError(f"{len(self.seeds)} members, but {len(values)} {f.name} values")

    def __len__(self) -> int:
        return len(self.seeds)

    def part(self, rows: slice) -> Members:
        return Members(
            **{f.name: _cut(getattr(self, f.name), rows) for f in dataclasses.fields(self)}
        )


def _cut(values: tuple[Any, ...] | None, rows: slice) -> Any:
    return None if values is None else tuple(values[rows])


@dataclass
class PopulationResult:
    """What a population run gives: stacked parameters and per-member curves.

    ``loss (E, K)``: training loss per sample of each epoch (penalty included, as fit
    reports it); ``val_loss``, ``val_accuracy (E, K)`` when there is a validation set
    (accuracy None for regression); ``best_epoch (K,)``; ``diverged (K,)`` booleans.
    """

    params: ParamList
    loss: Array
    val_loss: Array | None
    val_accuracy: Array | None
    best_epoch: Array
    diverged: Array
    members: Members = field(repr=False)


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
    track = _Tracker(params, K, cfg.restore_best and val is not None)
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


class _Tracker:
    """Per-member curves, best epochs and the parameters to keep, epoch by epoch."""

    def __init__(self, params: ParamList, K: int, keep_best: bool) -> None:
        self.keep_best, self.kept = keep_best, [{k: v.copy() for k, v in p.items()} for p in params]
        self.best_loss, self.best_epoch = np.full(K, np.inf), np.zeros(K, dtype=np.int64)
        self.diverged = np.zeros(K, dtype=bool)
        self.start = np.full(K, np.nan)  # each member's first finite batch loss
        self.loss: list[Array] = []
        self.val: list[tuple[Array, Array | None]] = []

    def bound(self, loss: Array, cfg: TrainConfig) -> Array:
        """Each member's divergence bound, the loop's rule: ``divergence_factor`` times its
        first batch loss, or ``max_loss`` when that is lower."""
        first = np.isnan(self.start) & np.isfinite(loss)
        self.start = np.where(first, loss, self.start)
        start = np.nan_to_num(self.start, nan=0.0)  # no finite loss yet: no relative bound
        bound = np.where(start > 0, cfg.divergence_factor * start, np.inf)
        return np.minimum(bound, cfg.max_loss if cfg.max_loss is not None else np.inf)

    def epoch_end(
        self, epoch: int, params: ParamList, loss: Array, scores: Any, monitor: str
    ) -> None:
        self.loss.append(np.where(self.diverged, np.inf, loss))
        if scores is not None:
            self.val.append(scores)
        watched = scores[0] if scores is not None and monitor != "loss" else loss
        keep = ~self.diverged & (watched < self.best_loss if self.keep_best else True)
        self.best_loss = np.where(keep, watched, self.best_loss)
        self.best_epoch = np.where(keep, epoch, self.best_epoch)
        for mine, new in zip(self.kept, params, strict=True):
            for k in mine:
                mine[k][keep] = new[k][keep]

    def result(self, members: Members) -> PopulationResult:
        K = len(self.best_loss)
        loss = np.array(self.loss).reshape(-1, K)
        val_loss = np.array([v[0] for v in self.val]).reshape(-1, K) if self.val else None
        val_acc = None
        if self.val and self.val[0][1] is not None:
            val_acc = np.array([v[1] for v in self.val]).reshape(-1, K)
        return PopulationResult(
            self.kept, loss, val_loss, val_acc, self.best_epoch, self.diverged, members
        )


def join(parts: Sequence[PopulationResult], members: Members) -> PopulationResult:
    """One result from the groups' results, members in order."""
    if len(parts) == 1:
        return parts[0]

    def cat(name: str) -> Any:
        values = [getattr(p, name) for p in parts]
        return None if values[0] is None else np.concatenate(values, axis=-1)

    params = [
        {k: np.concatenate([p.params[i][k] for p in parts]) for k in parts[0].params[i]}
        for i in range(len(parts[0].params))
    ]
    return PopulationResult(
        params, cat("loss"), cat("val_loss"), cat("val_accuracy"), cat("best_epoch"),
        cat("diverged"), members,
    )  # fmt: skip
