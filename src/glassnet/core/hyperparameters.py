"""Checking an optimizer's hyperparameters when it is made: one clear message each.

A hyperparameter is a number, or an array of them that broadcasts against the parameters
(one value per member of a population, :mod:`glassnet.core.population`); every value is
checked.
"""

from __future__ import annotations

import math


def check_positive(**values: float) -> None:
    for name, value in values.items():
        if not all(math.isfinite(v) and v > 0 for v in _each(value)):
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def check_unit(**values: float) -> None:
    for name, value in values.items():
        if not all(0.0 <= v < 1.0 for v in _each(value)):
            raise ValueError(f"{name} must be in [0, 1), got {value!r}")


def _each(value: float) -> list[float]:
    """A hyperparameter's values: one, or one per member of a population (an array)."""
    return [float(v) for v in getattr(value, "flat", [value])]
