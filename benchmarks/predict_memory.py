"""Peak memory of inference with a 256-256 network on 1M rows: streamed and in row blocks.

Contenders, each in a fresh interpreter (memory is ``VmHWM`` minus ``VmRSS`` after the
imports and after the input is in memory, Linux):

* ``glassnet predict`` on a CSV, a Parquet file (row groups of 65,536 rows), an NPY file
  and a column-major (Fortran-order) NPY file, streamed block by block to an output CSV
  (the input is never held whole); and the CSV to an output Parquet file (a row group per
  block);
* ``glassnet evaluate`` on the same CSV and Parquet file (their ``label`` column the
  target), scored block by block (only the target column is read whole: 1M labels);
* ``Model.predict`` on an in-memory ``X`` (row blocks; beyond the input and the output);
* with ``--whole``, the forward pass over all rows at once, as glassnet 0.1 did it.

Usage: ``python benchmarks/predict_memory.py [--rows 1000000] [--features 10] [--whole]
[--only Parquet]`` (``--only``: the contenders whose name holds the word).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CHILD = r"""
import json, sys, time
import numpy as np
from glassnet.cli.main import main
from glassnet.files.modelfile import load_model
which, model_path, data, out = sys.argv[1:5]

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024  # MB

model = load_model(model_path)
X = np.load(data) if which in ("Model.predict (row blocks)", "whole forward pass") else None
import glassnet.data.blocks, glassnet.cli.commands, pyarrow.csv, pandas  # imports (pyarrow
# imports pandas on its first conversion anyway)
base = status("VmRSS")
t0 = time.perf_counter()
if which.startswith("glassnet evaluate"):
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["evaluate", "--model", model_path, "--data", data, "--target", "label"]) == 0
elif X is None:
    assert main(["predict", "--model", model_path, "--data", data, "--out", out]) == 0
elif which == "whole forward pass":
    Y = model.net.predict(model.params, model.scaler.transform(X, np.float64))
else:
    Y = model.predict(X)
print(json.dumps({"seconds": time.perf_counter() - t0, "peak_mb": status("VmHWM") - base}))
"""


def setup(tmp: Path, rows: int, features: int) -> tuple[Path, Path, Path]:
    """A saved 256-256 classifier and the same rows as NPY (row- and column-major), CSV and
    Parquet files (``X.npy``, ``XF.npy``, ``X.csv``, ``X.parquet``)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    from glassnet.core.network import Network
    from glassnet.data.preprocessing import Standardizer
    from glassnet.files.modelfile import Model, save_model

    rng = np.random.default_rng(0)
    net = Network.mlp([features, 256, 256, 3], "relu", "softmax", "mean")
    scaler = Standardizer(np.zeros(features), np.ones(features))
    names = tuple(f"x{j}" for j in range(features))
    save_model(Model(net, net.init(rng), np.array(["a", "b", "c"]), scaler, names), tmp / "m.npz")
    X = np.round(rng.normal(size=(rows, features)), 4)
    np.save(tmp / "X.npy", X)
    np.save(tmp / "XF.npy", np.asfortranarray(X))
    label = np.array(["a", "b", "c"])[rng.integers(0, 3, rows)]
    columns = {n: X[:, j] for j, n in enumerate(names)} | {"label": label}
    pcsv.write_csv(pa.table(columns), tmp / "X.csv")
    pq.write_table(pa.table(columns), tmp / "X.parquet", row_group_size=65536)
    return tmp / "m.npz", tmp / "X.npy", tmp / "X.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--whole", action="store_true", help="also the all-rows-at-once pass")
    parser.add_argument("--only", default="", help="only the contenders whose name has this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        model, npy, csv = setup(tmp, args.rows, args.features)
        runs = {
            "glassnet predict, CSV streamed": csv,
            "glassnet predict, Parquet streamed": tmp / "X.parquet",
            "glassnet predict, NPY streamed": npy,
            "glassnet predict, Fortran NPY": tmp / "XF.npy",
            "glassnet predict, CSV to Parquet": csv,
            "glassnet evaluate, CSV streamed": csv,
            "glassnet evaluate, Parquet": tmp / "X.parquet",
            "Model.predict (row blocks)": npy,
        }
        if args.whole:
            runs["whole forward pass"] = npy
        input_mb = args.rows * args.features * 8 / 2**20
        print(
            f"256-256 network, {args.rows} rows x {args.features} features "
            f"(X: {input_mb:.0f} MB in float64; one whole hidden layer would be "
            f"{args.rows * 256 * 8 / 2**20:.0f} MB)"
        )
        print(f"{'inference':<34}{'seconds':>9}{'peak MB above baseline':>24}")
        for which, data in runs.items():
            if args.only.lower() not in which.lower():
                continue
            out = subprocess.run(
                [sys.executable, "-c", CHILD, which, str(model), str(data),
                 str(tmp / ("p.parquet" if "to Parquet" in which else "p.csv"))],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            f = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{which:<34}{f['seconds']:>9.2f}{f['peak_mb']:>24.0f}")
        print(
            "(the output CSV is written to disk as it goes; the CSV, Parquet and NPY inputs "
            "are read a block of rows at a time; target: under about 64 MB; the load average was "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, which slows the seconds)"
        )


if __name__ == "__main__":
    main()
