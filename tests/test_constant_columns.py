"""A column with one value in every training row (NU11 #21): ``glassnet train`` names it and
the option that leaves it out; the model file keeps the value; ``predict``, ``evaluate``,
``report`` and :meth:`glassnet.Model.predict` count, once, the cells of new rows that differ
from it (their weights never trained). Oracles: NumPy's own comparisons and pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import glassnet.data.blocks as blocks
import glassnet.data.constant_columns as constant_columns
from glassnet.cli.main import main
from glassnet.data.constant_columns import ConstantColumnWarning, constant_features, off_counts
from glassnet.files.modelfile import load_model, save_model

ROWS = 300
OFF = "differ from the one value their column held in every training row"


@pytest.mark.parametrize("block", [1, 7, 65536])
def test_constant_features_are_the_columns_of_one_value_in_the_rows_given(monkeypatch, block):
    monkeypatch.setattr(constant_columns, "BLOCK", block)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    X[:, 1] = 2.5
    X[:, 3] = 0.0
    X[30:, 4] = 7.0  # one value in the rows 30.. only
    assert constant_features(X) == {1: 2.5, 3: 0.0}
    rows = np.arange(30, 40)[::-1]
    assert constant_features(X, rows) == {1: 2.5, 3: 0.0, 4: 7.0}
    assert constant_features(X[:1]) == {}  # one row: every column has one value, nothing said


def test_off_counts_count_the_cells_that_differ_per_column():
    X = np.array([[5.0, 1.0, 0.0], [5.0, 2.0, 1.0], [6.0, 3.0, 1.0], [-5.0, 4.0, 0.0]])
    constants = {0: 5.0, 2: 0.0}
    assert off_counts(X, constants, ("a", "b", "c")) == {"a": 2, "c": 2}
    assert off_counts(X, constants, ()) == {"x0": 2, "x2": 2}
    assert off_counts(X[:2, :], {0: 5.0}, ("a", "b", "c")) == {}


def _table(rng, n, const=5.0, colour="red"):
    X = rng.normal(size=(n, 2))
    return pd.DataFrame({"id": np.arange(n), "x0": X[:, 0].round(4), "x1": X[:, 1].round(4),
                         "const": const, "colour": colour,
                         "label": np.where(X[:, 0] > X[:, 1], "up", "down")})  # fmt: skip


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("const")
    data = folder / "train.csv"
    _table(np.random.default_rng(1), ROWS).to_csv(data, index=False)
    model = folder / "m.npz"
    assert main(["train", "--data", str(data), "--target", "label", "--drop", "id",
                 "--epochs", "2", "--hidden", "3", "--progress", "off", "--out", str(model)]) == 0
    return model, folder  # fmt: skip


def _train(tmp_path, capsys, table, *extra):
    data = tmp_path / "t.csv"
    table.to_csv(data, index=False)
    capsys.readouterr()
    code = main(["train", "--data", str(data), "--target", "label", "--epochs", "1",
                 "--hidden", "2", "--progress", "off", "--out", str(tmp_path / "m.npz"), *extra])
    assert code == 0  # fmt: skip
    return [line for line in capsys.readouterr().err.splitlines() if "training row" in line]


def test_train_names_one_constant_column_and_the_option_that_leaves_it_out(tmp_path, capsys):
    table = _table(np.random.default_rng(2), 80).drop(columns=["colour"])
    said = _train(tmp_path, capsys, table, "--drop", "id")
    assert said == ["warning: column 'const' holds one value (5) in every training row: nothing "
                    "to learn from, and its weights never train, so another value there at "
                    "prediction goes through weights as initialized; leave it out with "
                    "--drop id,const"]  # fmt: skip
    assert load_model(tmp_path / "m.npz").constants == {2: 5.0}  # x0, x1, const


def test_train_names_several_constant_columns_a_text_one_too(tmp_path, capsys):
    table = _table(np.random.default_rng(3), 80, const=-0.25)
    said = _train(tmp_path, capsys, table, "--drop", "id")
    assert len(said) == 1
    assert said[0].startswith("warning: columns 'const', 'colour' hold one value each in every "
                              "training row")  # fmt: skip
    assert said[0].endswith("leave them out with --drop id,const,colour")
    assert load_model(tmp_path / "m.npz").constants == {2: -0.25, 3: 1.0}  # colour=red: 1


def test_train_says_nothing_of_columns_that_vary(tmp_path, capsys):
    table = _table(np.random.default_rng(4), 80).drop(columns=["const", "colour"])
    assert _train(tmp_path, capsys, table, "--drop", "id") == []
    assert load_model(tmp_path / "m.npz").constants == {}


def test_a_column_with_one_other_value_is_not_named(tmp_path, capsys):
    table = _table(np.random.default_rng(5), 100).drop(columns=["colour"])
    table.loc[table.index[-1], "const"] = 9.0  # every training row (--val-fraction 0)
    assert _train(tmp_path, capsys, table, "--drop", "id", "--val-fraction", "0") == []
    assert load_model(tmp_path / "m.npz").constants == {}


@pytest.mark.parametrize("command", ["predict", "evaluate", "report"])
@pytest.mark.parametrize("value", [5.0, 7.0, 500.0])
def test_the_commands_count_cells_off_the_training_value_once(
    trained, tmp_path, capsys, monkeypatch, command, value
):
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 2048)  # several blocks: one line still
    model, _ = trained
    new = _table(np.random.default_rng(6), 200)
    new.loc[new.index[::3], "const"] = value
    data = tmp_path / "new.csv"
    new.to_csv(data, index=False)
    argv = [command, "--model", str(model), "--data", str(data)]
    argv += ["--target", "label"] if command != "predict" else []
    argv += ["--out", str(tmp_path / ("p.csv" if command == "predict" else "r.html"))] * (
        command != "evaluate")  # fmt: skip
    capsys.readouterr()
    assert main(argv) == 0
    said = [line for line in capsys.readouterr().err.splitlines() if OFF in line]
    off = int((new["const"] != 5.0).sum())  # pandas' count, the oracle
    if value == 5.0:
        assert off == 0 and said == []
    else:
        assert said == [f"warning: {off} cells {OFF}, so they go through weights that never "
                        f"trained (const {off})"]  # fmt: skip


@pytest.mark.parametrize("value", [5.0, 5.5])
def test_model_predict_warns_once_counting_the_cells(trained, value):
    model = load_model(trained[0])
    new = _table(np.random.default_rng(7), 50).drop(columns=["id", "label"])
    new.loc[new.index[:7], "const"] = value
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.predict(new)
    said = [str(w.message) for w in caught if w.category is ConstantColumnWarning]
    assert said == ([] if value == 5.0 else
                    [f"7 cells {OFF}, so they go through weights that never trained (const 7)"])
    assert all(w.filename == __file__ for w in caught)  # the user's line  # fmt: skip


def test_a_model_file_without_the_values_checks_nothing(trained, tmp_path):
    model = load_model(trained[0])
    assert model.constants == {2: 5.0, 3: 1.0}  # x0, x1, const, colour=red
    model.constants = None  # as a file written before they were stored
    save_model(model, tmp_path / "old.npz")
    old = load_model(tmp_path / "old.npz")
    assert old.constants is None
    new = _table(np.random.default_rng(8), 20, const=9.0).drop(columns=["id", "label"])
    old.predict(new)  # no ConstantColumnWarning (tests raise warnings)


def test_without_standardizing_a_constant_column_trains_and_is_not_named(tmp_path, capsys):
    """Unstandardized, the column is 5 in every row, not 0: its weights get a gradient (it
    acts as a second bias), so there is nothing to say."""
    table = _table(np.random.default_rng(9), 80).drop(columns=["colour"])
    assert _train(tmp_path, capsys, table, "--drop", "id", "--no-standardize") == []
    assert load_model(tmp_path / "m.npz").constants == {}
