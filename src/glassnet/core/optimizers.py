"""Optimizers as pure ``init`` / ``update`` pairs.

An optimizer is a frozen dataclass of hyperparameters with two methods:

* ``init(params) -> state``: the optimizer state (a ``NamedTuple``) for these parameters;
* ``update(grads, state, params) -> (updates, state)``: the step to add to the parameters
  and the next state. Nothing is mutated; :func:`apply_updates` adds the step.

Each update rule is written once, for one array, as ``rule(g, slots, t, out=None,
scratch=None) -> (update, slots)``, and mapped over the parameter list (one ``{"W", "b"}``
dict per layer) by ``update``. Without buffers a rule allocates (array API only); with
``out`` and ``scratch`` (arrays shaped like ``g``; ``out`` may be ``g``) it writes the update
into ``out`` and the slots in place, which is how :mod:`glassnet.core.fast` runs it on one
flat vector of all parameters. The learning rate is read from the optimizer at every call.
Notation as in the tutorial: ``mu`` is the learning rate, ``lambda`` the momentum term,
``g`` the gradient ``dLoss/dtheta``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from glassnet.core._backend import into, namespace
from glassnet.core._types import Array
from glassnet.core.trees import Slots, Tree, apply_updates, map_rule, tree_map, zeros_like

__all__ = [
    "SGD", "Adam", "AdamState", "EmptyState", "Momentum", "MomentumState", "Nesterov",
    "Optimizer", "OptState", "Slots", "Tree", "apply_updates", "get_optimizer", "map_rule",
    "tree_map", "zeros_like",
]  # fmt: skip

class EmptyState(NamedTuple):
    pass


class MomentumState(NamedTuple):
    M: Tree  # the velocity of every parameter


class AdamState(NamedTuple):
    t: int  # number of updates taken
    m: Tree  # first moment estimate
    v: Tree  # second (raw) moment estimate


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def _check_unit(**values: float) -> None:
    for name, value in values.items():
        if not 0.0 <= value < 1.0:
            raise ValueError(f"{name} must be in [0, 1), got {value!r}")


@dataclass(frozen=True)
class SGD:
    """Plain gradient descent: ``theta <- theta - mu g`` (``mu``: the learning rate)."""

    learning_rate: float = 0.01

    def __post_init__(self) -> None:
        _check_positive(learning_rate=self.learning_rate)

    def init(self, params: Tree) -> EmptyState:
        return EmptyState()

    def rule(
        self, g: Array, slots: Slots, t: int = 1, out: Array | None = None,
        scratch: Array | None = None,
    ) -> tuple[Array, Slots]:  # fmt: skip
        """One array's update ``-mu g`` (into ``out`` when given)."""
        return namespace(g).multiply(g, -self.learning_rate, **into(out)), slots

    def update(self, grads: Tree, state: EmptyState, params: Tree) -> tuple[Tree, EmptyState]:
        return map_rule(self.rule, grads, [])[0], state


@dataclass(frozen=True)
class _Velocity:
    """Hyperparameters and state shared by the two momentum rules: ``mu`` and ``lambda``,
    and a velocity ``M`` per parameter, starting at zero."""

    learning_rate: float = 0.01
    momentum: float = 0.9

    def __post_init__(self) -> None:
        _check_positive(learning_rate=self.learning_rate)
        _check_unit(momentum=self.momentum)

    def init(self, params: Tree) -> MomentumState:
        return MomentumState(zeros_like(params))

    def velocity(self, M: Array, mu_g: Array, in_place: bool) -> Array:
        """``M <- lambda M - mu g`` from ``mu g``; in place when ``in_place``."""
        xp, own = namespace(M), into(M if in_place else None)
        return xp.subtract(xp.multiply(M, self.momentum, **own), mu_g, **own)

    def update(self, grads: Tree, state: MomentumState, params: Tree) -> tuple[Tree, MomentumState]:
        rule = self.rule  # type: ignore[attr-defined]
        updates, (M,) = map_rule(rule, grads, [state.M])
        return updates, MomentumState(M)


