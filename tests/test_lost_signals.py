"""A stop signal at any moment of ``predict``, ``evaluate`` and ``report`` stops them with the
signal's exit code and says truthfully what was written (NU11 #23).

The signal handler raises :class:`KeyboardInterrupt` at once, but code below may swallow it
(pyarrow imports pandas the first time a column becomes an array, inside a Cython function
that drops any exception; a Ctrl-C there was lost: evaluate and report finished with exit
code 0, predict wrote every row and then blamed the rename). Here a real signal is sent to
this process from code that swallows the exception, at a chosen moment: as the model is
loaded, in the first, a middle or the last block, or after the last; the command must stop
at its next block (or say that it came as the command finished), never run on as if no
signal had come. A last test sends real signals to a ``glassnet`` process at several delays.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
from _interrupts import sigint_at_rename

import glassnet.cli.evaluate_command as evaluate_command
import glassnet.cli.far_rows as far_rows
import glassnet.cli.inspect_commands as inspect_commands
import glassnet.cli.predict_command as predict_command
import glassnet.data.blocks as blocks
import glassnet.files.fileio as fileio
from glassnet.cli.main import main

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs POSIX signals")

ROWS = 400
LOADERS = {"predict": predict_command, "evaluate": evaluate_command, "report": inspect_commands}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lost")
    rng = np.random.default_rng(1)
    X = rng.normal(size=(ROWS, 2))
    table = pd.DataFrame({"x0": X[:, 0].round(4), "x1": X[:, 1].round(4),
                          "label": np.where(X[:, 0] > X[:, 1], "up", "down")})  # fmt: skip
    data = folder / "data.csv"
    table.to_csv(data, index=False)
    model = folder / "m.npz"
    assert main(["train", "--data", str(data), "--target", "label", "--epochs", "2",
                 "--hidden", "3", "--progress", "off", "--out", str(model)]) == 0  # fmt: skip
    return model, data


@pytest.fixture
def small_blocks(monkeypatch):
    """CSV blocks of about 2 KB (some 100 rows), so the table is read in several."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 2048)


def _swallowed(signum):
    """Send ``signum`` to this process from code that swallows what the handler raises."""
    try:
        os.kill(os.getpid(), signum)
        time.sleep(0)  # the handler runs here at the latest
    except KeyboardInterrupt:
        pass


def _lost_at(monkeypatch, command, at, signum):
    """Make a signal come, and its KeyboardInterrupt be lost, ``at`` ``"load"`` (as the
    model is loaded) or at the ``at``-th block; returns the per-block call count."""
    calls = [0]
    if at == "load":
        module = LOADERS[command]
        real_load = module.load_model

        def load(*args, **kwargs):
            model = real_load(*args, **kwargs)
            _swallowed(signum)
            return model

        monkeypatch.setattr(module, "load_model", load)
        return calls
    real = far_rows.check_reach

    def check(*args, **kwargs):
        calls[0] += 1
        if calls[0] == at:
            _swallowed(signum)
        return real(*args, **kwargs)

    monkeypatch.setattr(far_rows, "check_reach", check)
    return calls


def _command(command, model, data, out):
    argv = [command, "--model", str(model), "--data", str(data)]
    if command != "predict":
        argv += ["--target", "label"]
    return main(argv + ["--out", str(out)] if command != "evaluate" else argv)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("at", ["load", 1, 2])
@pytest.mark.parametrize("command", ["predict", "evaluate", "report"])
def test_a_lost_signal_stops_the_command_at_its_next_block(
    trained, tmp_path, capsys, monkeypatch, small_blocks, command, at, signum
):
    model, data = trained
    name = signal.Signals(signum).name
    calls = _lost_at(monkeypatch, command, at, signum)
    out = tmp_path / out_name(command)
    code = _command(command, model, data, out)
    said = capsys.readouterr()
    assert code == 128 + signum, said
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left
    assert said.out == ""  # no scores, no "wrote"
    assert calls[0] == (0 if at == "load" else at)  # stopped at the next block
    if command == "predict":
        match = re.fullmatch(rf"glassnet predict: interrupted by {name} after (\d+) predictions?; "
                             rf"nothing was written: {re.escape(str(out))} was not created\n",
                             said.err)  # fmt: skip
        assert match, said.err
        assert (int(match[1]) == 0) == (at == "load") and int(match[1]) < ROWS
    else:
        assert said.err == f"glassnet {command}: interrupted by {name}\n"


