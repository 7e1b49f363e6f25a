"""The code stays ruff- and mypy-clean (both come with the test extra)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks", "fuzz", "docs"],
        [sys.executable, "-m", "mypy"],
    ],
    ids=["ruff", "mypy"],
)
def test_static_checks(command):
    module = command[2]
    if (
        shutil.which(module) is None
        and subprocess.run(
            [sys.executable, "-c", f"import {module}"], capture_output=True
        ).returncode
    ):
        pytest.skip(f"{module} is not installed")
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
