"""glassnet against the tutorial's code, scikit-learn and PyTorch, on the same machine.

    python benchmarks/run.py            # the full run (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # a smoke test in seconds; its figures mean nothing

Prints medians of interleaved repeats and every ratio the targets of issue 5 name, and
writes the figures as JSON (``--json``, default ``benchmarks/results/latest.json``).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import large  # noqa: E402
import numpy as np  # noqa: E402
import startup  # noqa: E402
import tiny  # noqa: E402
from common import cores, verdict  # noqa: E402

TARGETS = {
    "tiny: vs tutorial code": 3.0,
    "tiny: vs scikit-learn": 5.0,
    "tiny: vs pytorch": 10.0,
    "large float32: vs pytorch": 1.1,
    "large float32: vs scikit-learn": 1.1,
    "large float32: fraction of matmul ceiling": 0.85,
}


def report(results: dict[str, Any]) -> list[str]:
    """The printed summary: figures, then each target with its measured value."""
    lines = [f"machine: {results['machine']}"]
    t = results["tiny"]
    lines.append(
        f"\ntiny (tutorial problem, {t['iterations']} iterations, median of {t['repeats']})"
    )
    for name, us in t["us_per_iteration"].items():
        lines.append(f"  {name:22s} {us:9.1f} us/iter   {t['slowdown_vs_glassnet'][name]:6.2f}x")
    big = results["large"]
    lines.append(
        f"\nlarge ({big['n_samples']} x 784, 784-512-512-10 ReLU, batch {big['batch']}, "
        f"{big['gflop_per_epoch']:.1f} GFLOP/epoch, {big['cores']} cores, "
        f"median of {big['repeats']})"
    )
    for dtype in ("float32", "float64"):
        r = big[dtype]
        for name, sec in r["seconds"].items():
            lines.append(
                f"  {dtype} {name:16s} {sec:7.3f} s  {r['samples_per_s'][name]:9.0f} samples/s"
                f"  {r['gflop_per_s'][name]:6.1f} GFLOP/s  {r['speedup_vs_peer'][name]:5.2f}x"
            )
    s = results["startup"]
    lines.append(f"\nstart-up (median of {s['repeats']} fresh interpreters)")
    for name, sec in s["seconds"].items():
        lines.append(f"  {name:24s} {sec * 1e3:7.1f} ms")
    lines.append("\ntargets (ratio = peer time / glassnet time; medians, then best repeats)")
    best = _measured(results, best=True)
    for name, (value, target, higher) in _measured(results).items():
        lines.append(
            f"  {name:44s} {value:7.2f}  target {target:5.2f}  {verdict(value, target, higher):6s}"
            f"  best {best[name][0]:7.2f} {verdict(best[name][0], target, higher)}"
        )
    return lines


def _measured(results: dict[str, Any], best: bool = False) -> dict[str, tuple[float, float, bool]]:
    """Each target's measured value: from the medians, or (``best``) the fastest repeats."""
    key = "_best" if best else ""
    tiny_r = results["tiny"]["slowdown_vs_glassnet" + key]
    f32 = results["large"]["float32"]
    values = {
        "tiny: vs tutorial code": tiny_r.get("tutorial code"),
        "tiny: vs scikit-learn": tiny_r.get("scikit-learn"),
        "tiny: vs pytorch": tiny_r.get("pytorch"),
        "large float32: vs pytorch": f32["speedup_vs_peer" + key].get("pytorch"),
        "large float32: vs scikit-learn": f32["speedup_vs_peer" + key].get("scikit-learn"),
        "large float32: fraction of matmul ceiling": f32.get("fraction_of_ceiling" + key),
    }
    out = {k: (v, TARGETS[k], True) for k, v in values.items() if v is not None}
    s = results["startup"]
    out["start-up: import glassnet over numpy (ms)"] = (
        s["import_glassnet_over_numpy_ms"],
        30,
        False,
    )
    out["start-up: glassnet --help (s)"] = (s["help_s"], 0.3, False)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: smoke test")
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "latest.json"
    )
    parser.add_argument("--repeats", type=int, default=None, help="override the repeat counts")
    args = parser.parse_args(argv)
    quick = args.quick
    started = time.time()
    results: dict[str, Any] = {
        "machine": f"{platform.machine()} {platform.processor() or ''}, {cores()} cores, "
        f"Python {platform.python_version()}, NumPy {np.__version__}".replace(" ,", ","),
        "quick": quick,
    }
    results["startup"] = startup.run(args.repeats or (2 if quick else 9))
    results["tiny"] = tiny.run(args.repeats or (1 if quick else 9), 30 if quick else 300)
    results["large"] = large.run(args.repeats or (1 if quick else 3), 512 if quick else 60_000)
    results["measured_vs_target"] = {k: list(v[:2]) for k, v in _measured(results).items()}
    results["best_vs_target"] = {k: list(v[:2]) for k, v in _measured(results, True).items()}
    results["wall_s"] = time.time() - started
    print("\n".join(report(results)))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
