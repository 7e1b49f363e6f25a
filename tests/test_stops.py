"""Every way a ``glassnet train`` run ends: each stop signal at each stage of a real run.

Stages are reached by waiting for a marker, never by sleeping: the first output line
(start), a progress line (mid-epoch), and the ``WRITING`` line that tests/_slow_cli.py
prints while a checkpoint or the final model is being flushed.
"""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from glassnet.files.checkpoint import load_checkpoint
from glassnet.files.modelfile import load_model

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="needs POSIX signals and /proc"
)
SLOW_CLI = Path(__file__).parent / "_slow_cli.py"
SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"]
STAGES = {  # stage: (marker on stdout or stderr, epochs, seconds per write)
    "start": ("training on", 100_000, "0"),
    "mid-epoch": ("epoch      2/100000", 100_000, "0"),
    "checkpoint": ("WRITING .m.ckpt.npz.", 100_000, "0.5"),
    "final save": ("WRITING .m.npz.", 2, "0.5"),
}


def _start(out: Path, epochs: int, write_s: str) -> subprocess.Popen:
    cmd = [
        sys.executable, str(SLOW_CLI), "train", "--dataset", "moons", "--n-samples", "2000",
        "--hidden", "16", "--epochs", str(epochs), "--patience", "0", "--progress", "lines",
        "--out", str(out),
    ]  # fmt: skip
    env = {**os.environ, "GLASSNET_TEST_WRITE_S": write_s, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )


def _wait_for(proc: subprocess.Popen, marker: str) -> list[str]:
    watchdog = threading.Timer(60, proc.kill)  # a marker that never comes fails, not hangs
    watchdog.start()
    try:
        return _lines_until(proc, marker)
    finally:
        watchdog.cancel()


def _lines_until(proc: subprocess.Popen, marker: str) -> list[str]:
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if marker in line:
            return seen
    raise AssertionError(f"the run ended before {marker!r}:\n{''.join(seen)}")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".tmp.png")))


@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("name", SIGNALS)
def test_each_signal_at_each_stage_saves_says_where_and_exits_128_plus_n(tmp_path, name, stage):
    signum = getattr(signal, name)
    marker, epochs, write_s = STAGES[stage]
    out = tmp_path / "m.npz"
    proc = _start(out, epochs, write_s)
    seen = _wait_for(proc, marker)
    proc.send_signal(signum)
    rest, _ = proc.communicate(timeout=60)
    text = "".join(seen) + rest
    assert proc.returncode == 128 + signum, text
    assert "Traceback" not in text
    assert "interrupted after" in text or "interrupted by" in text or "came after" in text
    assert name in text, text  # says which signal
    assert _leftovers(tmp_path) == [], text
    checkpoint = tmp_path / "m.ckpt.npz"
    if stage == "final save":  # after the last epoch: every file, then the signal
        assert "came after the last epoch" in text and checkpoint.exists(), text
        assert len(load_model(out).params) == 2
    elif out.exists():
        assert f"to {out}" in text, text  # the one line that says where
        load_model(out)
    if checkpoint.exists():
        assert "--resume" in text
        load_checkpoint(checkpoint, _fingerprint_of(checkpoint))  # complete and readable
    if stage in ("mid-epoch", "checkpoint"):
        assert out.exists() and checkpoint.exists(), text


def _fingerprint_of(checkpoint: Path) -> str:
    import json
    import zipfile

    import numpy as np

    with zipfile.ZipFile(checkpoint) as z, z.open("meta.npy") as f:
        return json.loads(str(np.lib.format.read_array(f)))["fingerprint"]


def test_a_second_signal_cannot_cut_the_emergency_save_short(tmp_path):
    out = tmp_path / "m.npz"
    proc = _start(out, 100_000, "0.5")
    _wait_for(proc, "WRITING .m.ckpt.npz.")
    proc.send_signal(signal.SIGTERM)
    _wait_for(proc, "WRITING .m.npz.")  # the emergency save of the best parameters
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, rest
    saved = "by SIGTERM: saved the last epoch's parameters"  # --patience 0: the last is kept
    assert saved in rest and str(out) in rest
    load_model(out)
    assert _leftovers(tmp_path) == []


