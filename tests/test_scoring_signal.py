"""A stop signal while a run is scored after its last epoch: training completed, so the
ensemble says so as a single run does (its record ``completed``, the line "came after the
last epoch", the signal's exit code), never "interrupted"; called from Python, Ctrl-C
there raises as ever."""

from __future__ import annotations

import json
import os
import signal

import numpy as np
import pytest

from glassnet.cli import ensemble, workflow
from glassnet.cli.main import main
from glassnet.files.modelfile import load_model

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs POSIX signals")


def _signal_at_call(monkeypatch, module, name, signum, at=1):
    """``module.name`` sends ``signum`` to this process at its ``at``-th call (a real
    signal, through the command's handlers), then runs as ever."""
    real, calls = getattr(module, name), [0]

    def wrapped(*args, **kwargs):
        calls[0] += 1
        if calls[0] == at:
            os.kill(os.getpid(), signum)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)


def _train(tmp_path, capsys, *extra):
    out = tmp_path / "m.npz"
    code = main(["train", "--dataset", "moons", "--n-samples", "120", "--hidden", "4",
                 "--epochs", "3", "--patience", "0", "--progress", "off", "--out", str(out),
                 *extra])  # fmt: skip
    err = capsys.readouterr().err
    return code, out, err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize(("members", "at"), [(2, 1), (3, 2), (2, 3)])
def test_a_signal_as_an_ensemble_is_scored_says_completed_as_a_single_run(
    tmp_path, capsys, monkeypatch, signum, members, at
):
    """``at``: the split being scored (1 train, 2 validation, 3 test) when it comes."""
    name = signal.Signals(signum).name
    _signal_at_call(monkeypatch, ensemble, "spread", signum, at)
    code, out, err = _train(tmp_path, capsys, "--ensemble", str(members), "--test-fraction", "0.2")
    assert code == 128 + signum, err
    assert err.strip().splitlines()[-1].startswith(f"{name} came after the last epoch"), err
    assert "interrupted" not in err, err
    run = load_model(out).settings["run"]
    assert [m["stop_reason"] for m in run["members"]] == ["completed"] * members, run
    assert load_model(out).settings["ensemble"] == {"members": members,
                                                    "seeds": list(range(members))}  # fmt: skip
    history = json.loads((out.parent / "history.json").read_text())
    assert history["stop_reason"] == ["completed"] * members and "signal" not in history


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_single_run_in_the_same_phase_says_the_same(tmp_path, capsys, monkeypatch, signum):
    name = signal.Signals(signum).name
    _signal_at_call(monkeypatch, workflow, "_finish", signum)
    code, out, err = _train(tmp_path, capsys)
    assert code == 128 + signum, err
    assert err.strip().splitlines()[-1].startswith(f"{name} came after the last epoch"), err
    assert load_model(out).settings["run"]["stop_reason"] == "completed"


def test_ctrl_c_as_an_ensemble_is_scored_in_python_raises():
    from glassnet.data.datasets import make_moons

    X, y = make_moons(np.random.default_rng(0), 60, noise=0.2)
    recipe = workflow.Recipe(hidden=(3,), epochs=2, patience=None)
    real = ensemble.spread

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    ensemble.spread = interrupted
    try:
        with pytest.raises(KeyboardInterrupt):
            ensemble.ensemble_model(X, y, recipe, 2)
    finally:
        ensemble.spread = real
    assert ensemble.ensemble_model(X, y, recipe, 2).interrupted == 0
