"""When the loop calls a run diverged, and what its message blames.

:class:`DivergenceBound` fixes the bound from the run's first finite batch loss. Its
:meth:`~DivergenceBound.message` names the likely cause: the learning rate, and the
inputs' scale when the inputs as trained reach :data:`HUGE_INPUT` in absolute value
(:func:`largest_input`; standardized columns never do: ``|z| <= sqrt(N - 1)``). When no
batch had a finite loss (the run's first step already overflowed) and the inputs are that
large, only the inputs are named: the overflow came from their scale (``x**2`` in a
gradient's square, ``x`` times the weights), which no learning rate changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core._types import Array

DIVERGED_ADVICE = "try a smaller learning rate"  # what the estimators replace with theirs
INPUTS_ADVICE = "scale the inputs"  # ... and this
HUGE_INPUT = 1e4  # inputs beyond this (in absolute value, as trained) are named
_BLOCK = 65536  # rows read at a time by largest_input


@dataclass
class DivergenceBound:
    """The divergence bound: ``factor`` times the run's first batch loss (so targets of
    1e9 and of 1 are judged alike), or ``max_loss`` when that is lower."""

    factor: float
    max_loss: float | None
    start: float | None = None  # the first finite batch loss seen
    _fixed: float | None = None  # the bound, once ``start`` is known

    def __call__(self, loss: float) -> float:
        if self._fixed is not None:
            return self._fixed
        if self.start is None and math.isfinite(loss):
            self.start = loss
        start = self.start or 0.0
        bound = self.factor * start if start > 0 else math.inf
        bound = min(bound, self.max_loss if self.max_loss is not None else math.inf)
        if self.start is not None:
            self._fixed = bound
        return bound

    def message(self, epoch: int, loss: float, kept: int, inputs: float = 0.0) -> str:
        """What :class:`TrainingDiverged` says of ``loss`` in ``epoch`` (``kept``: the
        epoch whose parameters the run keeps; ``inputs``: the largest absolute input value
        as trained, :func:`largest_input`). Advice: a smaller learning rate, and scaled
        inputs beyond :data:`HUGE_INPUT`; only the latter when no batch had a finite loss
        (module docstring)."""
        if self.start is None and self.max_loss is None:
            bound = "no bound: the first batch's loss or its step already overflowed"
        else:
            bound = f"bound {self(loss):.4g}: {self.factor:g} times the first batch's loss"
        advice = [] if inputs > HUGE_INPUT and self.start is None else [DIVERGED_ADVICE]
        if inputs > HUGE_INPUT:
            advice.append(f"{INPUTS_ADVICE}: they reach {inputs:.3g} in absolute value")
        return (
            f"training diverged in epoch {epoch}: loss {loss:.4g} per sample ({bound}); kept "
            f"the parameters of epoch {kept}; {', or '.join(advice)}"
        )


def largest_input(X: Any, rows: Array | None, scaler: Any, dtype: Any) -> float:
    """The largest absolute value of the training ``rows`` of ``X`` (None: all) as the
    loop trains on them (through ``scaler`` when given, in ``dtype``), read ``_BLOCK`` rows
    at a time (called only when a run has diverged)."""
    from glassnet.data.batching import read_rows

    rows = np.arange(X.shape[0]) if rows is None else np.asarray(rows)
    largest = 0.0
    with np.errstate(all="ignore"):
        for start in range(0, len(rows), _BLOCK):
            Xb = read_rows(X, np.sort(rows[start : start + _BLOCK]))
            Xb = scaler.transform(Xb, dtype) if scaler is not None else np.asarray(Xb, dtype)
            largest = max(largest, float(np.max(np.abs(Xb), initial=0.0)))
    return largest
