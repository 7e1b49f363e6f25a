"""A Ctrl-C at any moment of ``glassnet``'s start (as Python imports the command line, as
it reads its arguments) is one line on stderr and exit code 130, never a traceback."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glassnet.cli import main as entry

cli_main = importlib.import_module("glassnet.cli.main")  # the module (its name is the function's)

SCRIPT = """
import sys

class Interrupting:  # Ctrl-C arrives as Python imports {module!r}
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupting())
from glassnet.cli import main  # what the console script runs
sys.exit(main(["train", "--dataset", "moons", "--epochs", "1", "--out", {out!r}]))
"""


def _src_env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.mark.parametrize(
    "module", ["numpy", "glassnet.cli.parsers", "glassnet.cli.checks", "glassnet.cli.pipe"]
)
def test_ctrl_c_while_the_command_line_is_imported_is_one_line_and_130(tmp_path, module):
    out = str(tmp_path / "m.npz")
    code = SCRIPT.format(module=module, out=out)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=_src_env(), timeout=120)  # fmt: skip
    assert run.returncode == 130, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "glassnet: interrupted by SIGINT as it started; nothing was done"
    ]
    assert not Path(out).exists()


def test_ctrl_c_as_the_arguments_are_read_is_one_line_and_130(monkeypatch, capsys, tmp_path):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main, "parse", interrupted)
    assert entry(["train", "--dataset", "moons", "--out", str(tmp_path / "m.npz")]) == 130
    err = capsys.readouterr().err
    assert err == "glassnet: interrupted by SIGINT as it started; nothing was done\n"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs POSIX signals")
@pytest.mark.parametrize("delay", [0.15, 0.3, 0.5, 0.8])
def test_a_real_ctrl_c_early_in_a_run_never_prints_a_traceback(tmp_path, delay):
    code = "import sys; from glassnet_entry import main; sys.exit(main())"  # the console script
    argv = ["train", "--dataset", "moons", "--epochs", "100000", "--progress", "off",
            "--out", str(tmp_path / "m.npz")]  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", code, *argv], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, env=_src_env())  # fmt: skip
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    # Python's own handler may not be in place yet in the first instants: then SIGINT's default
    assert proc.returncode in (130, -signal.SIGINT), err
    assert len(err.strip().splitlines()) <= 1, err
