"""Reading a 200,000 x 31 numeric CSV into features: glassnet now vs glassnet 0.1.

Each contender runs in a fresh interpreter, interleaved, ``--repeats`` times. It imports
what it needs and reads a two-row CSV once (so lazy imports and first-use set-up are in
the baseline), notes its resident memory, then turns the file into a float64 feature
matrix and a target, and reports the wall time, the CPU time (all threads) and the peak
memory above that baseline (``VmHWM - VmRSS``, Linux). Contenders:

* ``glassnet 0.1 (csv module)``: the 0.1 reader, verbatim in ``old_reader.py``;
* ``glassnet CLI read path``: what ``glassnet train`` does before training: read the file
  (pandas' C engine), judge every column's type, split off the held-out rows, fit the encoding on
  the training rows, encode every row to float64 and check it;
* ``pandas C engine``, for reference: ``pd.read_csv`` and ``to_numpy``.

On a shared machine the wall times depend on the load (printed); the CPU times less so.
Usage: ``python benchmarks/read_table.py [--rows 200000] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import median

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, sys, time
from pathlib import Path
import numpy as np
path, tiny, which = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if which == "glassnet CLI read path":
    from glassnet.core.validation import as_features
    from glassnet.data.encoding import fit_encoding
    from glassnet.data.splits import split_indices
    from glassnet.data.tables import load_table

    def read(p):
        table = load_table(p, "target")
        train, _ = split_indices(table.frame.n_rows, 0.2, np.random.default_rng(0))
        X = fit_encoding(table.frame, rows=train).transform(table.frame).X
        return as_features(X), table.y
elif which == "pandas C engine":
    import pandas as pd

    def read(p):
        df = pd.read_csv(p)
        return df.drop(columns="target").to_numpy(np.float64), df["target"].to_numpy()
else:
    from old_reader import load_table

    def read(p):
        return load_table(p, "target")[:2]

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024  # MB

read(tiny)
base = status("VmRSS")
t0, c0 = time.perf_counter(), time.process_time()
X, y = read(path)
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
assert X.shape[1] == 30 and X.dtype == np.float64 and len(y) == len(X)
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": status("VmHWM") - base}))
"""

CONTENDERS = ["glassnet 0.1 (csv module)", "glassnet CLI read path", "pandas C engine"]


def write_csv(path: Path, rows: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv

    rng = np.random.default_rng(0)
    X = np.round(rng.normal(size=(rows, 31)) * rng.uniform(0.1, 1e4, 31), 3)  # ~55 MB
    names = [f"f{j}" for j in range(30)] + ["target"]
    pcsv.write_csv(pa.table({n: X[:, j] for j, n in enumerate(names)}), path)


def run(rows: int, repeats: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        path, tiny = Path(tmp) / "table.csv", Path(tmp) / "tiny.csv"
        write_csv(path, rows)
        write_csv(tiny, 2)
        size_mb = path.stat().st_size / 2**20
        runs: dict[str, list[dict[str, float]]] = {c: [] for c in CONTENDERS}
        for _ in range(repeats):
            for which in CONTENDERS:
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), str(tiny), which],
                    capture_output=True, text=True, check=True, cwd=HERE,
                )  # fmt: skip
                runs[which].append(json.loads(out.stdout))
    figures = {
        which: {key: median([r[key] for r in results]) for key in ("seconds", "cpu", "peak_mb")}
        for which, results in runs.items()
    }
    figures["file"] = {"mb": size_mb, "rows": rows}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    figures = run(args.rows, args.repeats)
    size = figures.pop("file")["mb"]
    old = figures["glassnet 0.1 (csv module)"]
    print(f"{args.rows} x 31 numeric CSV, {size:.1f} MB; medians of {args.repeats} fresh runs; "
          f"load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'reader':<27}{'wall s':>8}{'speed-up':>9}{'CPU s':>7}{'CPU ratio':>10}"
          f"{'peak MB':>8}{'x file':>7}")
    for which, f in figures.items():
        print(
            f"{which:<27}{f['seconds']:>8.3f}{old['seconds'] / f['seconds']:>8.1f}x"
            f"{f['cpu']:>7.2f}{old['cpu'] / f['cpu']:>9.1f}x{f['peak_mb']:>8.0f}"
            f"{f['peak_mb'] / size:>7.2f}"
        )
    print("targets: speed-up >= 10x, peak <= 3x the file size")


if __name__ == "__main__":
    main()
