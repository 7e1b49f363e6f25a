"""Regression at any scale: held-out R^2 of MLPRegressor's defaults on targets of several
scales and offsets, side by side with ``standardize_target=False`` and scikit-learn.

Each row trains three regressors on one 75/25 split (seed 0), inputs standardized in a
pipeline, every other setting the default (one hidden layer of 100 ReLU units, Adam,
200 epochs): glassnet's ``MLPRegressor()`` (targets standardized), glassnet's
``MLPRegressor(standardize_target=False)`` (scikit-learn's objective) and scikit-learn's
``MLPRegressor()``. The tables: Friedman #1 (1,000 rows) and scikit-learn's diabetes data,
each at unit scale and at house-price scale (x 1e5 + 5e5), and Friedman #1 at x 1e9 + 2e9
with two target columns. Prints one line per table; ``--quick`` uses 30 epochs.

Run: ``python benchmarks/regression_scale.py [--quick]``
"""

from __future__ import annotations

import argparse
import warnings
from typing import Any

import numpy as np
from sklearn.datasets import load_diabetes, make_friedman1
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor as SkMLP
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassnet.sklearn.estimators import MLPRegressor


def tables() -> list[tuple[str, Any, Any]]:
    Xf, yf = make_friedman1(n_samples=1000, random_state=0)
    Xd, yd = load_diabetes(return_X_y=True)
    two = np.column_stack([yf, 30.0 - yf * np.sin(Xf[:, 0])])
    return [
        ("friedman1", Xf, yf),
        ("friedman1 x1e5+5e5", Xf, yf * 1e5 + 5e5),
        ("diabetes", Xd, yd),
        ("diabetes x1e5+5e5", Xd, yd * 1e5 + 5e5),
        ("friedman1, 2 targets x1e9+2e9", Xf, two * 1e9 + 2e9),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 epochs instead of 200")
    epochs = 30 if parser.parse_args().quick else 200
    warnings.simplefilter("ignore", ConvergenceWarning)
    models = {
        "glassnet default": lambda: MLPRegressor(max_iter=epochs, random_state=0),
        "glassnet standardize_target=False": lambda: MLPRegressor(
            max_iter=epochs, random_state=0, standardize_target=False
        ),
        "scikit-learn": lambda: SkMLP(max_iter=epochs, random_state=0),
    }
    print(f"held-out R^2, 75/25 split (seed 0), {epochs} epochs at most")
    print(f"{'table':32s}" + "".join(f"{name:>36s}" for name in models))
    for name, X, y in tables():
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0)
        scores = [make_pipeline(StandardScaler(), make()).fit(Xtr, ytr).score(Xte, yte)
                  for make in models.values()]  # fmt: skip
        print(f"{name:32s}" + "".join(f"{s:36.3f}" for s in scores))


if __name__ == "__main__":
    main()
