"""Interrupted training: checkpoints, Ctrl-C, and resuming to the same result."""

import os
import signal
import subprocess
import sys

import numpy as np
import pytest
from _interrupt import interrupt_at

from glassnet.core.network import Network
from glassnet.core.optimizers import Adam, Momentum
from glassnet.core.schedules import ReduceOnPlateau
from glassnet.data.datasets import make_moons
from glassnet.files.checkpoint import (
    CheckpointError,
    Checkpoints,
    load_checkpoint,
    save_checkpoint,
)
from glassnet.files.modelfile import load_model
from glassnet.train.loop import TrainConfig, TrainingInterrupted, fit


def _problem():
    X, t = make_moons(np.random.default_rng(0), 150, noise=0.2)
    net = Network.mlp([2, 8, 2], "tanh", reduction="mean")
    return X, t, net, net.init(np.random.default_rng(1))


@pytest.mark.parametrize("optimizer", [Adam(0.01), Momentum(0.05, 0.9)])
def test_resume_from_a_checkpoint_gives_the_uninterrupted_result(tmp_path, optimizer):
    X, t, net, params = _problem()
    cfg = TrainConfig(
        epochs=8,
        batch_size=16,
        optimizer=optimizer,
        schedule=ReduceOnPlateau(patience=1),
        patience=50,
    )
    kw = {"train_rows": np.arange(120), "val_rows": np.arange(120, 150)}
    full = fit(net, params, X, t, cfg, **kw)

    path = tmp_path / "run.ckpt.npz"

    with pytest.raises(TrainingInterrupted) as stop:
        fit(
            net,
            params,
            X,
            t,
            cfg,
            callbacks=[interrupt_at(3)],
            on_epoch_end=lambda loop: save_checkpoint(path, loop, "key"),
            **kw,
        )
    # The result holds the best epoch so far; the checkpoint is the end of epoch 2.
    assert stop.value.result.history.best_epoch <= 3
    state = load_checkpoint(path, "key")
    assert state.epoch == 2 and len(state.history.records) == 2
    resumed = fit(net, params, X, t, cfg, resume=state, **kw)
    for a, b in zip(resumed.params, full.params, strict=True):
        np.testing.assert_array_equal(a["W"], b["W"])
        np.testing.assert_array_equal(a["b"], b["b"])
    assert resumed.history.column("val_loss") == full.history.column("val_loss")


def _one_epoch_checkpoint(tmp_path, key):
    """A checkpoint written after one epoch of the moons problem, for the run ``key``."""
    X, t, net, params = _problem()
    path = tmp_path / "c.npz"
    fit(
        net,
        params,
        X,
        t,
        TrainConfig(epochs=1),
        on_epoch_end=lambda loop: save_checkpoint(path, loop, key),
    )
    return path


def test_checkpoint_must_match_its_run(tmp_path):
    path = _one_epoch_checkpoint(tmp_path, "mine")
    with pytest.raises(CheckpointError, match="belongs to a run with other settings"):
        load_checkpoint(path, "other")
    with pytest.raises(CheckpointError, match="no checkpoint to resume from"):
        load_checkpoint(tmp_path / "none.npz", "mine")
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        load_checkpoint(tmp_path / "junk.npz", "mine")


def _train_cmd(out, *extra):
    return [
        sys.executable,
        "-m",
        "glassnet",
        "train",
        "--dataset",
        "moons",
        "--n-samples",
        "2000",
        "--epochs",
        "60",
        "--batch-size",
        "8",
        "--patience",
        "0",
        "--hidden",
        "16",
        "--progress",
        "lines",
        "--out",
        str(out),
        *extra,
    ]


