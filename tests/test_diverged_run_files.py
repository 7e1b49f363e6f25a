"""A diverged ``glassnet train`` keeps what an interrupted run keeps (NU11 #19): the model
of its last finite parameters, the checkpoint of its last completed epoch (epoch 0 when it
diverged in the first), and ``history.json``, ``loss.png`` and ``report.html`` of the
epochs done; its error (exit code 1) names them. The oracle: the epoch the message says
it diverged in, and what the files themselves hold."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from glassnet.cli import main
from glassnet.files.modelfile import load_model


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    path = tmp_path_factory.mktemp("diverging") / "r.npz"
    np.savez(path, X=X, y=X[:, 0] * 1e3)
    return path


@pytest.mark.parametrize(("lr", "epoch"), [("50", 1), ("2", 2)])
def test_a_diverged_run_writes_its_record_and_checkpoint(tmp_path, capsys, data, lr, epoch):
    out = tmp_path / "run" / "m.npz"
    argv = ["train", "--data", str(data), "--target", "y", "--task", "regression",
            "--optimizer", "sgd", "--lr", lr, "--epochs", "30", "--progress", "off",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err
    said = re.search(r"training diverged in epoch (\d+)", err)
    assert said is not None and int(said.group(1)) == epoch
    assert err.rstrip().endswith(f"saved those parameters to {out}, with history.json, "
                                 "loss.png, report.html beside it")  # fmt: skip
    history = json.loads((out.parent / "history.json").read_text())
    assert history["epoch"] == list(range(epoch)) and history["stop_reason"] == "diverged"
    assert history["model"] == "m.npz" and history["kept_epoch"] == epoch - 1
    run = load_model(out).settings["run"]
    assert (run["epochs"], run["stop_reason"]) == (epoch - 1, "diverged")
    assert set(run["final"]) == {"train", "validation"}  # the kept parameters, scored
    model = load_model(out)
    assert all(np.all(np.isfinite(v)) for p in model.params for v in p.values())
    with np.load(out.with_name("m.ckpt.npz")) as npz:
        meta = json.loads(str(npz["meta"]))
    assert meta["format"] == "glassnet-checkpoint" and meta["epoch"] == epoch - 1
    assert (out.parent / "loss.png").read_bytes().startswith(b"\x89PNG")
    assert "diverged" in (out.parent / "report.html").read_text()
