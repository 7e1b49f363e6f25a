"""Time and peak memory of refusing each hostile model file (tests/_hostile.py).

    python benchmarks/hostile_files.py [--repeats 5] [--bomb-mib 1024] [--before]

For each lie: the median wall time of ``glassnet.load`` refusing the file, and the peak
of memory allocated meanwhile (tracemalloc, which sees NumPy's buffers). ``--before``
also times ``numpy.load`` reading every member, as the loader did before it checked
sizes first (slow and memory-hungry: it is what the checks prevent).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from _hostile import base_file, hostile  # noqa: E402

from glassnet.files.modelfile import load_model  # noqa: E402


def measure(call, repeats: int) -> tuple[float, int, str]:
    """Median seconds, peak bytes allocated, and the outcome's first 70 characters."""
    times, peak, outcome = [], 0, ""
    for _ in range(repeats):
        tracemalloc.start()
        t0 = time.perf_counter()
        try:
            call()
            outcome = "LOADED"
        except Exception as exc:  # numpy.load fails in many ways; load_model in one
            outcome = str(exc).split(": ", 1)[-1]
        times.append(time.perf_counter() - t0)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return float(np.median(times)), peak, outcome[:70]


def numpy_load_all(path: Path) -> None:
    with np.load(path, allow_pickle=False) as f:
        for name in f.files:
            f[name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bomb-mib", type=int, default=1024)
    parser.add_argument("--before", action="store_true", help="also time numpy.load")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="glassnet-hostile-"))
    members = base_file(folder / "base.npz")
    honest = folder / "honest.npz"
    honest.write_bytes((folder / "base.npz").read_bytes())
    print(f"{'file':<54} {'MB':>7} {'ms':>8} {'peak MB':>8}  refusal")
    rows = [("honest 500-500-3 model (loads)", honest)]
    for name, build in hostile(members, args.bomb_mib * 2**20).items():
        path = folder / f"{len(rows)}.npz"
        path.write_bytes(build())
        rows.append((name, path))
    for name, path in rows:
        seconds, peak, outcome = measure(lambda p=path: load_model(p), args.repeats)
        size = path.stat().st_size / 1e6
        print(f"{name:<54} {size:>7.2f} {seconds * 1e3:>8.2f} {peak / 1e6:>8.3f}  {outcome}")
        if args.before:
            seconds, peak, outcome = measure(lambda p=path: numpy_load_all(p), 1)
            print(f"{'  numpy.load, every member':<54} {'':>7} {seconds * 1e3:>8.1f} "
                  f"{peak / 1e6:>8.1f}  {outcome}")  # fmt: skip


if __name__ == "__main__":
    main()
