"""The momentum rules: the tutorial's momentum and Nesterov's, sharing one velocity.

Notation as in the tutorial: ``mu`` is the learning rate (``learning_rate``), ``lambda``
the momentum term (``momentum``), ``g`` the gradient ``dLoss/dtheta``, ``M`` the velocity.
Each rule follows the ``init`` / ``rule`` / ``update`` form of :mod:`glassnet.core.optimizers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from glassnet.core._backend import into, namespace
from glassnet.core._types import Array
from glassnet.core.hyperparameters import check_positive, check_unit
from glassnet.core.trees import Slots, Tree, map_rule, zeros_like


class MomentumState(NamedTuple):
    M: Tree  # the velocity of every parameter


@dataclass(frozen=True)
class _Velocity:
    """Hyperparameters and state shared by the two momentum rules: ``mu`` and ``lambda``,
    and a velocity ``M`` per parameter, starting at zero."""

    learning_rate: float = 0.01
    momentum: float = 0.9

    def __post_init__(self) -> None:
        check_positive(learning_rate=self.learning_rate)
        check_unit(momentum=self.momentum)

    def init(self, params: Tree) -> MomentumState:
        return MomentumState(zeros_like(params))

    def velocity(self, M: Array, rate_g: Array, in_place: bool) -> Array:
        """``M <- lambda M - mu g`` from ``rate_g = mu g`` (``learning_rate * g``); in place
        when ``in_place``."""
        xp, own = namespace(M), into(M if in_place else None)
        return xp.subtract(xp.multiply(M, self.momentum, **own), rate_g, **own)

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
        rate_g = namespace(g).multiply(g, self.learning_rate, **into(scratch))
        M = self.velocity(slots[0], rate_g, out is not None)
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
        rate_g = xp.multiply(g, self.learning_rate, **into(scratch))
        M = self.velocity(slots[0], rate_g, out is not None)
        step = xp.multiply(M, self.momentum, **into(out))
        return xp.subtract(step, rate_g, **into(out)), (M,)
