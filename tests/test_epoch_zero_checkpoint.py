"""``glassnet train --epochs 0`` keeps its checkpoint of epoch 0, as the README promises,
and ``--resume`` with more epochs gives the run of those epochs from the start (NU11 #10d)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model


@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
@pytest.mark.parametrize("data", [["--dataset", "moons", "--n-samples", "60"],
                                  ["--dataset", "circles", "--n-samples", "80"]])  # fmt: skip
def test_epoch_zero_keeps_a_checkpoint_that_resumes(tmp_path, capsys, optimizer, data):
    base = ["train", *data, "--optimizer", optimizer, "--progress", "off"]
    at_0, whole = tmp_path / "a" / "m.npz", tmp_path / "b" / "m.npz"
    assert main([*base, "--epochs", "0", "--out", str(at_0)]) == 0
    assert (tmp_path / "a" / "m.ckpt.npz").is_file()
    assert main([*base, "--epochs", "3", "--out", str(at_0), "--resume"]) == 0
    assert "resuming from epoch 0 (of at most 3)" in capsys.readouterr().out
    assert main([*base, "--epochs", "3", "--out", str(whole)]) == 0
    for a, b in zip(load_model(at_0).params, load_model(whole).params, strict=True):
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])
    resumed, fresh = (json.loads((p.parent / "history.json").read_text()) for p in (at_0, whole))
    for key in ("epoch", "loss", "val_loss", "kept_epoch"):
        assert resumed[key] == fresh[key], key


@pytest.mark.parametrize("epochs", ["0", "3"])
def test_resuming_a_finished_run_with_the_same_epochs_says_nothing_is_trained(
    tmp_path, capsys, epochs
):
    """NU12 #7: the files were rewritten without a word."""
    argv = ["train", "--dataset", "moons", "--n-samples", "60", "--progress", "off",
            "--epochs", epochs, "--out", str(tmp_path / "m.npz")]  # fmt: skip
    assert main(argv) == 0
    capsys.readouterr()
    assert main([*argv, "--resume"]) == 0
    out = capsys.readouterr().out
    trained = "1 epoch" if epochs == "1" else f"{epochs} epochs"
    assert f"the run already trained its {trained}, so nothing more is trained" in out
    assert main([*argv[:-3], "5", "--out", str(tmp_path / "m.npz"), "--resume"]) == 0
    assert "already trained" not in capsys.readouterr().out
