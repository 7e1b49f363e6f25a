"""Elementwise activation functions and their derivatives, each written once.

Each activation is a small stateless object with two methods:

* ``forward(Z, out=None) -> A`` maps pre-activations ``Z (N, H)`` to activations ``A (N, H)``;
* ``backward(dA, A, out=None, scratch=None) -> dZ`` applies the chain rule
  ``dZ = dA * f'(Z)``, with the derivative written from the cached *output* ``A`` (as in
  the tutorial: ``H * (1 - H)`` for the logistic function), so no input needs to be kept.

Without buffers they allocate and use only array API functions; with ``out`` (and a
``scratch`` array of the same shape) they write in place, which is how the compiled step
of :mod:`glassnet.core.fast` calls them. ``out`` may be the input itself. All of them are
numerically safe for any finite input: the logistic function never calls ``exp``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from glassnet.core._backend import into, namespace
from glassnet.core._types import Array


def logistic(z: Array, out: Array | None = None) -> Array:
    """The logistic function ``1 / (1 + exp(-z))``, safe for any finite ``z``.

    Computed as ``(1 + tanh(z / 2)) / 2`` (the same function), which never overflows: for
    ``z = -1e4`` it returns 0 without a warning.
    """
    xp, o = namespace(z), into(out)
    A = xp.multiply(z, 0.5, **o)
    A = xp.tanh(A, **o)
    A = xp.multiply(A, 0.5, **o)
    return xp.add(A, 0.5, **o)


@dataclass(frozen=True)
class Logistic:
    """``A = 1 / (1 + exp(-Z))``; ``dA/dZ = A (1 - A)``."""

    name: ClassVar[str] = "logistic"

    def forward(self, Z: Array, out: Array | None = None) -> Array:
        return logistic(Z, out)

    def backward(
        self, dA: Array, A: Array, out: Array | None = None, scratch: Array | None = None
    ) -> Array:
        xp = namespace(dA, A)
        one_minus_A = xp.subtract(1.0, A, **into(scratch))
        dZ = xp.multiply(dA, A, **into(out))
        return xp.multiply(dZ, one_minus_A, **into(out))


@dataclass(frozen=True)
class Tanh:
    """``A = tanh(Z)``; ``dA/dZ = 1 - A**2``."""

    name: ClassVar[str] = "tanh"

    def forward(self, Z: Array, out: Array | None = None) -> Array:
        return namespace(Z).tanh(Z, **into(out))

    def backward(
        self, dA: Array, A: Array, out: Array | None = None, scratch: Array | None = None
    ) -> Array:
        xp, s = namespace(dA, A), into(scratch)
        slope = xp.multiply(A, A, **s)
        slope = xp.subtract(1.0, slope, **s)
        return xp.multiply(dA, slope, **into(out))


@dataclass(frozen=True)
class ReLU:
    """``A = max(Z, 0)``; ``dA/dZ = [A > 0]`` (1 or 0; 0 at the kink)."""

    name: ClassVar[str] = "relu"

    def forward(self, Z: Array, out: Array | None = None) -> Array:
        return namespace(Z).maximum(Z, 0.0, **into(out))

    def backward(
        self, dA: Array, A: Array, out: Array | None = None, scratch: Array | None = None
    ) -> Array:
        """``dZ = dA * [A > 0]``: the comparison writes 1 or 0 into ``scratch`` (NumPy's
        ``greater`` costs about half its ``sign``); without a buffer it is a boolean array,
        made a number of ``dA``'s dtype for the product (the array API multiplies no bools)."""
        xp = namespace(dA, A)
        slope = xp.greater(A, 0.0, **into(scratch))
        if scratch is None:
            slope = xp.astype(slope, dA.dtype)
        return xp.multiply(dA, slope, **into(out))


@dataclass(frozen=True)
class Identity:
    """``A = Z``; ``dA/dZ = 1``."""

    name: ClassVar[str] = "identity"

    def forward(self, Z: Array, out: Array | None = None) -> Array:
        if out is None or out is Z:
            return Z
        namespace(Z).copyto(out, Z)
        return out

    def backward(
        self, dA: Array, A: Array, out: Array | None = None, scratch: Array | None = None
    ) -> Array:
        if out is None or out is dA:
            return dA
        namespace(dA).copyto(out, dA)
        return out


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
