"""glassnet's MLPClassifier against scikit-learn's on the digits, same data and settings.

Both estimators get the same split (75/25, stratified, seed 0), standardized pixels, one
hidden layer of 64 ReLU units, Adam with learning rate 1e-3, alpha 1e-4, no early
stopping, at most 200 epochs with the same tolerance stop (tol 1e-4, 10 epochs), for
two batch sizes and three seeds each. Prints a table of test accuracy and fit time
(medians over the seeds) and the epochs run. BLAS runs one thread by default (both
libraries call the same NumPy and BLAS; on a busy small machine extra BLAS threads only
add contention); ``--threads N`` changes that.

Run: ``python benchmarks/estimator_vs_sklearn.py [--threads N]``
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from typing import Any

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SkMLP
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from glassnet.sklearn.estimators import MLPClassifier as GnMLP

SETTINGS: dict[str, Any] = dict(
    hidden_layer_sizes=(64,),
    activation="relu",
    solver="adam",
    learning_rate_init=1e-3,
    alpha=1e-4,
    max_iter=200,
    tol=1e-4,
    n_iter_no_change=10,
    early_stopping=False,
)
SEEDS = (0, 1, 2)


def run(cls: type, batch_size: int, seed: int, data: tuple[Any, ...]) -> tuple[float, float, int]:
    X_train, X_test, y_train, y_test = data
    est = cls(**SETTINGS, batch_size=batch_size, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        est.fit(X_train, y_train)
        seconds = time.perf_counter() - t0
    return est.score(X_test, y_test), seconds, est.n_iter_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    args = parser.parse_args()
    with threadpool_limits(limits=args.threads, user_api="blas"):
        compare()
    print(f"BLAS threads: {args.threads}")


def compare() -> None:
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    data = (scaler.transform(X_train), scaler.transform(X_test), y_train, y_test)
    print(f"digits: {len(y_train)} train / {len(y_test)} test; settings {SETTINGS}")
    print(f"{'estimator':<28}{'batch':>6}{'accuracy':>10}{'fit s':>8}{'ms/epoch':>10}  epochs")
    for batch_size in (32, 200):
        for name, cls in (("glassnet MLPClassifier", GnMLP), ("scikit-learn MLPClassifier", SkMLP)):
            runs = [run(cls, batch_size, seed, data) for seed in SEEDS]
            acc = statistics.median(r[0] for r in runs)
            sec = statistics.median(r[1] for r in runs)
            per_epoch = 1000 * statistics.median(r[1] / r[2] for r in runs)
            epochs = "/".join(str(r[2]) for r in runs)
            print(f"{name:<28}{batch_size:>6}{acc:>10.4f}{sec:>8.2f}{per_epoch:>10.1f}  {epochs}")
    print(f"medians over seeds {SEEDS}; epochs per seed")


if __name__ == "__main__":
    main()
