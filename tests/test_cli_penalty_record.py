"""A ``glassnet train --weight-decay`` model file keeps the record's ``loss_penalty`` as its
``history.json`` does (so ``from_model`` and ``glassnet report`` of the file alone say
which losses carry the penalty), and the console's epoch-0 line says it carries it; a run
without weight decay says nothing of a penalty anywhere."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import glassnet
from glassnet.cli.main import main
from glassnet.sklearn.estimators import MLPClassifier


def _train(tmp_path, *extra):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    rows = ["a,b,c,target"] + [f"{a},{b},{c},{int(a > b)}" for a, b, c in X]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "run" / "model.npz"
    assert main(["train", "--data", str(tmp_path / "d.csv"), "--target", "target", "--epochs",
                 "3", "--hidden", "4", "--progress", "off", "--out", str(out), *extra]) == 0
    return out, json.loads((out.parent / "history.json").read_text())


@pytest.mark.parametrize("extra", [("--weight-decay", "0.1"),
                                   ("--weight-decay", "0.01", "--val-fraction", "0")])
def test_the_model_file_keeps_the_penalty_note(tmp_path, capsys, extra):
    out, saved = _train(tmp_path, *extra)
    said = capsys.readouterr().out
    assert "(the initial parameters, with the L2 penalty)" in said
    stored = glassnet.load(out).settings["history"]
    assert stored["loss_penalty"] == saved["loss_penalty"] and "L2 penalty" in saved["loss_penalty"]
    assert stored["loss"] == saved["loss"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # recipe settings without an argument
        est = MLPClassifier.from_model(glassnet.load(out))
    assert est.history_.loss_penalty == saved["loss_penalty"]


def test_without_weight_decay_no_penalty_is_named(tmp_path, capsys):
    out, saved = _train(tmp_path)
    assert "penalty" not in capsys.readouterr().out
    assert "loss_penalty" not in saved
    assert "loss_penalty" not in glassnet.load(out).settings["history"]
