"""Elementwise activation functions and their derivatives.

Each activation is a small stateless object with two methods:

* ``forward(Z) -> A`` maps pre-activations ``Z (N, H)`` to activations ``A (N, H)``;
* ``backward(dA, A) -> dZ`` applies the chain rule ``dZ = dA * f'(Z)``, with the
  derivative written from the cached *output* ``A`` (as in the tutorial:
  ``H * (1 - H)`` for the logistic function), so no input needs to be kept.

All of them are numerically safe for any finite input: the logistic function is
computed without ``exp`` overflowing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from glassnet.core._backend import namespace
from glassnet.core._types import Array


def logistic(z: Array) -> Array:
    """The logistic function ``1 / (1 + exp(-z))``, safe for any finite ``z``.

    Written as ``exp(-log(1 + exp(-z)))`` with ``logaddexp`` so that ``exp`` never
    overflows: for ``z = -1e4`` it returns 0 instead of warning.
    """
    xp = namespace(z)
    return xp.exp(-xp.logaddexp(xp.zeros_like(z), -z))


@dataclass(frozen=True)
class Logistic:
    """``A = 1 / (1 + exp(-Z))``; ``dA/dZ = A (1 - A)``."""

    name: ClassVar[str] = "logistic"

    def forward(self, Z: Array) -> Array:
        return logistic(Z)

    def backward(self, dA: Array, A: Array) -> Array:
        return dA * A * (1.0 - A)


@dataclass(frozen=True)
class Tanh:
    """``A = tanh(Z)``; ``dA/dZ = 1 - A**2``."""

    name: ClassVar[str] = "tanh"

    def forward(self, Z: Array) -> Array:
        return namespace(Z).tanh(Z)

    def backward(self, dA: Array, A: Array) -> Array:
        return dA * (1.0 - A * A)


@dataclass(frozen=True)
class ReLU:
    """``A = max(Z, 0)``; ``dA/dZ = 1 where A > 0 else 0`` (0 at the kink)."""

    name: ClassVar[str] = "relu"

    def forward(self, Z: Array) -> Array:
        xp = namespace(Z)
        return xp.where(Z > 0, Z, xp.zeros_like(Z))

    def backward(self, dA: Array, A: Array) -> Array:
        xp = namespace(dA, A)
        return xp.where(A > 0, dA, xp.zeros_like(dA))


@dataclass(frozen=True)
class Identity:
    """``A = Z``; ``dA/dZ = 1``."""

    name: ClassVar[str] = "identity"

    def forward(self, Z: Array) -> Array:
        return Z

    def backward(self, dA: Array, A: Array) -> Array:
        return dA


Activation = Logistic | Tanh | ReLU | Identity

ACTIVATIONS: dict[str, Activation] = {
    "logistic": Logistic(),
    "tanh": Tanh(),
    "relu": ReLU(),
    "identity": Identity(),
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name (``logistic``, ``tanh``, ``relu``, ``identity``)."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"unknown activation {name!r}; expected one of: {known}") from None