@pytest.mark.parametrize("command", ["predict", "evaluate", "report"])
def test_a_signal_lost_in_the_last_block_stops_it_before_anything_is_given(
    trained, tmp_path, capsys, monkeypatch, small_blocks, command
):
    model, data = trained
    real, counted = far_rows.check_reach, [0]

    def count(*args, **kwargs):
        counted[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(far_rows, "check_reach", count)
    first = tmp_path / "first"
    first.mkdir()
    assert _command(command, model, data, first / out_name(command)) == 0  # every block, counted
    monkeypatch.setattr(far_rows, "check_reach", real)
    assert counted[0] > 1  # the table is read in several blocks
    calls = _lost_at(monkeypatch, command, counted[0], signal.SIGINT)
    out = tmp_path / out_name(command)
    capsys.readouterr()
    code = _command(command, model, data, out)
    said = capsys.readouterr()
    assert code == 130, said
    assert not out.exists() and said.out == ""
    assert calls[0] == counted[0]
    if command == "predict":  # every row was predicted, none written
        assert said.err == (f"glassnet predict: interrupted by SIGINT after {ROWS} predictions; "
                            f"nothing was written: {out} was not created\n")  # fmt: skip
    else:
        assert said.err == f"glassnet {command}: interrupted by SIGINT\n"


def out_name(command):
    return "p.csv" if command == "predict" else "r.html"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_lost_after_the_last_block_says_it_came_as_the_command_finished(
    trained, capsys, monkeypatch, signum
):
    model, data = trained
    real = evaluate_command.warn_filled

    def warn(*args, **kwargs):  # after every block: the scores are about to be printed
        _swallowed(signum)
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluate_command, "warn_filled", warn)
    code = _command("evaluate", model, data, None)
    said = capsys.readouterr()
    assert code == 128 + signum
    assert said.out.startswith(f"samples {ROWS}  accuracy")  # its work was done
    name = signal.Signals(signum).name
    assert said.err == f"glassnet evaluate: {name} came as it finished; its work was done\n"


@pytest.mark.parametrize("existed", [True, False])
def test_a_signal_as_the_report_is_renamed_into_place_lets_it_be_whole(
    trained, tmp_path, capsys, monkeypatch, existed
):
    model, data = trained
    out = tmp_path / "r.html"
    if existed:
        assert _command("report", model, data, out) == 0
        out.write_text(out.read_text() + "<!-- earlier -->")
    sigint_at_rename(monkeypatch)
    capsys.readouterr()
    assert _command("report", model, data, out) == 130
    said = capsys.readouterr()
    assert out.read_text().startswith("<!DOCTYPE html>") and "earlier" not in out.read_text()
    assert said.out.splitlines()[-1] == f"wrote {out}"
    assert (f"note: replaced the earlier {out}" in said.out) == existed
    assert said.err == (f"glassnet report: SIGINT came as {out} was renamed into place: the "
                        "report is whole\n")  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


@pytest.mark.parametrize("existed", [True, False])
def test_a_signal_as_the_report_is_written_leaves_out_as_it_was(
    trained, tmp_path, capsys, monkeypatch, existed
):
    model, data = trained
    out = tmp_path / "r.html"
    if existed:  # an earlier report (report writes over no other kind of file)
        assert _command("report", model, data, out) == 0
        out.write_text(out.read_text() + "<!-- earlier -->")
    earlier = out.read_bytes() if existed else None
    real = fileio.os.fsync

    def fsync(fd):  # as the temporary file is flushed, before the rename
        signal.raise_signal(signal.SIGINT)
        real(fd)

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    capsys.readouterr()
    assert _command("report", model, data, out) == 130
    said = capsys.readouterr()
    kept = "left as it was" if existed else "not created"
    assert said.out == ""
    assert said.err == (f"glassnet report: interrupted by SIGINT; nothing was written: {out} "
                        f"was {kept}\n")  # fmt: skip
    assert (out.read_bytes() if existed else out.exists()) == (earlier if existed else False)
    assert [p.name for p in tmp_path.iterdir()] == (["r.html"] if existed else [])


SLOWED = """
import sys
from glassnet_entry import starting
starting()  # as the console script does, from the first instant
import time
import glassnet.cli.far_rows as far_rows
import glassnet.data.blocks as blocks
blocks.BLOCK_BYTES = 2048  # some 100 rows a block
real = far_rows.check_reach
def slowed(*args, **kwargs):  # each block takes a while, so the run outlasts any delay
    time.sleep(1.0)
    return real(*args, **kwargs)
far_rows.check_reach = slowed
from glassnet.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5])
@pytest.mark.parametrize("command", ["predict", "evaluate", "report"])
def test_ctrl_c_to_a_glassnet_process_at_any_moment_stops_it(trained, tmp_path, command, delay):
    """A real SIGINT (its default action in place in the child, as in a terminal; a shell's
    background job starts with it ignored) after ``delay`` seconds: wherever the process is
    (importing, loading the model, reading the first block, scoring), exit code 130, one
    line, nothing written. Every block sleeps a second, so the run outlasts the delay."""
    model, data = trained
    script = tmp_path / "slowed.py"
    script.write_text(textwrap.dedent(SLOWED))
    out = tmp_path / out_name(command)
    argv = [command, "--model", str(model), "--data", str(data)]
    argv += (["--target", "label"] if command != "predict" else []) + (
        ["--out", str(out)] if command != "evaluate" else [])  # fmt: skip
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    as_in_a_terminal = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    child = subprocess.Popen([sys.executable, str(script), *argv], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
                             preexec_fn=as_in_a_terminal)  # fmt: skip
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    said_out, said_err = child.communicate(timeout=120)
    assert child.returncode == 130, said_err
    assert said_out == ""
    assert len(said_err.splitlines()) == 1 and "interrupted by SIGINT" in said_err, said_err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slowed.py"]
