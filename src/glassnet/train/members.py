"""What a population's members are and what they give: their settings (:class:`Members`),
their per-epoch record (:class:`Tracker`) and the result (:class:`PopulationResult`,
:func:`join` for a population trained in groups or shares)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.train.state import TrainConfig


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


class Tracker:
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
