"""The benchmark suite runs (quickest mode only; timings are never asserted)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmarks_run_quick(tmp_path):
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    figures = json.loads(out.read_text())
    assert {"tiny", "large", "startup", "measured_vs_target"} <= figures.keys()
    assert "targets" in proc.stdout


def test_population_benchmark_runs_quick():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "population.py"), "--quick"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for line in ("sequential fit / population", "sequential scikit-learn / population", "MiB"):
        assert line in proc.stdout
