"""Learning-rate schedules, evaluated once per epoch.

A schedule is a frozen dataclass with two pure methods, like an optimizer:

* ``init(lr0) -> state`` with ``state.lr`` the rate for the first epoch;
* ``step(state, epoch, loss) -> state``: the rate for the next epoch, given the epoch just
  finished (counted from 1) and the monitored loss (validation loss when there is one,
  else the epoch's mean training loss).

The rate of epoch ``e = 1, 2, ...`` (epoch 1 trains at ``lr_0``):

* :class:`Constant`: ``lr_0``;
* :class:`StepDecay`: ``lr_0 * gamma ** floor((e - 1) / every)``;
* :class:`ExponentialDecay`: ``lr_0 * gamma ** (e - 1)``;
* :class:`InverseScaling`: ``lr_0 / ((e - 1) * per + 1) ** power``; ``per = 1`` counts
  epochs (``lr_0 / e ** power``, ``glassnet train --schedule invscaling``), ``per`` = the
  training rows counts samples seen (scikit-learn's ``invscaling``);
* :class:`ReduceOnPlateau` and :class:`Adaptive`: cut by a factor when the monitored loss
  stops improving.

The training loop reads ``state.lr`` and hands it to the optimizer with
``dataclasses.replace(optimizer, learning_rate=state.lr)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple


class ScheduleState(NamedTuple):
    lr: float  # the learning rate for the coming epoch
    lr0: float  # the initial learning rate
    best: float = math.inf  # best monitored loss so far (reduce-on-plateau)
    bad_epochs: int = 0  # epochs since the best (reduce-on-plateau)


@dataclass(frozen=True)
class Constant:
    """``lr_e = lr_0``."""

    def init(self, lr0: float) -> ScheduleState:
        return ScheduleState(lr0, lr0)

    def step(self, state: ScheduleState, epoch: int, loss: float) -> ScheduleState:
        return state


@dataclass(frozen=True)
class StepDecay:
    """Multiply the rate by ``gamma`` every ``every`` epochs: epoch ``e`` (from 1) trains at
    ``lr_0 * gamma ** floor((e - 1) / every)`` (epochs 1..every at ``lr_0``)."""

    every: int = 10
    gamma: float = 0.5

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError(f"every must be at least 1, got {self.every}")
        _check_factor(self.gamma)

    def init(self, lr0: float) -> ScheduleState:
        return ScheduleState(lr0, lr0)

    def step(self, state: ScheduleState, epoch: int, loss: float) -> ScheduleState:
        return state._replace(lr=state.lr0 * self.gamma ** (epoch // self.every))


@dataclass(frozen=True)
class ExponentialDecay:
    """Multiply the rate by ``gamma`` each epoch: epoch ``e`` (from 1) trains at
    ``lr_0 * gamma ** (e - 1)``."""

    gamma: float = 0.95

    def __post_init__(self) -> None:
        _check_factor(self.gamma)

    def init(self, lr0: float) -> ScheduleState:
        return ScheduleState(lr0, lr0)

    def step(self, state: ScheduleState, epoch: int, loss: float) -> ScheduleState:
        return state._replace(lr=state.lr0 * self.gamma**epoch)


@dataclass(frozen=True)
class InverseScaling:
    """Epoch ``e`` (from 1) trains at ``lr_0 / ((e - 1) * per + 1) ** power``. With
    ``per = 1`` the time is counted in epochs, ``lr_0 / e ** power`` (``glassnet train
    --schedule invscaling``); with ``per`` the training rows per epoch it is counted in
    samples seen, ``lr_0 / (t + 1) ** power`` with ``t`` the samples seen before the epoch,
    which is scikit-learn's ``invscaling`` (``power`` its ``power_t``; the rate changes
    once per epoch, as scikit-learn changes it)."""

    power: float = 0.5
    per: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.power < math.inf:
            raise ValueError(f"power must be non-negative and finite, got {self.power}")
        if self.per < 1:
            raise ValueError(f"per must be at least 1, got {self.per}")

    def init(self, lr0: float) -> ScheduleState:
        return ScheduleState(lr0, lr0)

    def step(self, state: ScheduleState, epoch: int, loss: float) -> ScheduleState:
        return state._replace(lr=state.lr0 / (epoch * self.per + 1) ** self.power)


@dataclass(frozen=True)
class Adaptive:
    """scikit-learn's ``adaptive``: an epoch whose loss is above ``best - tol`` counts, one
    below resets the count; when the count exceeds ``patience`` the rate is multiplied by
    ``factor`` (1/5) and the count restarts. (scikit-learn stops once the rate is at most
    1e-6 when the count runs out; the estimators do that with a callback.)"""

    patience: int = 10
    tol: float = 1e-4
    factor: float = 0.2

    def __post_init__(self) -> None:
        _check_factor(self.factor)

    def init(self, lr0: float) -> ScheduleState:
        return ScheduleState(lr0, lr0)

    def step(self, state: ScheduleState, epoch: int, loss: float) -> ScheduleState:
        bad = state.bad_epochs + 1 if loss > state.best - self.tol else 0
        best = min(state.best, loss)
        if bad > self.patience:
            return state._replace(lr=state.lr * self.factor, best=best, bad_epochs=0)
        return state._replace(best=best, bad_epochs=bad)


@dataclass(frozen=True)
class ReduceOnPlateau:
    """Multiply the rate by ``factor`` when the loss has not improved by more than
    ``threshold`` (relative: below ``best * (1 - threshold)``) for more than ``patience``
    epochs in a row, then count again; never below ``min_lr`` (a rate already below it is
    left as it is, never raised).

    Epoch ``e``'s loss counts as an improvement when ``loss < best * (1 - threshold)``
    (``best``: the lowest so far, ``inf`` at first); otherwise the count of bad epochs
    rises, and when it exceeds ``patience`` the next epoch's rate is
    ``max(lr * factor, min(min_lr, lr))`` and the count restarts at 0. As PyTorch's
    ``ReduceLROnPlateau(mode="min", threshold_mode="rel", cooldown=0)``."""

    factor: float = 0.5
    patience: int = 5
    threshold: float = 1e-4
    min_lr: float = 1e-6

    def __post_init__(self) -> None:
        _check_factor(self.factor)
        if self.patience < 0:
            raise ValueError(f"patience must be non-negative, got {self.patience}")
        if not 0 <= self.threshold < 1:
            raise ValueError(f"threshold must be in [0, 1), got {self.threshold}")
        if not 0 <= self.min_lr < math.inf:
            raise ValueError(f"min_lr must be non-negative and finite, got {self.min_lr}")

    def init(self, lr0: float) -> ScheduleState:
        return ScheduleState(lr0, lr0)

    def step(self, state: ScheduleState, epoch: int, loss: float) -> ScheduleState:
        if loss < state.best * (1 - self.threshold):
            return state._replace(best=loss, bad_epochs=0)
        bad = state.bad_epochs + 1
        if bad > self.patience:
            floor = min(self.min_lr, state.lr)  # never raised to min_lr
            return state._replace(lr=max(state.lr * self.factor, floor), bad_epochs=0)
        return state._replace(bad_epochs=bad)


def _check_factor(gamma: float) -> None:
    if not 0 < gamma <= 1:
        raise ValueError(f"decay factor must be in (0, 1], got {gamma}")


Schedule = Constant | StepDecay | ExponentialDecay | InverseScaling | ReduceOnPlateau | Adaptive

SCHEDULES: dict[str, type[Schedule]] = {
    "constant": Constant,
    "step": StepDecay,
    "exponential": ExponentialDecay,
    "invscaling": InverseScaling,
    "plateau": ReduceOnPlateau,
    "adaptive": Adaptive,
}


def get_schedule(name: str) -> Schedule:
    """A schedule with its default settings, by name."""
    try:
        return SCHEDULES[name]()
    except KeyError:
        known = ", ".join(SCHEDULES)
        raise ValueError(f"unknown schedule {name!r}; expected one of: {known}") from None


def stored_schedule(settings: dict[str, Any]) -> Schedule:
    """The schedule a model file's ``settings`` record: ``settings["schedule"]`` (a class
    name; ``Constant`` when absent) with ``settings["schedule_settings"]`` (its fields; the
    class's defaults when absent, as in files written before 0.2). Raises ``ValueError``
    for a class it does not know."""
    name = settings.get("schedule") or "Constant"
    kinds = {kind.__name__: kind for kind in SCHEDULES.values()}
    if name not in kinds:
        raise ValueError(f"unknown schedule {name!r}; expected one of: {', '.join(kinds)}")
    return kinds[name](**(settings.get("schedule_settings") or {}))
