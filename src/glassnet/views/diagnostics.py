"""Training diagnostics: gradient norms, unit health and loss plateaus.

Pure functions of arrays, plus :class:`DiagnosticsRecord`, which collects them step by
step during training (``record.add(grads, hidden, loss)``). Definitions:

* **gradient norm** of layer ``l``: ``sqrt(||dW_l||^2 + ||db_l||^2)`` (Frobenius norms);
* **saturated** (logistic, tanh): the fraction of activations ``a`` (over samples and
  units) in the flat tails, where ``f'`` is almost zero: logistic ``a < 0.01`` or
  ``a > 0.99``; tanh ``|a| > 0.99``;
* **dead** (ReLU): the fraction of units that output 0 for every sample of the batch;
* **plateau**: a stretch of at least ``min_length`` iterations over which every window
  of ``window`` iterations changes the loss by less than ``rel_tol`` (relative).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network

LOGISTIC_LOW, LOGISTIC_HIGH = 0.01, 0.99
TANH_LIMIT = 0.99
TINY = 1e-12


def gradient_norms(grads: ParamList) -> list[float]:
    """Per layer ``sqrt(sum of squares of all its gradient elements)``."""
    return [math.sqrt(sum(float(np.vdot(g, g)) for g in layer.values())) for layer in grads]


def saturated_fraction(A: Array, activation: str) -> float:
    """Fraction of the activations ``A (N, H)`` in the saturated tails of ``activation``."""
    if activation == "logistic":
        count = np.count_nonzero((A < LOGISTIC_LOW) | (A > LOGISTIC_HIGH))
    elif activation == "tanh":
        count = np.count_nonzero(np.abs(A) > TANH_LIMIT)
    else:
        raise ValueError(f"saturation is defined for logistic and tanh units, not {activation!r}")
    return count / A.size if A.size else 0.0


def dead_fraction(A: Array) -> float:
    """Fraction of the units (columns of ``A (N, H)``) that are 0 for every sample."""
    if A.shape[1] == 0:
        return 0.0
    return float(np.count_nonzero(~np.any(A != 0, axis=0))) / A.shape[1]


def health_kind(activation: str) -> str:
    """What can go wrong with a unit of this kind: ``saturated``, ``dead`` or ``none``."""
    return {"logistic": "saturated", "tanh": "saturated", "relu": "dead"}.get(activation, "none")


def unit_health(A: Array, activation: str) -> float:
    """The saturated fraction (logistic, tanh), the dead fraction (ReLU), else 0."""
    kind = health_kind(activation)
    if kind == "saturated":
        return saturated_fraction(A, activation)
    return dead_fraction(A) if kind == "dead" else 0.0


@dataclass(frozen=True)
class Plateau:
    """Iterations ``start..end`` (inclusive) where the loss stays near ``level``."""

    start: int
    end: int
    level: float

    def describe(self, step: str = "iteration") -> str:
        return f"plateau from {step} {self.start} to ~{self.end} at loss ~{self.level:.4g}"


def detect_plateaus(
    loss: Sequence[float], window: int = 10, rel_tol: float = 5e-3, min_length: int = 20
) -> list[Plateau]:
    """The stretches where ``|L[i + window] - L[i]| < rel_tol * |L[i]|`` for every ``i``.

    A run of flat windows starting at ``s..e`` is the plateau ``s..e + window``; runs
    shorter than ``min_length`` iterations are dropped. ``level`` is the median loss.
    """
    L = np.asarray(loss, dtype=np.float64)
    if window < 1 or len(L) <= window:
        return []
    change = np.abs(L[window:] - L[:-window]) / np.maximum(np.abs(L[:-window]), TINY)
    flat = np.concatenate([[False], change < rel_tol, [False]])
    edges = np.flatnonzero(flat[1:] != flat[:-1])  # run starts and (exclusive) ends, paired
    plateaus = []
    for s, e in zip(edges[::2], edges[1::2], strict=True):
        end = int(e) - 1 + window
        if end - s >= min_length:
            plateaus.append(Plateau(int(s), end, float(np.median(L[s : end + 1]))))
    return plateaus


def describe_plateaus(
    plateaus: Sequence[Plateau], n_iterations: int, step: str = "iteration"
) -> str:
    """One sentence for the report: where the loss stalled, or that it never did."""
    if not plateaus:
        return "No plateau: the loss kept changing throughout training."
    parts = []
    for p in plateaus:
        tail = " (the loss has settled)" if p.end >= n_iterations - 1 else ", then the loss falls"
        parts.append(p.describe(step) + tail)
    return "; ".join(parts) + "."


@dataclass
class DiagnosticsRecord:
    """Per-step diagnostics of a training run; one row per recorded step.

    ``grad_norms[k][l]``: dense layer ``l``; ``health[k][l]``: hidden layer ``l``, whose
    kind (``saturated``, ``dead``, ``none``) is ``health_kinds[l]``.
    """

    activations: list[str]
    loss: list[float] = field(default_factory=list)
    grad_norms: list[list[float]] = field(default_factory=list)
    health: list[list[float]] = field(default_factory=list)

    @classmethod
    def for_network(cls, net: Network) -> DiagnosticsRecord:
        return cls([act.name for act in net.activations])

    @property
    def health_kinds(self) -> list[str]:
        return [health_kind(a) for a in self.activations]

    def add(self, grads: ParamList, hidden: Sequence[Array], loss: float) -> None:
        """Record one step: the gradients, the hidden activations and the loss."""
        self.loss.append(float(loss))
        self.grad_norms.append(gradient_norms(grads))
        self.health.append(
            [unit_health(A, act) for A, act in zip(hidden, self.activations, strict=True)]
        )

    def plateaus(
        self, window: int = 10, rel_tol: float = 5e-3, min_length: int = 20
    ) -> list[Plateau]:
        return detect_plateaus(self.loss, window, rel_tol, min_length)

    def as_dict(self) -> dict[str, object]:
        return {
            "activations": self.activations,
            "health_kinds": self.health_kinds,
            "loss": self.loss,
            "grad_norms": self.grad_norms,
            "health": self.health,
            "plateaus": [vars(p) for p in self.plateaus()],
        }