@dataclass(frozen=True)
class Momentum(_Velocity):
    """The tutorial's momentum: ``M <- lambda M - mu g``; ``theta <- theta + M``."""

    def rule(
        self, g: Array, slots: Slots, t: int = 1, out: Array | None = None,
        scratch: Array | None = None,
    ) -> tuple[Array, Slots]:  # fmt: skip
        """One array's update ``M`` and velocity; with buffers ``M`` is updated in place."""
        mu_g = namespace(g).multiply(g, self.learning_rate, **into(scratch))
        M = self.velocity(slots[0], mu_g, out is not None)
        return M, (M,)


@dataclass(frozen=True)
class Nesterov(_Velocity):
    """Nesterov momentum (Sutskever et al., 2013), written at the current parameters.

    ``M <- lambda M - mu g``; ``theta <- theta + lambda M - mu g``: the step looks ahead
    along the new velocity, with the gradient taken at ``theta``.
    """

    def rule(
        self, g: Array, slots: Slots, t: int = 1, out: Array | None = None,
        scratch: Array | None = None,
    ) -> tuple[Array, Slots]:  # fmt: skip
        """One array's update ``lambda M - mu g`` (into ``out``) and velocity (in place)."""
        xp = namespace(g)
        mu_g = xp.multiply(g, self.learning_rate, **into(scratch))
        M = self.velocity(slots[0], mu_g, out is not None)
        step = xp.multiply(M, self.momentum, **into(out))
        return xp.subtract(step, mu_g, **into(out)), (M,)


@dataclass(frozen=True)
class Adam:
    """Adam (Kingma and Ba, 2015, Algorithm 1) with the paper's bias correction.

    ``m <- b1 m + (1 - b1) g``; ``v <- b2 v + (1 - b2) g^2``;
    ``m_hat = m / (1 - b1^t)``; ``v_hat = v / (1 - b2^t)``;
    ``theta <- theta - mu m_hat / (sqrt(v_hat) + eps)``.
    """

    learning_rate: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self) -> None:
        _check_positive(learning_rate=self.learning_rate, eps=self.eps)
        _check_unit(beta1=self.beta1, beta2=self.beta2)

    def init(self, params: Tree) -> AdamState:
        return AdamState(0, zeros_like(params), zeros_like(params))

    def rule(
        self, g: Array, slots: Slots, t: int = 1, out: Array | None = None,
        scratch: Array | None = None,
    ) -> tuple[Array, Slots]:  # fmt: skip
        """Update number ``t`` of one array, into ``out``; with buffers ``m``, ``v`` in place."""
        xp, b1, b2, (m, v) = namespace(g), self.beta1, self.beta2, slots
        s, o = into(scratch), into(out)
        own_m, own_v = (into(m), into(v)) if out is not None else ({}, {})
        m = xp.add(xp.multiply(m, b1, **own_m), xp.multiply(g, 1 - b1, **s), **own_m)
        g2 = xp.multiply(xp.multiply(g, 1 - b2, **s), g, **s)  # (1 - b2) g^2
        v = xp.add(xp.multiply(v, b2, **own_v), g2, **own_v)
        v_hat = xp.divide(v, 1 - b2**t, **s)
        denom = xp.add(xp.sqrt(v_hat, **s), self.eps, **s)
        m_hat = xp.divide(m, 1 - b1**t, **o)
        return xp.divide(xp.multiply(m_hat, -self.learning_rate, **o), denom, **o), (m, v)

    def update(self, grads: Tree, state: AdamState, params: Tree) -> tuple[Tree, AdamState]:
        t = state.t + 1
        updates, (m, v) = map_rule(
            lambda g, slots: self.rule(g, slots, t), grads, [state.m, state.v]
        )
        return updates, AdamState(t, m, v)


Optimizer = SGD | Momentum | Nesterov | Adam
OptState = EmptyState | MomentumState | AdamState

OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adam": Adam,
}


def get_optimizer(name: str, **hyperparameters: float) -> Optimizer:
    """Optimizer by name (``sgd``, ``momentum``, ``nesterov``, ``adam``)."""
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        known = ", ".join(sorted(OPTIMIZERS))
        raise ValueError(f"unknown optimizer {name!r}; expected one of: {known}") from None
    return cls(**hyperparameters)
