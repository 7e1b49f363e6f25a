"""A stop signal at any point of an epoch's bookkeeping leaves every record whole.

The signal is raised (``signal.raise_signal``) from inside the code that updates a run's
per-epoch records: midway through the diagnostics' ``add``, between the diagnostics and the
snapshot, inside the loop's ``advance`` (history, best epoch), as a checkpoint is taken, as
the epoch is scored, and during a step; and before the first epoch ends (as epoch 0 is
observed or scored: the report of epoch 0 is written too). Each time the run must stop with
the signal's exit code and every view (history.json, the model's run record, the
checkpoint, report.html) must agree.
"""

from __future__ import annotations

import json
import signal

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.checkpoint import load_checkpoint
from glassnet.files.modelfile import load_model
from glassnet.train import epochs as loop_epochs
from glassnet.views.diagnostics import DiagnosticsRecord

pytestmark = pytest.mark.skipif(not hasattr(signal, "raise_signal"), reason="needs signals")


def _signal_at(calls: list[int], at: int, signum: int = signal.SIGINT) -> None:
    calls[0] += 1
    if calls[0] == at:
        signal.raise_signal(signum)


def _torn_add(calls, at, signum):
    def add(self, grads, hidden, loss):  # the original's three appends, a signal between
        self.loss.append(float(loss))
        _signal_at(calls, at, signum)
        from glassnet.views.diagnostics import gradient_norms, unit_health

        self.grad_norms.append(gradient_norms(grads))
        self.health.append(
            [unit_health(A, act) for A, act in zip(hidden, self.activations, strict=True)]
        )

    return add


def _wrapped(original, calls, at, signum, before=True):
    def wrapper(*args, **kwargs):
        if before:
            _signal_at(calls, at, signum)
        out = original(*args, **kwargs)
        if not before:
            _signal_at(calls, at, signum)
        return out

    return wrapper


def _patch(monkeypatch, point: str, at: int, signum: int) -> None:
    calls = [0]
    if point == "diagnostics add, midway":
        monkeypatch.setattr(DiagnosticsRecord, "add", _torn_add(calls, at, signum))
    elif point == "after diagnostics, before the snapshot":
        add = DiagnosticsRecord.add
        monkeypatch.setattr(DiagnosticsRecord, "add", _wrapped(add, calls, at, signum, False))
    elif point == "advance, after the callbacks":
        monkeypatch.setattr(loop_epochs, "judge", _wrapped(loop_epochs.judge, calls, at, signum))
    elif point == "checkpoint":
        from glassnet.files.checkpoint import Checkpoints

        taken = _wrapped(Checkpoints.__call__, calls, at, signum)
        monkeypatch.setattr(Checkpoints, "__call__", taken)
    elif point == "scoring the epoch":
        record = loop_epochs.epoch_record
        monkeypatch.setattr(loop_epochs, "epoch_record", _wrapped(record, calls, at, signum))
    elif point == "the probe of epoch 0":
        from glassnet.cli import workflow

        monkeypatch.setattr(workflow, "probe", _wrapped(workflow.probe, calls, at, signum))
    elif point == "scoring epoch 0":
        initial = loop_epochs.initial_epoch
        monkeypatch.setattr(loop_epochs, "initial_epoch", _wrapped(initial, calls, at, signum))
    elif point == "a step":
        from glassnet.core import fast

        monkeypatch.setattr(fast, "step", _wrapped(fast.step, calls, at, signum, False))


POINTS = [
    "diagnostics add, midway",
    "after diagnostics, before the snapshot",
    "advance, after the callbacks",
    "checkpoint",
    "scoring the epoch",
    "a step",
]
EPOCH_0 = ["the probe of epoch 0", "scoring epoch 0"]  # before the first epoch ended


@pytest.mark.parametrize(
    ("point", "at", "signame"),
    [(p, 3, "SIGINT") for p in POINTS] + [(p, 5, "SIGTERM") for p in POINTS]
    + [(p, 1, "SIGINT") for p in [*POINTS, *EPOCH_0]],
)  # fmt: skip
def test_a_signal_anywhere_in_an_epoch_leaves_every_record_whole(
    tmp_path, monkeypatch, capsys, point, at, signame
):
    signum = getattr(signal, signame)
    _patch(monkeypatch, point, at, signum)
    out = tmp_path / "m.npz"
    argv = [
        "train", "--dataset", "moons", "--n-samples", "200", "--hidden", "8", "--epochs", "50",
        "--batch-size", "50", "--patience", "0", "--progress", "off", "--out", str(out),
    ]  # fmt: skip
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 128 + signum, err
    assert "error" not in err, err
    run = load_model(out).settings["run"]
    assert run["stop_reason"] == "interrupted" and run["signal"] == signame
    done = run["epochs"]
    assert 0 <= done < 50
    history = json.loads((tmp_path / "history.json").read_text())
    assert history["epoch"][-1] == done and len(history["loss"]) == len(history["epoch"])
    report = (tmp_path / "report.html").read_text()
    assert "interrupted" in report.lower()
    fingerprint = _fingerprint_of(tmp_path / "m.ckpt.npz")
    assert load_checkpoint(tmp_path / "m.ckpt.npz", fingerprint).epoch == done


def _fingerprint_of(checkpoint):
    import zipfile

    with zipfile.ZipFile(checkpoint) as z, z.open("meta.npy") as f:
        return json.loads(str(np.lib.format.read_array(f)))["fingerprint"]
