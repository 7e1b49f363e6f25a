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
A hyperparameter may also be an array that broadcasts against the parameters: that is how
:mod:`glassnet.core.population` gives each member of a population its own.
Notation as in the tutorial: ``mu`` is the learning rate, ``lambda`` the momentum term,
``g`` the gradient ``dLoss/dtheta``. Plain SGD and Adam are here; the two momentum rules in
:mod:`glassnet.core.momentum`, the hyperparameter checks in :mod:`glassnet.core.hyperparameters`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from glassnet.core._backend import into, namespace
from glassnet.core._types import Array
from glassnet.core.hyperparameters import check_positive, check_unit
from glassnet.core.momentum import Momentum, MomentumState, Nesterov
from glassnet.core.trees import Slots, Tree, apply_updates, map_rule, tree_map, zeros_like

__all__ = [
    "SGD", "Adam", "AdamState", "EmptyState", "Momentum", "MomentumState", "Nesterov",
    "Optimizer", "OptState", "Slots", "Tree", "apply_updates", "get_optimizer", "map_rule",
    "tree_map", "zeros_like",
]  # fmt: skip


class EmptyState(NamedTuple):
    pass


class AdamState(NamedTuple):
    t: int  # number of updates taken
    m: Tree  # first moment estimate
    v: Tree  # second (raw) moment estimate


@dataclass(frozen=True)
class SGD:
    """Plain gradient descent: ``theta <- theta - mu g`` (``mu``: the learning rate)."""

    learning_rate: float = 0.01

    def __post_init__(self) -> None:
        check_positive(learning_rate=self.learning_rate)

    def init(self, params: Tree) -> EmptyState:
        return EmptyState()

    def rule(
        self, g: Array, slots: Slots, t: int = 1, out: Array | None = None,
        scratch: Array | None = None,
    ) -> tuple[Array, Slots]:  # fmt: skip
        """One array's update ``-mu g`` (into ``out`` when given), written ``-(mu g)``: the
        same number (rounding is symmetric in the sign), with the rate an operand of its own
        call, so the compiled step reads it at every step (``core/compiled_rule.py``)."""
        xp, o = namespace(g), into(out)
        return xp.negative(xp.multiply(g, self.learning_rate, **o), **o), slots

    def update(self, grads: Tree, state: EmptyState, params: Tree) -> tuple[Tree, EmptyState]:
        return map_rule(self.rule, grads, [])[0], state


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
        check_positive(learning_rate=self.learning_rate, eps=self.eps)
        check_unit(beta1=self.beta1, beta2=self.beta2)

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
