"""A model given data of the other kind than it was trained on says so (NU11 #10e).

A ``glassnet train`` model trained on arrays (an .npz, or a built-in data set) names its
features ``x0, x1, ...`` by position; given a table without such columns it said "missing
feature columns: x0, x1, ..." (names the user never wrote). It now says, as an estimator
fitted on arrays does, that it was trained on arrays and takes a .npy or .npz. A table
that has those names is read by them, as before. A model trained on a table given an
array file of another width says it was trained on a table and names its columns; one of
the same width is read by position, as before. Oracle: the model's predictions on the
training arrays, in NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model

COMMANDS = {
    "predict": ["predict", "--model", "{m}", "--data", "{d}", "--out", "{o}"],
    "evaluate": ["evaluate", "--model", "{m}", "--data", "{d}", "--target", "label"],
    "report": ["report", "{m}", "--data", "{d}", "--target", "label", "--out", "{o}.html"],
    "explain": ["explain", "--model", "{m}", "--data", "{d}"],
}


def _arrays(n: int = 60):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(n, 4))
    return X, np.where(X[:, 0] + X[:, 1] > 0, 1, 0)


def _train(tmp_path, *data: str) -> str:
    out = str(tmp_path / "run" / "model.npz")
    argv = ["train", *data, "--hidden", "5", "--epochs", "2", "--progress", "off"]
    assert main([*argv, "--out", out]) == 0
    return out


def _run(name, model, data, tmp_path) -> list[str]:
    fill = {"m": model, "d": str(data), "o": str(tmp_path / f"{name}-out.csv")}
    return [part.format(**fill) for part in COMMANDS[name]]


def _table(tmp_path, names, X, y, kind="csv"):
    import pandas as pd

    frame = pd.DataFrame(X, columns=names).assign(label=y)
    path = tmp_path / f"t.{kind}"
    frame.to_csv(path, index=False) if kind == "csv" else frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_model_trained_on_arrays_says_so_for_a_table(tmp_path, capsys, command, kind):
    X, y = _arrays()
    np.savez(tmp_path / "d.npz", X=X, y=y)
    model = _train(tmp_path, "--data", str(tmp_path / "d.npz"))
    capsys.readouterr()
    table = _table(tmp_path, ["a", "b", "c", "d"], X, y, kind)
    assert main(_run(command, model, table, tmp_path)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err  # one line
    assert f"{table}: this model was trained on arrays (4 feature columns" in err[0]
    assert "give it a .npy or .npz" in err[0]
    assert "missing feature columns" not in err[0] and "x1" not in err[0].split("named")[0]
    assert not (tmp_path / f"{command}-out.csv").exists()


def test_a_built_in_data_set_model_says_so_too(tmp_path, capsys):
    model = _train(tmp_path, "--dataset", "moons")
    X, y = _arrays()
    table = _table(tmp_path, ["u", "v"], X[:, :2], y)
    assert main(_run("predict", model, table, tmp_path)) == 1
    assert "this model was trained on arrays (2 feature columns" in capsys.readouterr().err


def test_a_table_with_the_arrays_names_is_read_by_them(tmp_path, capsys):
    X, y = _arrays()
    np.savez(tmp_path / "d.npz", X=X, y=y)
    model = _train(tmp_path, "--data", str(tmp_path / "d.npz"))
    order = [2, 0, 3, 1]  # by name, not by position
    table = _table(tmp_path, [f"x{j}" for j in order], X[:, order], y)
    assert main(_run("predict", model, table, tmp_path)) == 0
    import pandas as pd

    written = pd.read_csv(tmp_path / "predict-out.csv")["prediction"].to_numpy()
    np.testing.assert_array_equal(written, load_model(model).predict(X))


def test_a_model_trained_on_a_table_names_its_columns_for_arrays(tmp_path, capsys):
    X, y = _arrays()
    colour = np.where(X[:, 2] > 0, "red", "blue")
    import pandas as pd

    frame = pd.DataFrame(X[:, :2], columns=["a", "b"]).assign(colour=colour, label=y)
    frame.to_csv(tmp_path / "t.csv", index=False)
    model = _train(tmp_path, "--data", str(tmp_path / "t.csv"), "--target", "label")
    capsys.readouterr()
    np.savez(tmp_path / "d.npz", X=X[:, :3], label=y)  # 3 columns; the model has 4 features
    for command in ("predict", "evaluate", "report"):
        assert main(_run(command, model, tmp_path / "d.npz", tmp_path)) == 1
        err = capsys.readouterr().err
        assert "the model expects 4 features, the data has 3" in err
        assert "trained on a table (3 columns: a, b, colour, encoded as 4 features)" in err
        assert "give it a .csv or .parquet with those columns" in err


def test_a_numeric_table_model_reads_arrays_of_its_width_by_position(tmp_path, capsys):
    X, y = _arrays()
    _table(tmp_path, ["a", "b", "c", "d"], X, y)
    model = _train(tmp_path, "--data", str(tmp_path / "t.csv"), "--target", "label")
    np.savez(tmp_path / "d.npz", X=X, y=y)
    assert main(_run("predict", model, tmp_path / "d.npz", tmp_path)) == 0
    import pandas as pd

    written = pd.read_csv(tmp_path / "predict-out.csv")["prediction"].to_numpy()
    np.testing.assert_array_equal(written, load_model(model).predict(X))


def test_an_estimator_fitted_on_named_x_columns_still_names_the_missing_ones(tmp_path, capsys):
    pytest.importorskip("sklearn")
    import pandas as pd

    from glassnet.sklearn.estimators import MLPClassifier

    X, y = _arrays()
    est = MLPClassifier(hidden_layer_sizes=(5,), max_iter=3, random_state=0)
    est.fit(pd.DataFrame(X, columns=["x0", "x1", "x2", "x3"]), y)
    est.save(tmp_path / "est.npz")
    table = _table(tmp_path, ["a", "b", "c", "d"], X, y)
    assert main(_run("predict", str(tmp_path / "est.npz"), table, tmp_path)) == 1
    err = capsys.readouterr().err
    assert "missing feature columns: x0, x1, x2, x3" in err and "trained on arrays" not in err
