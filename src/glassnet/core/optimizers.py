"""Optimizers as pure ``init`` / ``update`` pairs.

An optimizer is a frozen dataclass of hyperparameters with two methods:

* ``init(params) -> state``: the optimizer state (a ``NamedTuple``) for these parameters;
* ``update(grads, state, params) -> (updates, state)``: the step to add to the parameters
  and the next state. Nothing is mutated; :func:`apply_updates` adds the step.

Each update rule is written once, for one array, and mapped over the parameter list
(one ``{"W", "b"}`` dict per layer). Notation as in the tutorial: ``mu`` is the
learning rate, ``lambda`` the momentum term, ``g`` the gradient ``dLoss/dtheta``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from glassnet.core._backend import namespace
from glassnet.core._types import Array, ParamList

Tree = ParamList


def tree_map(f: Callable[..., Array], tree: Tree, *rest: Tree) -> Tree:
    """Apply ``f`` leaf by leaf to parameter lists of the same structure."""
    return [{k: f(d[k], *(r[i][k] for r in rest)) for k in d} for i, d in enumerate(tree)]


def zeros_like(tree: Tree) -> Tree:
    return tree_map(lambda a: namespace(a).zeros_like(a), tree)


def apply_updates(params: Tree, updates: Tree) -> Tree:
    """``theta <- theta + update`` for every parameter; returns new arrays."""
    return tree_map(lambda p, u: p + u, params, updates)


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
    """Plain gradient descent: ``theta <- theta - mu g``."""

    learning_rate: float = 0.01

    def __post_init__(self) -> None:
        _check_positive(learning_rate=self.learning_rate)

    def init(self, params: Tree) -> EmptyState:
        return EmptyState()

    def update(self, grads: Tree, state: EmptyState, params: Tree) -> tuple[Tree, EmptyState]:
        mu = self.learning_rate
        return tree_map(lambda g: -mu * g, grads), state


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

    def velocity(self, grads: Tree, state: MomentumState) -> Tree:
        """``M <- lambda M - mu g``."""
        lam, mu = self.momentum, self.learning_rate
        return tree_map(lambda M, g: lam * M - mu * g, state.M, grads)


@dataclass(frozen=True)
class Momentum(_Velocity):
    """The tutorial's momentum: ``M <- lambda M - mu g``; ``theta <- theta + M``."""

    def update(self, grads: Tree, state: MomentumState, params: Tree) -> tuple[Tree, MomentumState]:
        M = self.velocity(grads, state)
        return M, MomentumState(M)


@dataclass(frozen=True)
class Nesterov(_Velocity):
    """Nesterov momentum (Sutskever et al., 2013), written at the current parameters.

    ``M <- lambda M - mu g``; ``theta <- theta + lambda M - mu g``: the step looks ahead
    along the new velocity, with the gradient taken at ``theta``.
    """

    def update(self, grads: Tree, state: MomentumState, params: Tree) -> tuple[Tree, MomentumState]:
        lam, mu = self.momentum, self.learning_rate
        M = self.velocity(grads, state)
        step = tree_map(lambda M, g: lam * M - mu * g, M, grads)
        return step, MomentumState(M)


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

    def update(self, grads: Tree, state: AdamState, params: Tree) -> tuple[Tree, AdamState]:
        b1, b2, mu, eps = self.beta1, self.beta2, self.learning_rate, self.eps
        t = state.t + 1
        m = tree_map(lambda m, g: b1 * m + (1 - b1) * g, state.m, grads)
        v = tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, state.v, grads)

        def step(m: Array, v: Array) -> Array:
            m_hat = m / (1 - b1**t)
            v_hat = v / (1 - b2**t)
            return -mu * m_hat / (namespace(v_hat).sqrt(v_hat) + eps)

        return tree_map(step, m, v), AdamState(t, m, v)


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
