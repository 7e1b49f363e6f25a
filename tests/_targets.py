"""Random targets of the shape and kind each output head trains on."""

import numpy as np


def random_targets(output, rng, N, C, dtype=np.float64):
    """One-hot rows for softmax, 0/1 entries for logistic, real values for identity."""
    if output == "softmax":
        return np.eye(C, dtype=dtype)[rng.integers(0, C, N)]
    if output == "logistic":
        return rng.integers(0, 2, size=(N, C)).astype(dtype)
    return rng.normal(size=(N, C)).astype(dtype)
