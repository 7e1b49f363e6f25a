"""The panel's public tables (benchmarks/panel.py): each shipped with scikit-learn.

Digits, breast cancer, wine and iris (classification), diabetes and Friedman #1, #2, #3
(regression, 500 rows drawn with seed 0); each loads as ``(X (N, D), y (N,))``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def _friedman(number: int) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    def load() -> tuple[np.ndarray, np.ndarray]:
        from sklearn import datasets

        make = getattr(datasets, f"make_friedman{number}")
        return make(n_samples=500, noise=1.0 if number == 1 else 0.0, random_state=0)

    return load


def _bundled(name: str) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    def load() -> tuple[np.ndarray, np.ndarray]:
        from sklearn import datasets

        X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
        return X, y

    return load


# name -> (task, loader)
TABLES: dict[str, tuple[str, Callable[[], tuple[np.ndarray, np.ndarray]]]] = {
    "digits": ("classification", _bundled("digits")),
    "breast_cancer": ("classification", _bundled("breast_cancer")),
    "wine": ("classification", _bundled("wine")),
    "iris": ("classification", _bundled("iris")),
    "diabetes": ("regression", _bundled("diabetes")),
    "friedman1": ("regression", _friedman(1)),
    "friedman2": ("regression", _friedman(2)),
    "friedman3": ("regression", _friedman(3)),
}
