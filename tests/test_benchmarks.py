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


def test_panel_runs_quick():
    """benchmarks/panel.py: one table, one seed, 3 epochs, through `glassnet train`."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "panel.py"), "--quick"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "iris          accuracy     1" in proc.stdout
    assert "tables behind scikit-learn:" in proc.stdout


def test_panel_paired_summary_by_hand():
    """The paired difference's mean and standard error, and the 'behind' rule, by hand."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import panel
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    # differences 0.02, -0.04, -0.01: mean -0.01, sample std 0.03, SE 0.03 / sqrt(3)
    pairs = [panel.Pair("wine", s, g, k, 1.0, 2.0)
             for s, (g, k) in enumerate([(0.97, 0.95), (0.92, 0.96), (0.95, 0.96)])]  # fmt: skip
    (row,) = panel.summarize(pairs)
    assert (row.metric, row.n) == ("accuracy", 3)
    assert abs(row.diff - -0.01) < 1e-12
    assert abs(row.se - 0.03 / 3**0.5) < 1e-12
    assert not row.behind  # -0.01 > -0.0173
    lower = [panel.Pair("wine", p.seed, p.glassnet - 0.02, p.sklearn, 1.0, 2.0) for p in pairs]
    (row,) = panel.summarize(lower)
    assert row.behind  # -0.03 < -0.0173, the same SE
    assert "behind" in "\n".join(panel.table_lines([row]))


def test_public_api_benchmark_times_one_problem_with_only():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "public_api.py"), "--quick", "--only",
         "tiny", "--no-cli"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "tiny: fit vs scikit-learn" in proc.stdout
    assert "large" not in proc.stdout.split("targets:")[1]  # no large problem, no KeyError


def test_public_api_benchmark_times_glassnet_train(tmp_path):
    """The ``glassnet train`` contender runs with the CLI's current options (a refused
    option once left the whole benchmark unable to run)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "public_api.py"), "--quick", "--only",
         "tiny"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "tiny: glassnet train vs scikit-learn" in proc.stdout


def test_train_report_benchmark_times_the_sections():
    """benchmarks/train_report.py: glassnet train end to end and per report section."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "train_report.py"), "--quick", "--only",
         "tiny"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for row in ("end to end", "train_model", "gradient_check", "landscape", "png_bytes"):
        assert row in proc.stdout
