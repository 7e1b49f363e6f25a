"""Shared test set-up: NumPy floating-point errors are raised, not warned about."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import numpy as np
import pytest

# scikit-learn's check suite runs its array-API check only when SciPy's array API support
# is switched on before SciPy is first imported (tests/test_estimator_checks.py).
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# A shell without job control starts background commands with Ctrl-C ignored, and the
# children (CLI runs under test) inherit that; the tests of Ctrl-C need Python's own handler.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _raise_floating_point_errors() -> Iterator[None]:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        yield


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261128)
