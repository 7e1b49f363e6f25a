"""Reading a 200,000 x 31 numeric CSV: glassnet 0.2 (pyarrow) vs glassnet 0.1 (csv module).

Each contender runs in a fresh interpreter, interleaved, ``--repeats`` times: it imports
what it needs, notes its resident memory (the baseline after imports), reads the file
into a float64 feature matrix and a target, and reports the wall time of the read and its
peak memory above that baseline (``VmHWM - VmRSS``, Linux). pandas' C engine is shown as
a reference. Usage: ``python benchmarks/read_table.py [--rows 200000] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import median

CHILD = r"""
import json, sys, time
from pathlib import Path
import numpy as np
path, which = Path(sys.argv[1]), sys.argv[2]
if which == "glassnet 0.2 (pyarrow)":
    import pandas, pyarrow.csv  # what load_table imports on its first call
    from glassnet.data.encoding import fit_encoding
    from glassnet.data.tables import load_table
elif which == "pandas C engine":
    import pandas as pd

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024  # MB

def old_reader(path):  # glassnet 0.1's data.tables._read_csv, numeric columns
    import csv, math
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    columns = {h: [] for h in header}
    for r in body:
        for h, cell in zip(header, r, strict=True):
            columns[h].append(cell.strip())
    features = header[:-1]
    X = np.empty((len(body), len(features)))
    for j, name in enumerate(features):
        values = []
        for cell in columns[name]:
            v = float(cell)
            if not math.isfinite(v):
                raise ValueError(cell)
            values.append(v)
        X[:, j] = values
    y = np.array([float(c) for c in columns[header[-1]]])
    return X, y

base = status("VmRSS")
t0 = time.perf_counter()
if which == "glassnet 0.2 (pyarrow)":
    table = load_table(path, "target")
    X = fit_encoding(table.frame).transform(table.frame).X
elif which == "pandas C engine":
    df = pd.read_csv(path)
    X = df.drop(columns="target").to_numpy(np.float64)
else:
    X, y = old_reader(path)
seconds = time.perf_counter() - t0
assert X.shape[1] == 30
print(json.dumps({"seconds": seconds, "peak_mb": status("VmHWM") - base}))
"""

CONTENDERS = ["glassnet 0.1 (csv module)", "glassnet 0.2 (pyarrow)", "pandas C engine"]


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
        path = Path(tmp) / "table.csv"
        write_csv(path, rows)
        size_mb = path.stat().st_size / 2**20
        runs: dict[str, list[dict[str, float]]] = {c: [] for c in CONTENDERS}
        for _ in range(repeats):
            for which in CONTENDERS:
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), which],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                runs[which].append(json.loads(out.stdout))
    figures = {
        which: {
            "seconds": median([r["seconds"] for r in results]),
            "peak_mb": median([r["peak_mb"] for r in results]),
        }
        for which, results in runs.items()
    }
    figures["file"] = {"mb": size_mb, "rows": rows}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    figures = run(args.rows, args.repeats)
    size = figures.pop("file")["mb"]
    old = figures["glassnet 0.1 (csv module)"]
    print(f"{args.rows} x 31 numeric CSV, {size:.1f} MB; medians of {args.repeats} fresh runs")
    print(f"{'reader':<28}{'read s':>9}{'speed-up':>10}{'peak MB':>9}{'x file':>8}")
    for which, f in figures.items():
        print(
            f"{which:<28}{f['seconds']:>9.3f}{old['seconds'] / f['seconds']:>9.1f}x"
            f"{f['peak_mb']:>9.0f}{f['peak_mb'] / size:>8.2f}"
        )


if __name__ == "__main__":
    main()
