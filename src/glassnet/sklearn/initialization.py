"""The estimators' first parameters: scikit-learn's MLP initialization.

scikit-learn draws every layer's weights ``W (n_in, n_out)`` and then its biases
``b (n_out,)`` from ``U(-a, a)`` with ``a = sqrt(factor / (n_in + n_out))``, ``factor`` 2
for ``activation="logistic"`` and 6 otherwise (Glorot and Bengio, 2010), layer by layer
from ``check_random_state(random_state)``. The estimators draw the same numbers, so for an
int ``random_state`` a glassnet estimator starts from scikit-learn's very weights. (The
core's :meth:`~glassnet.core.network.Network.init`, He-normal weights and zero biases for
ReLU layers, suits standardized inputs; on raw inputs such as the digits' 0..16 pixels its
larger weights and zero biases train to a higher loss in the same epochs.)
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.core._types import ParamList


def init_bound(n_in: int, n_out: int, activation: str) -> float:
    """scikit-learn's half-width ``sqrt(factor / (n_in + n_out))`` of a layer's uniform
    weights and biases (``factor`` 2 for logistic units, else 6)."""
    factor = 2.0 if activation == "logistic" else 6.0
    return float(np.sqrt(factor / (n_in + n_out)))


def initial_params(
    sizes: Sequence[int], activation: str, random_state: Any, seed: int, dtype: Any
) -> ParamList:
    """The layers' ``{"W": (n_in, n_out), "b": (1, n_out)}`` for the layer ``sizes``
    ``[D, H_1, ..., C]``, drawn as scikit-learn's ``_init_coef`` draws them: from
    ``np.random.RandomState(random_state)`` for an int ``random_state`` (scikit-learn's
    numbers exactly), else from ``RandomState(seed)`` (``seed``: the run's seed, itself
    drawn from ``random_state``). Drawn in float64 and cast to ``dtype``."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        rng = np.random.RandomState(int(random_state))
    else:
        rng = np.random.RandomState(seed)
    params: ParamList = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        a = init_bound(n_in, n_out, activation)
        W = rng.uniform(-a, a, (n_in, n_out))
        b = rng.uniform(-a, a, n_out)
        params.append({"W": W.astype(dtype), "b": b.reshape(1, -1).astype(dtype)})
    return params
