"""Epoch 0 is the initialization: a run that keeps epoch 0 records the same parameters on
the same rows twice, in history.json's epoch-0 losses and in ``final``. Both are scored in
the same blocks (not the training minibatches), so they are equal to the last bit at every
batch size."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from glassnet.cli.main import main


@pytest.mark.parametrize("batch_size", [1, 7, 32, 1000])
def test_epoch_0_and_final_agree_to_the_last_bit(tmp_path, capsys, batch_size):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 6))
    frame = pd.DataFrame(X, columns=list("abcdef"))
    frame["t"] = np.where(X[:, 0] + X[:, 1] * X[:, 2] > 0, "p", "n")
    frame.to_csv(tmp_path / "d.csv", index=False)
    out = tmp_path / "run" / "model.npz"
    argv = ["train", "--data", str(tmp_path / "d.csv"), "--target", "t", "--epochs", "0",
            "--batch-size", str(batch_size), "--hidden", "64", "--progress", "off",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    capsys.readouterr()
    h = json.loads((out.parent / "history.json").read_text())
    assert h["kept_epoch"] == 0
    assert h["loss"][0] == h["final"]["train"]["loss"]
    assert h["val_loss"][0] == h["final"]["validation"]["loss"]
    assert h["val_accuracy"][0] == h["final"]["validation"]["accuracy"]
