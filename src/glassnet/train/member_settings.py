"""Each member's own hyperparameters in a population: what they are (:class:`Members`:
seeds, learning rates, momenta, L2, initial scales) and, during the run, its learning rate
epoch by epoch (:class:`Rates`), its optimizer settings and its L2 scale, for
:func:`glassnet.train.population.fit_population`."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core import population as pop
from glassnet.core._types import Array
from glassnet.core.schedules import Constant
from glassnet.core.workspace import Workspace
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


class Rates:
    """Each member's learning rate, epoch by epoch: one state of ``schedule`` per member,
    started at its own rate and stepped on its own monitored loss, as ``fit`` steps it."""

    def __init__(self, schedule: Any, opt: Any, ws: Workspace) -> None:
        self.schedule, self.ws = schedule, ws
        self.constant = isinstance(schedule, Constant)
        self.states = [schedule.init(float(v)) for v in np.ravel(opt.learning_rate)]

    def optimizer(self, opt: Any) -> Any:
        """``opt`` with this epoch's rates."""
        if self.constant:
            return opt
        rates = self.ws.per_member([s.lr for s in self.states])
        return dataclasses.replace(opt, learning_rate=rates)

    def step(self, epoch: int, watched: Array) -> None:
        if not self.constant:
            self.states = [self.schedule.step(s, epoch, float(w))
                           for s, w in zip(self.states, watched, strict=True)]  # fmt: skip


def member_optimizer(cfg: TrainConfig, members: Members, ws: Workspace) -> Any:
    """The config's optimizer with each member's learning rate and momentum (the
    config's own where ``members`` sets none)."""
    given = {"learning_rate": members.learning_rate, "momentum": members.momentum}
    own = {f.name for f in dataclasses.fields(cfg.optimizer)}
    per_member: dict[str, Sequence[float]] = {k: v for k, v in given.items() if v is not None}
    for name in own & {"learning_rate", "momentum"}:
        per_member.setdefault(name, [getattr(cfg.optimizer, name)] * len(members))
    return pop.member_optimizer(cfg.optimizer, ws, **per_member)


def l2_scale(cfg: TrainConfig, members: Members) -> Any:
    """Each member's L2 ``weight_decay`` as the step's scale (0.0 when none has one)."""
    values = members.weight_decay or (cfg.weight_decay,) * len(members)
    return pop.member_scale(values, cfg.dtype) if any(values) else 0.0
