"""Learning-rate schedules, evaluated once per epoch.

A schedule is a frozen dataclass with two pure methods, like an optimizer:

* ``init(lr0) -> state`` with ``state.lr`` the rate for the first epoch;
* ``step(state, epoch, loss) -> state``: the rate for the next epoch, given the epoch just
  finished (counted from 1) and the monitored loss (validation loss when there is one).

The training loop reads ``state.lr`` and hands it to the optimizer with
``dataclasses.replace(optimizer, learning_rate=state.lr)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple


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
    """``lr_e = lr_0 * gamma ** floor(e / every)``: multiply by ``gamma`` every ``every`` epochs."""

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
    """``lr_e = lr_0 * gamma ** e``."""

    gamma: float = 0.95

    def __post_init__(self) -> None:
        _check_factor(self.gamma)

    def init(self, lr0: float) -> ScheduleState:
        return ScheduleState(lr0, lr0)

    def step(self, state: ScheduleState, epoch: int, loss: float) -> ScheduleState:
        return state._replace(lr=state.lr0 * self.gamma**epoch)


@dataclass(frozen=True)
class InverseScaling:
    """``lr_e = lr_0 / (e * per + 1) ** power`` after epoch ``e``. With ``per = 1`` the time is
    counted in epochs; with ``per`` the training rows per epoch it is counted in samples
    seen, which is scikit-learn's ``invscaling`` (``power`` its ``power_t``)."""

    power: float = 0.5
    per: int = 1

    def __post_init__(self) -> None:
        if not self.power >= 0:
            raise ValueError(f"power must be non-negative, got {self.power}")
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
    ``threshold`` (relative) for ``patience`` epochs; never below ``min_lr``."""

    factor: float = 0.5
    patience: int = 5
    threshold: float = 1e-4
    min_lr: float = 1e-6

    def __post_init__(self) -> None:
        _check_factor(self.factor)
        if self.patience < 0:
            raise ValueError(f"patience must be non-negative, got {self.patience}")

    def init(self, lr0: float) -> ScheduleState:
        return ScheduleState(lr0, lr0)

    def step(self, state: ScheduleState, epoch: int, loss: float) -> ScheduleState:
        if loss < state.best * (1 - self.threshold):
            return state._replace(best=loss, bad_epochs=0)
        bad = state.bad_epochs + 1
        if bad > self.patience:
            return state._replace(lr=max(state.lr * self.factor, self.min_lr), bad_epochs=0)
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
