"""What ``glassnet train`` costs beyond its fit: end to end, and the report section by section.

    python benchmarks/train_report.py                          # this tree: tiny and large
    python benchmarks/train_report.py --against /work/main/src # side by side with another tree
    python benchmarks/train_report.py --quick                  # a smoke test (a small "large")

* tiny: the tutorial's circles (100 x 2), as ``benchmarks/public_api.py`` sets it up: one
  hidden layer of 3 logistic units, 300 full-batch momentum epochs;
* large: 784-512-512-10 ReLU, float32, 20,000 random rows, batch 256, one epoch.

Both run ``glassnet train`` on an ``.npz`` (all rows, no standardization, no progress).
"end to end" is a fresh interpreter (``python -m glassnet train``), so imports count; each
tree's runs alternate (interleaved repeats, medians). The sections are timed in a child
process of each tree, one in-process run, by wrapping the report's functions: the fit
(``train_model``), the gradient check, every section of the page (its figures included),
the PNG rendering alone, and ``loss.png``. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from common import median  # noqa: E402

HERE_SRC = Path(__file__).resolve().parent.parent / "src"
PROBLEMS = {
    "tiny": {"hidden": "3", "activation": "logistic", "lr": "0.02", "batch": "100",
             "epochs": "300", "dtype": "float64"},
    "large": {"hidden": "512,512", "activation": "relu", "lr": "0.01", "batch": "256",
              "epochs": "1", "dtype": "float32"},
}  # fmt: skip
# (module, function) pairs timed inside one run; nested ones overlap their callers
TIMED = [
    ("glassnet.cli.workflow", "train_model"),
    ("glassnet.cli.run_outputs", "write_extras"),
    ("glassnet.cli.run_outputs", "loss_figure"),
    ("glassnet.views.run_report", "report_data"),
    ("glassnet.views.run_report", "gradient_check"),
    ("glassnet.views.report", "build_report"),
    ("glassnet.views.report", "_summary"),
    ("glassnet.views.report", "_scores"),
    ("glassnet.views.report_sections", "data"),
    ("glassnet.views.report_sections", "training"),
    ("glassnet.views.report_sections", "boundary"),
    ("glassnet.views.report_health", "diagnostics"),
    ("glassnet.views.report_inside", "hidden"),
    ("glassnet.views.report_inside", "landscape"),
    ("glassnet.views.report_html", "png_bytes"),
]


def write_data(problem: str, folder: Path, rows: int) -> Path:
    """The problem's data as ``folder/PROBLEM.npz`` (X, y)."""
    if problem == "tiny":
        from glassnet.train.tutorial import TutorialConfig, tutorial_data

        _, X, y, _, _ = tutorial_data(TutorialConfig())
    else:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((rows, 784)).astype(np.float32)
        y = rng.integers(0, 10, rows)
    path = folder / f"{problem}.npz"
    np.savez(path, X=X, y=y)
    return path


def argv(problem: str, data: Path, out: Path) -> list[str]:
    p = PROBLEMS[problem]
    return [
        "train", "--data", str(data), "--target", "y", "--hidden", p["hidden"],
        "--activation", p["activation"], "--optimizer", "momentum", "--lr", p["lr"],
        "--momentum", "0.9", "--epochs", p["epochs"], "--batch-size", p["batch"],
        "--val-fraction", "0", "--patience", "0", "--no-standardize", "--progress", "off",
        "--dtype", p["dtype"], "--out", str(out / "model.npz"),
    ]  # fmt: skip


def sections(args: list[str]) -> dict[str, float]:
    """Seconds in each :data:`TIMED` function during one in-process ``glassnet train``."""
    import importlib

    spent: dict[str, float] = {}

    def wrap(module: Any, name: str) -> None:
        inner = getattr(module, name)

        def timed(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

        setattr(module, name, timed)

    t0 = time.perf_counter()
    from glassnet.cli.main import main

    for module_name, name in TIMED:
        wrap(importlib.import_module(module_name), name)
    spent["imports (cli, report, matplotlib)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    main(args)
    spent["glassnet train (in process)"] = time.perf_counter() - t0
    return spent


def in_tree(src: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": src}
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{src}: {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def end_to_end(trees: dict[str, str], args: list[str], repeats: int) -> dict[str, float]:
    """Median wall seconds of ``python -m glassnet train`` per tree, interleaved."""
    times: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(repeats):
        for name, src in trees.items():
            t0 = time.perf_counter()
            in_tree(src, "-m", "glassnet", *args)
            times[name].append(time.perf_counter() - t0)
    return {name: median(t) for name, t in times.items()}


def table(title: str, rows: dict[str, dict[str, float]]) -> None:
    names = list(rows)
    keys = list(dict.fromkeys(k for r in rows.values() for k in r))
    print(f"\n{title} (seconds; a shared machine: noisy)", flush=True)
    print(f"  {'':44s}" + "".join(f"{n:>14s}" for n in names))
    for k in keys:
        cells = "".join(f"{rows[n][k]:14.3f}" if k in rows[n] else f"{'-':>14s}" for n in names)
        print(f"  {k:44s}{cells}")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", action="append", default=[], metavar="SRC",
                        help="another tree's src/ folder, timed side by side")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=list(PROBLEMS))
    parser.add_argument("--quick", action="store_true", help="smoke test: 2,000 large rows")
    parser.add_argument("--sections-child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sections_child is not None:
        print(json.dumps(sections(args.sections_child)))
        return 0
    trees = {
        "this tree": str(HERE_SRC),
        **{f"other {i + 1}": s for i, s in enumerate(args.against)},
    }
    for name, src in trees.items():
        print(f"{name}: {src}", flush=True)
    rows, repeats = (2000, 1) if args.quick else (20000, args.repeats)
    with tempfile.TemporaryDirectory() as tmp:
        for problem in [args.only] if args.only else list(PROBLEMS):
            data = write_data(problem, Path(tmp), rows)
            cli = argv(problem, data, Path(tmp) / problem)
            wall = end_to_end(trees, cli, repeats)
            parts = {
                name: json.loads(in_tree(src, __file__, "--sections-child", *cli).splitlines()[-1])
                for name, src in trees.items()
            }
            for name in trees:
                parts[name] = {"end to end (median, fresh python)": wall[name], **parts[name]}
            table(f"{problem}: glassnet train", parts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
