"""``glassnet train`` with no options against scikit-learn's MLP defaults, on public tables.

    python benchmarks/panel.py              # 8 tables x 5 split seeds, one process
    python benchmarks/panel.py --jobs 2     # two worker processes, one thread each
    python benchmarks/panel.py --quick      # one table, one seed, 3 epochs: a smoke test

Every table ships with scikit-learn (no download): digits, breast cancer, wine and iris
(classification; test accuracy), diabetes and Friedman #1, #2, #3 (regression, 500 rows
drawn with seed 0; test R^2). For each table and split seed ``s``:
``train_test_split(test_size=0.25, random_state=s)``, stratified for classification. The
training rows are written as ``train.csv`` and trained on exactly as a user would, through
the CLI's entry point in this process: ``glassnet train --data train.csv --target target
--out model.npz`` (nothing more); the saved model then predicts the test rows.
scikit-learn fits ``make_pipeline(StandardScaler(), MLPClassifier(random_state=s))`` (or
``MLPRegressor``), every other setting its default, on the same rows.

The comparison is paired over the seeds: per table, the mean score of each, the mean of
the per-seed differences ``glassnet - scikit-learn`` and its standard error
``std(d, ddof=1) / sqrt(n)``. A table is *behind* when the mean difference is below minus
one standard error. Seconds are wall time per fit (glassnet's includes reading the CSV
and writing the model, its history and report, as ``glassnet train`` does); they are
noisy on a shared machine.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # one core per worker process, before NumPy loads BLAS

import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import multiprocessing  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from panel_summary import Pair, summarize, table_lines  # noqa: E402
from panel_tables import TABLES  # noqa: E402

__all__ = ["TABLES", "Pair", "run_panel", "summarize", "table_lines"]

def write_csv(path: Path, X: np.ndarray, y: np.ndarray) -> None:
    """Columns ``x0 .. x{D-1}`` and ``target``, full precision (``repr`` of each float)."""
    import pandas as pd

    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
    frame["target"] = y
    frame.to_csv(path, index=False)


def glassnet_fit(folder: Path, X: np.ndarray, y: np.ndarray, extra: Sequence[str]) -> Any:
    """``glassnet train --data train.csv --target target --out model.npz`` (plus ``extra``,
    empty in the panel) through the CLI's entry point; returns the saved model."""
    from glassnet.cli.main import main
    from glassnet.files.modelfile import load_model

    write_csv(folder / "train.csv", X, y)
    argv = ["train", "--data", str(folder / "train.csv"), "--target", "target"]
    argv += ["--out", str(folder / "model.npz"), *extra]
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = main(argv)
    if code != 0:
        raise RuntimeError(f"glassnet {' '.join(argv)} exited {code}:\n{said.getvalue()}")
    return load_model(folder / "model.npz")


def sklearn_fit(task: str, X: np.ndarray, y: np.ndarray, seed: int, max_iter: int) -> Any:
    """scikit-learn's MLP defaults (but ``random_state``) after a StandardScaler."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    mlp = MLPClassifier if task == "classification" else MLPRegressor
    pipe = make_pipeline(StandardScaler(), mlp(random_state=seed, max_iter=max_iter))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the default 200 iterations
        return pipe.fit(X, y)


def score(task: str, y: np.ndarray, predicted: np.ndarray) -> float:
    """Accuracy for a classifier, R^2 for a regressor."""
    from sklearn.metrics import accuracy_score, r2_score

    predicted = np.asarray(predicted).reshape(y.shape)
    if task == "classification":
        return float(accuracy_score(y, predicted))
    return float(r2_score(y, predicted))


def one_pair(job: tuple[str, int, tuple[str, ...], int]) -> Pair:
    """Both sides on one table and split seed (the side that goes first alternates)."""
    from sklearn.model_selection import train_test_split

    name, seed, extra, max_iter = job
    task, load = TABLES[name]
    X, y = load()
    strata = y if task == "classification" else None
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.25, random_state=seed, stratify=strata
    )
    scores, seconds = {}, {}
    with tempfile.TemporaryDirectory(prefix="glassnet-panel-") as tmp:
        columns = [f"x{j}" for j in range(X.shape[1])]

        def ours() -> Any:
            import pandas as pd

            return glassnet_fit(Path(tmp), X_tr, y_tr, extra).predict(
                pd.DataFrame(X_te, columns=columns)
            )

        def theirs() -> Any:
            return sklearn_fit(task, X_tr, y_tr, seed, max_iter).predict(X_te)

        order = [("glassnet", ours), ("sklearn", theirs)]
        for side, run in order if seed % 2 == 0 else order[::-1]:
            t0 = time.perf_counter()
            predicted = run()
            seconds[side] = time.perf_counter() - t0
            scores[side] = score(task, y_te, predicted)
    return Pair(name, seed, scores["glassnet"], scores["sklearn"],
                seconds["glassnet"], seconds["sklearn"])  # fmt: skip


def run_panel(
    tables: Sequence[str],
    seeds: Sequence[int],
    jobs: int = 1,
    extra: Sequence[str] = (),
    max_iter: int = 200,
) -> list[Pair]:
    """Every (table, seed) pair, in ``jobs`` processes of one thread each."""
    work = [(name, seed, tuple(extra), max_iter) for name in tables for seed in seeds]
    if jobs <= 1:
        return [one_pair(job) for job in work]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        return pool.map(one_pair, work, chunksize=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", default=",".join(TABLES), help="comma-separated names")
    parser.add_argument("--seeds", type=int, default=5, help="split seeds 0..N-1 (default 5)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--quick", action="store_true",
                        help="iris, one seed, 3 epochs each: a smoke test")  # fmt: skip
    args = parser.parse_args(argv)
    tables, seeds = args.tables.split(","), list(range(args.seeds))
    extra: tuple[str, ...] = ()
    max_iter = 200
    if args.quick:
        tables, seeds, extra, max_iter = ["iris"], [0], ("--epochs", "3"), 3
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        parser.error(f"unknown tables {unknown}; known: {', '.join(TABLES)}")
    t0 = time.perf_counter()
    pairs = run_panel(tables, seeds, args.jobs, extra, max_iter)
    wall = time.perf_counter() - t0
    quick = "; --quick: 3 epochs, the scores mean nothing" if args.quick else ""
    print(f"glassnet train (no options) vs scikit-learn MLP defaults in a StandardScaler "
          f"pipeline; 75/25 splits, seeds 0..{len(seeds) - 1}; {args.jobs} process(es), "
          f"one thread each{quick}")  # fmt: skip
    for line in table_lines(summarize(pairs)):
        print(line)
    print(f"wall time {wall:.1f} s (a shared, busy machine: timings are noisy)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
