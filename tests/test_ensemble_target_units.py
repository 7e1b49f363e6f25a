"""A regression ensemble's record is in the same units as a single run's (NU14 #4): member
0 (the ``--seed S`` run exactly) has the single run's epoch 0, validation curve, final
scores and ``loss_unit``, for one target and for two targets of very different scales; the
saved ensemble's final loss, ``evaluate``'s and the report's are the half squared error of
its predictions in the targets' units, computed here by hand from ``predict``."""

import json

import numpy as np
import pandas as pd
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model
from glassnet.train.progress import loss_text

FEATURES = ["a", "b", "c"]
UNIT = "half squared error (target units²)"


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    rng = np.random.default_rng(3)
    n = 160
    X = rng.normal(size=(n, 3))
    frame = pd.DataFrame(X, columns=FEATURES)
    frame["price"] = 2e5 * (X[:, 0] + 0.4 * X[:, 1] ** 2) + 1e4 * rng.normal(size=n)
    frame["tax"] = 40.0 * (X[:, 2] - X[:, 0]) + 5.0 * rng.normal(size=n)
    frame["small"] = 1e-3 * X[:, 1] + 1e-4 * rng.normal(size=n)
    folder = tmp_path_factory.mktemp("units")
    frame.iloc[:120].to_csv(folder / "train.csv", index=False)
    frame.iloc[120:].to_csv(folder / "test.csv", index=False)
    return folder


def _train(folder, data, targets, *extra):
    folder.mkdir()
    argv = ["train", "--data", str(data), "--target", targets, "--features", ",".join(FEATURES),
            "--hidden", "6", "--progress", "off", "--out", str(folder / "model.npz"), *extra]
    assert main(argv) == 0
    history = json.loads((folder / "history.json").read_text())
    return load_model(folder / "model.npz"), history, (folder / "report.html").read_text()


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-12, atol=0)


VARIANTS = [
    ("price", ["--epochs", "7", "--patience", "3"]),
    ("price,tax", ["--epochs", "7", "--patience", "3"]),
    ("price,tax,small", ["--epochs", "5", "--patience", "0", "--test-fraction", "0.2"]),
    ("tax,price", ["--epochs", "6", "--weight-decay", "0.01", "--batch-size", "16"]),
]


@pytest.mark.parametrize(("targets", "extra"), VARIANTS)
def test_member_0s_record_is_the_single_runs(tables, tmp_path, capsys, targets, extra):
    data = tables / "train.csv"
    single, alone, _ = _train(tmp_path / "single", data, targets, *extra)
    ensemble, record, _ = _train(tmp_path / "ens", data, targets, "--ensemble", "2", *extra)
    capsys.readouterr()
    assert record["loss_unit"] == alone["loss_unit"]
    assert UNIT in record["loss_unit"]
    member = ensemble.settings["run"]["members"][0]
    for split, scores in single.settings["run"]["final"].items():
        _close(member["final"][split]["loss"], scores["loss"])
    assert record["epoch"] == alone["epoch"]
    _close([row[0] for row in record["val_loss"]], alone["val_loss"])  # in the targets' units
    _close(record["loss"][0][0], alone["loss"][0])  # epoch 0 (with the penalty, if any)
    if "," in targets:  # columns of different scales: compared as trained, shown in units
        assert record["best_epoch_of"] == alone["best_epoch_of"] == "monitored_loss"
        _close([row[0] for row in record["monitored_loss"]], alone["monitored_loss"])
        assert record["lowest_val_loss_epoch"][0] == alone["lowest_val_loss_epoch"]
    assert record["best_epoch"][0] == alone["best_epoch"]
    assert record["kept_epoch"][0] == alone["kept_epoch"]


def _half_squared_error(P, Y):
    return 0.5 * np.mean((np.reshape(P, Y.shape) - Y) ** 2)


@pytest.mark.parametrize("targets", ["price", "price,tax", "tax,small,price"])
def test_the_ensembles_losses_are_its_predictions_in_the_targets_units(
    tables, tmp_path, capsys, targets
):
    names = targets.split(",")
    data = pd.read_csv(tables / "train.csv")
    model, record, page = _train(tmp_path / "ens", tables / "train.csv", targets, "--ensemble",
                                 "3", "--epochs", "4", "--val-fraction", "0")  # every row trains
    capsys.readouterr()
    X, Y = data[FEATURES].to_numpy(), data[names].to_numpy()
    final = record["final"]["train"]
    assert final["loss"] == pytest.approx(_half_squared_error(model.predict(X), Y), rel=1e-10)
    for k in range(3):
        mine = _half_squared_error(model.member(k).predict(X), Y)
        assert final["member_loss"][k] == pytest.approx(mine, rel=1e-10)
    assert record["loss_unit"].endswith(UNIT)
    assert f"Losses: {UNIT}." in page

    test = pd.read_csv(tables / "test.csv")
    by_hand = _half_squared_error(model.predict(test[FEATURES].to_numpy()),
                                  test[names].to_numpy())
    argv = ["evaluate", "--model", str(tmp_path / "ens" / "model.npz"), "--data",
            str(tables / "test.csv"), "--target", targets]
    assert main(argv) == 0
    line = next(li for li in capsys.readouterr().out.splitlines() if "ensemble loss" in li)
    assert f"ensemble loss {loss_text(by_hand)};" in line
    assert line.endswith("(half squared error, in the targets' units squared)")
    assert "standardized" not in line