@pytest.mark.skipif(os.name != "posix", reason="needs SIGINT")
def test_ctrl_c_saves_the_best_so_far_and_resume_finishes_the_same(tmp_path):
    reference = tmp_path / "ref" / "m.npz"
    subprocess.run(_train_cmd(reference), check=True, capture_output=True)

    out = tmp_path / "run" / "m.npz"
    proc = subprocess.Popen(
        _train_cmd(out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    checkpoint = out.with_name("m.ckpt.npz")
    seen = []
    for line in proc.stderr:  # progress lines: interrupt once epoch 3 has ended
        seen.append(line)
        if "epoch  3/60" in line:
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    err = "".join(seen) + err
    assert checkpoint.exists()  # written when the run stopped (the last completed epoch)
    assert proc.returncode == 130, err
    assert "interrupted after" in err and "Traceback" not in err and str(out) in err
    load_model(out)  # the best parameters so far, complete and valid

    resumed = subprocess.run(_train_cmd(out, "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert checkpoint.exists()  # kept: --resume with more --epochs continues it
    a, b = load_model(out), load_model(reference)
    for pa, pb in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(pa["W"], pb["W"])


def test_a_damaged_checkpoint_is_one_error(tmp_path):
    import json

    path = _one_epoch_checkpoint(tmp_path, "k")
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    meta = json.loads(str(arrays["meta"]))
    for broken in (
        {**meta, "history": {"loss": [1]}},
        {"format": "glassnet-checkpoint", "fingerprint": "k"},
        [1, 2],
    ):
        np.savez(path, **{**arrays, "meta": np.array(json.dumps(broken))})
        with pytest.raises(CheckpointError, match="damaged checkpoint|not a glassnet"):
            load_checkpoint(path, "k")


def test_a_lying_checkpoint_is_refused_before_its_data_is_read(tmp_path):
    """Checkpoints are read like model files (glassnet.files.safenpz): shapes from the run."""
    import zipfile

    from _hostile import bomb, npy, zipped

    path = _one_epoch_checkpoint(tmp_path, "k")
    with zipfile.ZipFile(path) as z:
        members = {n.removesuffix(".npy"): z.read(n) for n in z.namelist()}
    _, _, _, params = _problem()
    assert load_checkpoint(path, "k", params).epoch == 1
    cases = {
        "huge header": ({**members, "best.0.W": npy("<f8", (10**9, 8))}, "shape"),
        "unknown member": ({**members, "extra": npy("<f8", (2,), bytes(16))}, "unknown member"),
        "object dtype": ({**members, "params.1.b": npy("|O", (1, 2))}, "only plain arrays"),
        "other network": ({**members, "params.0.W": npy("<f8", (3, 8), bytes(192))}, "shape"),
    }
    for content, message in cases.values():
        path.write_bytes(zipped(content))
        with pytest.raises(CheckpointError, match=message):
            load_checkpoint(path, "k", params)
    path.write_bytes(bomb(members, 2**24, "params.0.W"))
    with pytest.raises(CheckpointError, match="compressed"):
        load_checkpoint(path, "k")


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_checkpoints_are_written_on_an_interval_and_flushed_at_the_end(tmp_path, monkeypatch):
    """A run of many short epochs writes a checkpoint only every ``every_s`` seconds, and
    ``flush`` writes the last epoch's state (once): resuming from it ends the run."""
    from glassnet.files import checkpoint as module

    X, t, net, params = _problem()
    cfg = TrainConfig(epochs=9, batch_size=50, optimizer=Momentum(0.05, 0.9))
    full = fit(net, params, X, t, cfg)
    written = []
    real_save = module.save_checkpoint

    def save(path, loop, *args):
        written.append(loop.epoch)
        return real_save(path, loop, *args)

    monkeypatch.setattr(module, "save_checkpoint", save)
    clock = _Clock()
    path = tmp_path / "run.ckpt.npz"
    checkpoints = module.Checkpoints(path, "key", every_s=2.5, clock=clock)

    def tick(loop):
        clock.now += 0.75  # seconds per epoch
        checkpoints(loop)

    fit(net, params, X, t, cfg, on_epoch_end=tick)
    assert written == [4, 8]  # at 3 s and 6 s (the first 2.5 s after the one at 3 s)
    checkpoints.flush()
    checkpoints.flush()  # the same state again: not rewritten
    assert written == [4, 8, 9]
    state = load_checkpoint(path, "key")
    assert state.epoch == 9
    _same_params(state.params, full.params)


def test_an_interrupted_run_flushes_its_last_epoch_and_resumes_to_the_same_result(tmp_path):
    X, t, net, params = _problem()
    cfg = TrainConfig(epochs=7, batch_size=32, optimizer=Adam(0.01), seed=3)
    full = fit(net, params, X, t, cfg)
    path = tmp_path / "run.ckpt.npz"
    checkpoints = Checkpoints(path, "key", every_s=3600.0)  # never on the interval here

    with pytest.raises(TrainingInterrupted):
        fit(net, params, X, t, cfg, callbacks=[interrupt_at(5)], on_epoch_end=checkpoints)
    assert not path.exists()
    checkpoints.flush()  # as glassnet train does when a run stops
    state = load_checkpoint(path, "key")
    assert state.epoch == 4  # epoch 5 never ended
    resumed = fit(net, params, X, t, cfg, resume=state)
    _same_params(resumed.params, full.params)


def _same_params(a, b):
    for pa, pb in zip(a, b, strict=True):
        for k in ("W", "b"):
            np.testing.assert_array_equal(pa[k], pb[k])