def test_temporary_files_of_a_killed_run_are_swept_by_the_next(tmp_path):
    out = tmp_path / "m.npz"
    proc = _start(out, 100_000, "2")
    _wait_for(proc, "WRITING .m.ckpt.npz.")
    proc.kill()  # SIGKILL: the process cannot see it, its temporary file stays
    proc.communicate(timeout=60)
    left = _leftovers(tmp_path)
    assert len(left) == 1 and f".{proc.pid}." in left[0]
    again = _start(out, 1, "0")
    again.communicate(timeout=60)
    assert again.returncode == 0
    assert _leftovers(tmp_path) == []


ENSEMBLE_STAGES = {  # stage: marker; the members' first epoch waits 5 s after "MEMBERS START"
    "before epoch 1 ends": "MEMBERS START",
    "after epoch 3": "MEMBERS EPOCH 3",
}


@pytest.mark.parametrize("stage", list(ENSEMBLE_STAGES))
@pytest.mark.parametrize("name", SIGNALS)
def test_each_signal_stops_an_ensemble_saving_every_member_and_its_record(tmp_path, name, stage):
    """As a single run: the members' kept parameters so far saved with the record and the
    files beside it, one line that says where, exit code 128 + n (NU_FINAL 8, 2, 11)."""
    import json

    signum, out = getattr(signal, name), tmp_path / "e.npz"
    cmd = [
        sys.executable, str(SLOW_CLI), "train", "--dataset", "moons", "--n-samples", "600",
        "--hidden", "8", "--epochs", "100000", "--patience", "0", "--ensemble", "3",
        "--out", str(out),
    ]  # fmt: skip
    env = {**os.environ, "GLASSNET_TEST_WRITE_S": "0", "GLASSNET_TEST_MEMBER_MARKS": "5"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**env, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    seen = _wait_for(proc, ENSEMBLE_STAGES[stage])
    proc.send_signal(signum)
    rest, _ = proc.communicate(timeout=120)
    text = "".join(seen) + rest
    assert proc.returncode == 128 + signum, text
    assert "Traceback" not in text and f"by {name}" in text and f"to {out}" in text, text
    assert "with history.json, loss.png, report.html beside it" in text, text
    assert "--resume cannot continue it" in text and _leftovers(tmp_path) == [], text
    model, history = load_model(out), json.loads((tmp_path / "history.json").read_text())
    run = model.settings["run"]
    assert run["stop_reason"] == "interrupted" and run["signal"] == history["signal"] == name
    assert history["stop_reason"] == ["interrupted"] * 3
    kept = [m["kept_epoch"] for m in run["members"]]
    assert kept == history["kept_epoch"] and model.settings["ensemble"]["members"] == 3
    if stage == "before epoch 1 ends":
        assert kept == [0, 0, 0] and history["epoch"] == [0], text  # the initialization
        assert "before epoch 1 ended: saved each member's initial parameters (epoch 0)" in text
    else:
        assert min(kept) >= 3 and history["epoch"][-1] == max(kept), text  # --patience 0
    for split, scores in history["final"].items():
        assert run["final"][split]["loss"] == scores["loss"]


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("command", [["train"], ["train", "--ensemble", "2"], ["sweep"]])
def test_a_signal_while_the_data_is_read_says_nothing_was_written(tmp_path, name, command):
    out = tmp_path / "run"
    target = str(out / "m.npz") if command[0] == "train" else str(out)
    cmd = [sys.executable, str(SLOW_CLI), *command, "--dataset", "moons", "--n-samples", "200",
           "--hidden", "4", "--epochs", "3", "--out", target]  # fmt: skip
    env = {**os.environ, "GLASSNET_TEST_READ_MARK": "30", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)  # fmt: skip
    _wait_for(proc, "READING DATA")
    proc.send_signal(getattr(signal, name))
    text = proc.communicate(timeout=60)[0]
    assert proc.returncode == 128 + getattr(signal, name)
    assert text.strip().splitlines()[-1] == (
        f"interrupted by {name} before training began; nothing was written"
    ), text
    assert "Traceback" not in text and not out.exists()


# every file a finished run writes, in the order written: (its temporary name's start, name)
RUN_FILES = [(".m.ckpt.npz.", "m.ckpt.npz"), (".m.npz.", "m.npz"),
             (".history.json.", "history.json"), (".loss.png.", "loss.png"),
             (".report.html.", "report.html")]  # fmt: skip
RUN_COMMANDS = {  # how each command is run to its end, and the files it writes
    "train": (["train", "--patience", "0", "--progress", "lines", "--out", "{dir}/m.npz"],
              [n for _, n in RUN_FILES]),
    "train --ensemble 2": (["train", "--ensemble", "2", "--patience", "0", "--out", "{dir}/m.npz"],
                           [n for _, n in RUN_FILES[1:]]),
    "sweep": (["sweep", "--lr", "0.1", "--out", "{dir}"],
              ["results.csv", "best.npz", "history.json", "loss.png", "report.html"]),
}  # fmt: skip


def _written_at(command: str) -> list[str]:
    names = RUN_COMMANDS[command][1]
    return [f".{n}." for n in names]


@pytest.mark.parametrize(
    ("command", "marker"),
    [(c, m) for c in RUN_COMMANDS for m in _written_at(c)],
)
def test_a_signal_as_any_file_is_written_after_the_last_epoch_lets_every_file_be_written(
    tmp_path, command, marker
):
    """After the last epoch the run has completed: a signal while any of its files is being
    written (the final checkpoint, the model, history.json, loss.png, report.html) waits
    until all are written and the summary printed; the record says ``completed`` (no
    signal) in every file; the exit code is the signal's (NU7 13)."""
    import json

    args, names = RUN_COMMANDS[command]
    cmd = [sys.executable, str(SLOW_CLI), *[a.format(dir=tmp_path) for a in args],
           "--dataset", "moons", "--n-samples", "200", "--hidden", "4", "--epochs", "3",
           "--seed", "0"]  # fmt: skip
    env = {**os.environ, "GLASSNET_TEST_WRITE_S": "0.3", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)  # fmt: skip
    seen = _wait_for(proc, "epoch 3/3") if command == "train" else []  # not a checkpoint
    seen += _wait_for(proc, f"WRITING {marker}")  # of the run, as a slow machine writes
    proc.send_signal(signal.SIGTERM)
    text = "".join(seen) + proc.communicate(timeout=120)[0]
    assert proc.returncode == 128 + signal.SIGTERM, text
    assert "Traceback" not in text and _leftovers(tmp_path) == [], text
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names), text
    assert text.strip().splitlines()[-1].startswith("SIGTERM came after the last epoch"), text
    assert "wrote " in text and ("accuracy" in text or "val_loss" in text), text  # summary
    model = load_model(tmp_path / ("best.npz" if command == "sweep" else "m.npz"))
    history = json.loads((tmp_path / "history.json").read_text())
    assert history["stop_reason"] in ("completed", ["completed"] * 2), history
    run = model.settings["run"]
    members = [m["stop_reason"] for m in run.get("members", [run])]  # an ensemble's, each
    assert members in (["completed"], ["completed"] * 2), run
    assert "signal" not in history and "signal" not in model.settings["run"], history


def test_a_signal_after_the_last_epoch_waits_for_the_outcome_in_the_cli_and_raises_in_python(
    monkeypatch,
):
    """``train_model`` hit by SIGINT while it scores the trained run: under the CLI's stop
    signals the outcome comes back (the command writes every file, then exits 130); called
    from Python, KeyboardInterrupt is raised as ever, never swallowed."""
    import numpy as np

    from glassnet.cli import workflow
    from glassnet.cli.stops import received, stop_signals
    from glassnet.data.datasets import make_moons

    real = workflow._finish

    def finish(*args):
        os.kill(os.getpid(), signal.SIGINT)  # held back until the outcome is made
        return real(*args)

    monkeypatch.setattr(workflow, "_finish", finish)
    X, y = make_moons(np.random.default_rng(0), 60, noise=0.2)
    recipe = workflow.Recipe(hidden=(3,), epochs=2, patience=None)
    with pytest.raises(KeyboardInterrupt):
        workflow.train_model(X, y, recipe)
    with stop_signals():
        outcome = workflow.train_model(X, y, recipe)
        assert received()
    assert outcome.result.history.stop_reason == "completed" and outcome.result.history.epochs == 2
    assert not received()  # outside the CLI's handlers
