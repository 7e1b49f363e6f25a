"""Several regression targets of a table: ``--target a,b`` (NU9 #10; it was taken as one
column name, "did you mean 'b'?"). The oracle is the same data as an ``.npz`` with a 2-D
``y``, which trained a 2-target model before: the CSV and Parquet runs give its parameters
and its predictions; evaluate, predict and report name each target; a wrong list is one
line and exit code 2."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model


@pytest.fixture
def table(tmp_path):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 3))
    big = 1e6 * (2 + X[:, 0] - 0.5 * X[:, 1]) + 1e4 * rng.normal(size=120)
    small = 0.03 + 0.01 * X[:, 2] * X[:, 0] + 1e-4 * rng.normal(size=120)
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "big": big,
                          "small": small, "kind": np.where(X[:, 0] > 0, "p", "n")})  # fmt: skip
    frame.drop(columns="kind").to_csv(tmp_path / "t.csv", index=False)
    np.savez(tmp_path / "t.npz", X=X, y=np.column_stack([big, small]))
    return tmp_path, frame


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _train(capsys, data, out, *extra):
    return _run(capsys, "train", "--data", data, "--epochs", 3, "--progress", "off",
                "--out", out, *extra)  # fmt: skip


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_table_trains_the_model_an_npz_with_2d_y_trains(capsys, table, suffix):
    tmp, frame = table
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
        frame.drop(columns="kind").to_parquet(tmp / "t.parquet")
    code, out, err = _train(capsys, tmp / f"t.{suffix}", tmp / "m" / "m.npz",
                            "--target", "big,small")  # fmt: skip
    assert code == 0, err
    assert "task: regression (the target has 2 columns)" in out
    code, _, err = _train(capsys, tmp / "t.npz", tmp / "n" / "m.npz")
    assert code == 0, err
    table_model, npz_model = load_model(tmp / "m" / "m.npz"), load_model(tmp / "n" / "m.npz")
    assert table_model.settings["targets"] == ["big", "small"]
    assert "targets" not in npz_model.settings  # one array, no column names
    for p, q in zip(table_model.params, npz_model.params, strict=True):
        for name in p:
            np.testing.assert_allclose(p[name], q[name], rtol=1e-9, atol=1e-12)
    X = frame[["a", "b", "c"]].to_numpy()
    np.testing.assert_allclose(table_model.predict(X), npz_model.predict(X), rtol=1e-9)


def test_evaluate_predict_and_report_name_each_target(capsys, table):
    tmp, frame = table
    model = tmp / "m" / "m.npz"
    assert _train(capsys, tmp / "t.csv", model, "--target", "big,small")[0] == 0
    code, out, err = _run(capsys, "evaluate", "--model", model, "--data", tmp / "t.csv",
                          "--target", "big,small")  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].startswith("big: RMSE") and lines[2].startswith("small: RMSE"), out
    truth = frame[["big", "small"]].to_numpy()
    predicted = load_model(model).predict(frame[["a", "b", "c"]].to_numpy())
    rmse = np.sqrt(np.mean((predicted - truth) ** 2, axis=0))  # the oracle: NumPy's own
    for line, value in zip(lines[1:3], rmse, strict=True):
        assert float(line.split("RMSE ")[1].split()[0]) == pytest.approx(value, rel=1e-5)
    code, _, err = _run(capsys, "predict", "--model", model, "--data", tmp / "t.csv",
                        "--target", "big,small", "--out", tmp / "p.csv")  # fmt: skip
    assert code == 0, err
    rows = list(csv.reader((tmp / "p.csv").read_text().splitlines()))
    assert rows[0] == ["prediction_big", "prediction_small"] and len(rows) == 121
    np.testing.assert_allclose(np.array(rows[1:], dtype=float), predicted, rtol=1e-12)
    code, _, err = _run(capsys, "report", "--model", model, "--data", tmp / "t.csv",
                        "--target", "big,small", "--out", tmp / "r.html")  # fmt: skip
    assert code == 0, err
    assert "big" in (tmp / "r.html").read_text(encoding="utf-8")


def test_rows_missing_any_target_are_left_out(capsys, table):
    tmp, frame = table
    holed = frame.drop(columns="kind")
    holed.loc[[3, 50], "big"] = np.nan
    holed.loc[[50, 77], "small"] = np.nan
    holed.to_csv(tmp / "h.csv", index=False)
    code, out, err = _train(capsys, tmp / "h.csv", tmp / "m" / "m.npz", "--target", "big,small")
    assert code == 0, err
    assert "left out 3 rows whose target 'big,small' is empty" in out
    assert "training on " in out and "117 samples" in out


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("big,big", "name each target column once"),
        ("big,", "name each target column once"),
        ("big,smal", "no target column 'smal'; did you mean 'small'?"),
        ("big,kind", "target column 'kind' does not hold numbers; several targets"),
    ],
)
def test_a_wrong_list_is_one_line_and_exit_2(capsys, table, target, said):
    tmp, frame = table
    frame.to_csv(tmp / "k.csv", index=False)
    code, _, err = _train(capsys, tmp / "k.csv", tmp / "m" / "m.npz", "--target", target)
    assert code == 2 and said in err and len(err.strip().splitlines()) == 1, err


def test_another_order_or_a_target_as_feature_is_refused(capsys, table):
    tmp, _ = table
    model = tmp / "m" / "m.npz"
    assert _train(capsys, tmp / "t.csv", model, "--target", "big,small")[0] == 0
    for command in ("evaluate", "report"):
        code, _, err = _run(capsys, command, "--model", model, "--data", tmp / "t.csv",
                            "--target", "small,big")  # fmt: skip
        assert code == 2 and "trained on the targets in the order big,small" in err, err
    code, _, err = _train(capsys, tmp / "t.csv", tmp / "x" / "m.npz", "--target", "big,small",
                          "--drop", "small")  # fmt: skip
    assert code == 2 and "--drop names the target column 'small'" in err, err
    code, _, err = _train(capsys, tmp / "t.csv", tmp / "y" / "m.npz", "--target", "big,small",
                          "--task", "classification")  # fmt: skip
    assert code == 2 and "--task classification" in err, err
