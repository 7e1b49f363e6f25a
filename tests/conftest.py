"""Shared test set-up: NumPy floating-point errors are raised, not warned about."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _raise_floating_point_errors() -> Iterator[None]:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        yield


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261128)
