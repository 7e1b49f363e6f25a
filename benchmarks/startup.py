"""Start-up cost: ``import glassnet`` beyond ``import numpy``, and ``glassnet --help``."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import median


def _wall(command: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - t0


def _help_command() -> list[str]:
    script = Path(sys.executable).with_name("glassnet")
    if script.exists():
        return [str(script), "--help"]
    found = shutil.which("glassnet")
    return [found, "--help"] if found else [sys.executable, "-m", "glassnet", "--help"]


def run(repeats: int) -> dict[str, Any]:
    """Median wall seconds of fresh interpreters, interleaved."""
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "import numpy": [sys.executable, "-c", "import numpy"],
        "import numpy, glassnet": [sys.executable, "-c", "import numpy, glassnet"],
        # names load on first use: this is what a script that trains pays
        "... and glassnet.Network": [
            sys.executable,
            "-c",
            "import numpy, glassnet; glassnet.Network",
        ],
        "glassnet --help": _help_command(),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(_wall(command))
    seconds = {name: median(t) for name, t in times.items()}
    return {
        "repeats": repeats,
        "seconds": seconds,
        "import_glassnet_over_numpy_ms": 1e3
        * (seconds["import numpy, glassnet"] - seconds["import numpy"]),
        "first_use_over_numpy_ms": 1e3
        * (seconds["... and glassnet.Network"] - seconds["import numpy"]),
        "help_s": seconds["glassnet --help"],
    }
