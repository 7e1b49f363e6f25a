"""Every stop signal as ``glassnet`` starts (as Python imports the command line, as it reads
its arguments), by the console script or ``python -m glassnet``: one line on stderr and
exit code 128 + the signal's number (README, "Every ending"; docs/guide/cli.md, "Exit
codes"), never a traceback and never a silent end. The signal is sent by the process
itself as a chosen module is imported (a real signal, through the real handlers)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs POSIX signals")

SCRIPT = """
import os, signal, sys

class Signalling:  # the signal arrives as Python imports {module!r}
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            os.kill(os.getpid(), signal.{signal})
        return None

sys.meta_path.insert(0, Signalling())
sys.argv = ["glassnet", "train", "--dataset", "moons", "--epochs", "1", "--out", {out!r}]
{entry}
"""
CONSOLE_SCRIPT = "from glassnet_entry import main; sys.exit(main())"
DASH_M = "import runpy; runpy.run_module('glassnet', run_name='__main__', alter_sys=True)"


def _src_env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _run(tmp_path, module, name, entry):
    out = tmp_path / "m.npz"
    code = SCRIPT.format(module=module, signal=name, out=str(out), entry=entry)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=_src_env(), timeout=120)  # fmt: skip
    return run, out


@pytest.mark.parametrize("entry", [CONSOLE_SCRIPT, DASH_M], ids=["console-script", "dash-m"])
@pytest.mark.parametrize(
    ("name", "code"), [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129), ("SIGQUIT", 131)]
)
@pytest.mark.parametrize("module", ["glassnet.cli", "numpy", "glassnet.cli.pipe"])
def test_a_stop_signal_as_it_starts_is_one_line_and_its_exit_code(
    tmp_path, entry, name, code, module
):
    run, out = _run(tmp_path, module, name, entry)
    assert run.returncode == code, run.stderr
    assert run.stderr.strip().splitlines() == [
        f"glassnet: interrupted by {name} as it started; nothing was done"
    ]
    assert not out.exists()


@pytest.mark.parametrize("entry", [CONSOLE_SCRIPT, DASH_M], ids=["console-script", "dash-m"])
def test_a_signal_during_the_run_is_the_commands_own(tmp_path, entry):
    """Once the command's handling is in place the start-up handler gives way: a SIGTERM
    as the training code is imported (inside the command) says the command's line, 143."""
    run, out = _run(tmp_path, "glassnet.cli.workflow", "SIGTERM", entry)
    assert run.returncode == 143, run.stderr
    assert "as it started" not in run.stderr and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("glassnet train: "), run.stderr


def test_the_start_up_handler_gives_way_to_the_default_after_the_command():
    """``stop_signals`` puts back Python's defaults, not the start-up handler (whose line
    says nothing was done), once the command's work is over."""
    import glassnet_entry
    from glassnet.cli.stops import stop_signals

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        glassnet_entry.starting()
        with stop_signals():
            pass
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
