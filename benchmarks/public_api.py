"""Speed through the public API: ``glassnet.MLPClassifier.fit`` and ``glassnet train`` against
scikit-learn's ``MLPClassifier`` and PyTorch, on identical work, in one run.

    python benchmarks/public_api.py            # the full run (minutes on 2 cores)
    python benchmarks/public_api.py --quick    # a smoke test; its figures mean nothing
    python benchmarks/public_api.py --only tiny --no-cli   # one problem (a quicker look)

* tiny: the tutorial's circles (100 x 2, two classes), one hidden layer of 3 logistic
  units, one logistic output, 300 full-batch steps of classical momentum (``mu = 0.02``,
  ``lambda = 0.9``) on the mean loss, the whole ``fit`` (validation, set-up, bookkeeping).
* large: 784-512-512-10 ReLU on random float32 inputs (20,000 rows), batch 256, SGD with
  classical momentum (``mu = 0.01``, ``lambda = 0.9``), one epoch; also glassnet with
  ``sample_weight`` and with ``alpha = 1e-4``, and the same epoch's matrix products alone
  (the float32 matmul ceiling, :func:`large.ceiling`). The large fit is also timed with
  ``score_initial=True``: two forward passes over all rows that scikit-learn and PyTorch
  do not compute (epoch 0 of ``history_``, the initialization scored, and
  ``history_.final``, the kept parameters scored), each 0.42 of this one epoch's matrix
  arithmetic (the forward products; the backward has no input gradient for the first
  layer), so that fit takes about twice the plain one; the estimators' default skips it.

``glassnet train`` runs in this process (no interpreter start-up) on the same data saved
as ``.npz``, on all rows (``--val-fraction 0``: no validation set, as the others), no
standardization and no progress output; it also writes the model, ``history.json``, ``loss.png``,
``report.html`` and checkpoints (every 2 s and at the end), which the other contenders do not,
so it runs once, after the others. Interleaved repeats, medians; every ratio is printed
beside its target. PyTorch is used when installed (``pip install torch==2.13.0``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import large  # noqa: E402
import numpy as np  # noqa: E402
from common import cores, interleaved, median, torch_or_none, verdict  # noqa: E402

import glassnet  # noqa: E402
from glassnet.train.tutorial import TutorialConfig, tutorial_data  # noqa: E402

Runs = dict[str, Callable[[], object]]
WITH_EPOCH_0 = "glassnet fit, score_initial=True"  # epoch 0 too, which scikit-learn skips
TINY = {"hidden": (3,), "activation": "logistic", "lr": 0.02, "batch": 100, "epochs": 300}
LARGE = {"hidden": (512, 512), "activation": "relu", "lr": 0.01, "batch": 256, "epochs": 1}


def estimator_settings(p: dict[str, Any]) -> dict[str, Any]:
    """The same keyword arguments for glassnet's and scikit-learn's ``MLPClassifier``."""
    return dict(
        hidden_layer_sizes=p["hidden"], activation=p["activation"], solver="sgd",
        learning_rate_init=p["lr"], momentum=0.9, nesterovs_momentum=False, alpha=0.0,
        batch_size=p["batch"], max_iter=p["epochs"], tol=0.0,
        n_iter_no_change=p["epochs"] + 1, random_state=0,
    )  # fmt: skip


def estimator_runs(X: np.ndarray, y: np.ndarray, p: dict[str, Any]) -> Runs:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier as SkMLP

    settings = estimator_settings(p)
    w = np.random.default_rng(4).uniform(0.5, 1.5, len(y))

    def fit(cls: type, **kw: Any) -> Callable[[], object]:
        def run() -> object:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                # full batch: no reshuffling (glassnet's loop skips it, the step is the same)
                extra = {"shuffle": p["batch"] < len(y)} if cls is SkMLP else {}
                return cls(**{**settings, **extra, **kw.get("init", {})}).fit(
                    X, y, **kw.get("fit", {})
                )

        return run

    return {
        "glassnet MLPClassifier.fit": fit(glassnet.MLPClassifier),
        "scikit-learn MLPClassifier.fit": fit(SkMLP),
        "glassnet fit, sample_weight": fit(glassnet.MLPClassifier, fit={"sample_weight": w}),
        "glassnet fit, alpha=1e-4": fit(glassnet.MLPClassifier, init={"alpha": 1e-4}),
        WITH_EPOCH_0: fit(glassnet.MLPClassifier, init={"score_initial": True}),
    }


def cli_run(X: np.ndarray, y: np.ndarray, p: dict[str, Any], folder: Path) -> Runs:
    from glassnet.cli.main import main

    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data.npz"
    np.savez(data, X=X, y=y)
    argv = [
        "train", "--data", str(data), "--target", "y", "--hidden",
        ",".join(map(str, p["hidden"])), "--activation", p["activation"], "--optimizer",
        "momentum", "--lr", str(p["lr"]), "--momentum", "0.9", "--epochs", str(p["epochs"]),
        "--batch-size", str(p["batch"]), "--val-fraction", "0", "--patience", "0",
        "--no-standardize", "--progress", "off", "--dtype", str(X.dtype),
        "--out", str(folder / "run" / "model.npz"),
    ]  # fmt: skip
    return {"glassnet train": lambda: main(argv)}


def torch_run(X: np.ndarray, y: np.ndarray, p: dict[str, Any]) -> Runs:
    """The same network, loss, optimizer and batches in PyTorch (built inside the run)."""
    torch: Any = torch_or_none()
    if torch is None:
        return {}
    nn, binary = torch.nn, len(np.unique(y)) == 2
    Xt = torch.from_numpy(X)
    yt = torch.from_numpy(y.astype(X.dtype) if binary else y.astype(np.int64))
    act = {"relu": nn.ReLU, "logistic": nn.Sigmoid}[p["activation"]]

    def run() -> object:
        torch.manual_seed(0)
        sizes, layers = [X.shape[1], *p["hidden"], 1 if binary else 10], []
        for n_in, n_out in zip(sizes, sizes[1:], strict=False):
            layers += [nn.Linear(n_in, n_out), act()]
        model = nn.Sequential(*layers[:-1]).to(Xt.dtype)
        opt = torch.optim.SGD(model.parameters(), lr=p["lr"], momentum=0.9)
        loss_fn = nn.BCEWithLogitsLoss() if binary else nn.CrossEntropyLoss()
        for _ in range(p["epochs"]):
            order = torch.randperm(len(Xt)) if p["batch"] < len(Xt) else torch.arange(len(Xt))
            for start in range(0, len(Xt), p["batch"]):
                idx = order[start : start + p["batch"]]
                opt.zero_grad()
                out = model(Xt[idx])
                loss = loss_fn(out[:, 0] if binary else out, yt[idx])
                loss.backward()
                opt.step()
        return model

    return {"pytorch": run}


def measure(runs: Runs, repeats: int) -> dict[str, float]:
    return {name: median(t) for name, t in interleaved(runs, repeats).items()}


def once(runs: Runs) -> dict[str, float]:
    """Seconds of one run each (for ``glassnet train``, whose files take many seconds)."""
    times = {}
    for name, run in runs.items():
        t0 = time.perf_counter()
        run()
        times[name] = time.perf_counter() - t0
    return times


def tiny(repeats: int, folder: Path | None) -> dict[str, float]:
    _, X, t, _, _ = tutorial_data(TutorialConfig())
    runs = {**estimator_runs(X, t, TINY), **torch_run(X, t, TINY)}
    for name in ("glassnet fit, sample_weight", "glassnet fit, alpha=1e-4", WITH_EPOCH_0):
        del runs[name]  # measured on the large problem
    cli = once(cli_run(X, t, TINY, folder)) if folder is not None else {}
    return measure(runs, repeats) | cli


def big(repeats: int, n: int, folder: Path | None) -> dict[str, float]:
    X, y, _ = large.data(n, np.float32)
    runs = {**estimator_runs(X, y, LARGE), **torch_run(X, y, LARGE)}
    runs["float32 matmul ceiling"] = large.ceiling(n)
    cli = once(cli_run(X, y, LARGE, folder)) if folder is not None else {}
    return measure(runs, repeats) | cli


def ratios(t: dict[str, float], b: dict[str, float]) -> list[tuple[str, float, float, bool]]:
    """``(what, measured, target, higher is better)`` for every target of issue 10."""
    fit, sk = "glassnet MLPClassifier.fit", "scikit-learn MLPClassifier.fit"
    rows = [("tiny: fit vs scikit-learn", t[sk] / t[fit], 3.0, True)] if t else []
    if "glassnet train" in t:
        cli = t[sk] / t["glassnet train"]
        rows.append(("tiny: glassnet train vs scikit-learn", cli, 3.0, True))
    if not b:  # (--only tiny)
        return rows
    for peer, short in (("scikit-learn MLPClassifier.fit", "scikit-learn"), ("pytorch", "pytorch")):
        if peer in b:
            rows.append((f"large: fit vs {short}", b[peer] / b[fit], 1.15, True))
            if "glassnet train" in b:
                rows.append((f"large: glassnet train vs {short}", b[peer] / b["glassnet train"],
                             1.15, True))  # fmt: skip
    rows.append(("large: fit, fraction of matmul ceiling",
                 b["float32 matmul ceiling"] / b[fit], 0.85, True))  # fmt: skip
    for peer, short in ((sk, "scikit-learn"), ("float32 matmul ceiling", "ceiling")):
        rows.append((f"large: fit with epoch 0 vs {short}", b[peer] / b[WITH_EPOCH_0],
                     0.85 if short == "ceiling" else 1.15, True))  # fmt: skip
    for extra in ("sample_weight", "alpha=1e-4"):
        rows.append((f"large: fit cost with {extra}", b[f"glassnet fit, {extra}"] / b[fit],
                     1.10, False))  # fmt: skip
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test: small, one repeat")
    parser.add_argument("--repeats", type=int, help="interleaved repeats (default 7, large 3)")
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the large problem")
    parser.add_argument("--no-cli", action="store_true", help="leave out glassnet train")
    parser.add_argument("--only", choices=["tiny", "large"], help="time one problem only")
    args = parser.parse_args()
    tiny_repeats = 1 if args.quick else args.repeats or 7
    large_repeats, rows = (1, 1024) if args.quick else (args.repeats or 3, args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        folders = (None, None) if args.no_cli else (Path(tmp) / "tiny", Path(tmp) / "large")
        t = tiny(tiny_repeats, folders[0]) if args.only != "large" else {}
        b = big(large_repeats, rows, folders[1]) if args.only != "tiny" else {}
    print(f"{cores()} cores; medians of interleaved repeats (tiny {tiny_repeats}, "
          f"large {large_repeats}); large: {rows} rows")  # fmt: skip
    for title, times in (("tiny", t), ("large", b)):
        for name, sec in times.items():
            note = "  (one run)" if name == "glassnet train" else ""
            print(f"  {title:5s} {name:34s} {sec * 1e3:10.1f} ms{note}")
    if torch_or_none() is None:
        print("  (PyTorch is not installed: pip install torch==2.13.0 to compare with it)")
    print("targets:")
    for what, value, target, higher in ratios(t, b):
        sign = ">=" if higher else "<="
        print(f"  {what:44s} {value:6.2f}x  target {sign} {target:.2f}x  "
              f"{verdict(value, target, higher)}")  # fmt: skip
    if args.quick:
        print("(--quick: one repeat of a small problem; these figures mean nothing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
