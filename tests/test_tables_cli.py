"""``glassnet train/predict/evaluate`` on the tables people have: text columns, missing
cells, IDs and dates, blank targets, large targets, timestamps, Parquet, arrays of every
dtype. Each kind of fault from issue 11 is tried in several variants."""

import csv
import re

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.core.validation import DataError
from glassnet.core.wording import counted
from glassnet.files.modelfile import load_model

pd = pytest.importorskip("pandas")


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _train(capsys, tmp_path, data, target, *extra, epochs=40):
    out = tmp_path / "model" / "m.npz"
    code, text, err = _run(
        capsys, "train", "--data", data, "--target", target, "--epochs", epochs,
        "--progress", "off", "--out", out, *extra,
    )  # fmt: skip
    return code, text, err, out


def _validation_loss(console):
    line = next(t for t in console.splitlines() if "validation:" in t)
    return float(line.split("loss ")[1].split()[0])


@pytest.fixture
def passengers(tmp_path, rng):
    """A Titanic-like table: an ID, text and boolean columns, missing cells, a date."""
    n = 300
    sex = rng.choice(["male", "female"], n)
    age = np.round(rng.uniform(1, 80, n))
    fare = np.round(rng.gamma(2, 15, n), 2)
    survived = ((sex == "female") ^ (rng.random(n) < 0.1)).astype(int)
    port = rng.choice(["C", "Q", "S"], n)
    rows = []
    for i in range(n):
        a = "" if i % 7 == 3 else f"{age[i]:g}"
        p = "" if i % 50 == 9 else port[i]
        rows.append(
            f"{1000 + i},{a},{sex[i]},{fare[i]},{p},{i % 3 == 0},2024-01-{i % 28 + 1:02d},"
            f"{survived[i]}"
        )
    path = tmp_path / "passengers.csv"
    path.write_text("id,age,sex,fare,port,alone,booked,survived\n" + "\n".join(rows) + "\n")
    return path


def test_text_and_missing_columns_train_predict_evaluate(capsys, tmp_path, passengers):
    code, _, err, _ = _train(capsys, tmp_path, passengers, "survived")
    assert code == 1 and "2 columns cannot be features: 'id' looks like an ID" in err
    assert "'booked' holds dates or times; leave them all out with --drop id,booked" in err
    assert len(err.strip().splitlines()) == 1  # both named at once (NU8 8)
    code, _, err, _ = _train(capsys, tmp_path, passengers, "survived", "--drop", "id")
    assert code == 1 and "'booked' holds dates or times; leave it out with --drop id,booked" in err
    code, text, err, out = _train(capsys, tmp_path, passengers, "survived", "--drop", "id,booked")
    assert code == 0, err
    assert "task: classification of 2 classes (0, 1) (2 distinct whole numbers in " in text
    assert "--task regression overrides it" in text
    assert "column 'sex': 2 categories one-hot encoded" in text
    assert re.search(r"column 'age': \d+ missing \(1\d\.\d%\), filled with the median", text)
    assert "column 'port'" in text and "category (missing)" in text
    page = (out.parent / "report.html").read_text()
    assert "column &#x27;age&#x27;" in page or "column 'age'" in page
    assert "filled with the median" in page and "task" in page
    model = load_model(out)
    assert model.feature_names[:3] == ("age", "age (missing)", "sex=female")
    assert model.encoding.names == ("age", "sex", "fare", "port", "alone")
    # the same columns chosen with --features instead of --drop give the same model
    code, _, _, out2 = _train(
        capsys, tmp_path / "f", passengers, "survived", "--features", "age,sex,fare,port,alone"
    )
    np.testing.assert_array_equal(load_model(out2).params[0]["W"], model.params[0]["W"])

    new = tmp_path / "new.csv"  # blank targets, an unseen port, a missing fare
    new.write_text(
        "id,age,sex,fare,port,alone,booked,survived\n"
        "1,30,female,10,X,True,2024-01-01,\n2,,male,,S,False,,\n\n"
        "3,5,female,7,Z,False,2024-01-01,\n"
    )
    preds = tmp_path / "p.csv"
    code, text, err = _run(
        capsys,
        "predict",
        "--model",
        out,
        "--data",
        new,
        "--target",
        "survived",
        "--out",
        preds,
        "--proba",
    )
    assert code == 0, err
    assert "warning: 2 cells hold categories unseen in training" in err and "port 2" in err
    rows = list(csv.reader(preds.read_text().splitlines()))
    assert rows[0] == ["prediction", "proba_0", "proba_1"] and len(rows) == 4
    code, text, err = _run(
        capsys, "evaluate", "--model", out, "--data", new, "--target", "survived"
    )
    assert code == 1 and "the target column 'survived' is empty" in err  # every target blank
    code, text, err = _run(
        capsys, "evaluate", "--model", out, "--data", passengers, "--target", "survived"
    )
    assert code == 0 and "accuracy" in text


@pytest.mark.parametrize(
    ("make_y", "task", "reason"),
    [
        (lambda r: np.round(r.uniform(25, 346, 442)), "regression", "distinct whole numbers"),
        (lambda r: r.integers(0, 1000, 442), "regression", "not a run of class codes"),
        (lambda r: r.normal(size=442), "regression", "fractional numbers"),
        (lambda r: r.integers(0, 5, 442).astype(float), "classification", "5 distinct"),
        (lambda r: r.choice(["a", "b"], 442), "classification", "class names"),
    ],
)
def test_task_inferred_with_its_reason(capsys, tmp_path, make_y, task, reason, rng):
    X = rng.normal(size=(442, 3))
    np.savez(tmp_path / "d.npz", X=X, y=make_y(rng))
    code, text, err, out = _train(capsys, tmp_path, tmp_path / "d.npz", "y", epochs=2)
    assert code == 0, err
    line = next(t for t in text.splitlines() if t.startswith("task:"))
    assert line.startswith(f"task: {task}") and reason in line
    assert (load_model(out).classes is None) == (task == "regression")


def test_diabetes_trains_a_regressor(capsys, tmp_path):
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.load_diabetes(return_X_y=True, scaled=False)
    np.savez(tmp_path / "diabetes.npz", X=X, y=y)
    code, text, err, out = _train(
        capsys, tmp_path, tmp_path / "diabetes.npz", "y", "--lr", "0.01", epochs=100
    )
    assert code == 0, err
    assert "task: regression" in text
    val = _validation_loss(text)
    assert val < 0.7 * 0.5 * np.var(y)  # R^2 > 0.3: well below predicting the mean


@pytest.mark.parametrize("scale", [1.0, 1e6, 1e9])
def test_regression_at_any_scale(capsys, tmp_path, rng, scale):
    X = rng.uniform(-1, 1, size=(300, 2))
    y = (np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + 3) * scale
    np.savez(tmp_path / "d.npz", X=X, y=y)
    code, text, err, out = _train(
        capsys, tmp_path, tmp_path / "d.npz", "y", "--task", "regression", "--lr", "0.01", epochs=60
    )
    assert code == 0, err
    val = _validation_loss(text)
    assert val < 0.05 * 0.5 * np.var(y)  # in the targets' own units, whatever their scale
    prediction = load_model(out).predict(X[:50]).ravel()
    assert np.mean((prediction - y[:50]) ** 2) < 0.1 * np.var(y)


@pytest.mark.parametrize("offset", [1.7e9, 1e7, 0.0])
def test_large_offset_features_keep_their_spread_in_float32(capsys, tmp_path, rng, offset):
    t = offset + rng.uniform(0, 400, 400)  # e.g. Unix timestamps over a few minutes
    label = (t - offset > 200).astype(int)
    np.savez(tmp_path / "d.npz", X=t[:, None], y=label)
    code, text, err, out = _train(
        capsys, tmp_path, tmp_path / "d.npz", "y", "--dtype", "float32", "--lr", "0.05", epochs=60
    )
    assert code == 0, err
    model = load_model(out)
    assert len(np.unique(model.inputs(t[:, None]))) == 400  # nothing collapsed
    assert np.mean(model.predict(t[:, None]) == label) >= 0.97


@pytest.mark.parametrize(
    "y",
    [
        np.array(["2024-01-01"] * 10, dtype="datetime64[D]"),
        np.arange(10).astype("timedelta64[s]"),
        np.array([b"a", b"b"] * 5),
    ],
)
def test_array_targets_of_every_dtype_one_line(capsys, tmp_path, y):
    np.savez(tmp_path / "d.npz", X=np.zeros((10, 2)), y=y)
    code, _, err, _ = _train(capsys, tmp_path, tmp_path / "d.npz", "y", epochs=1)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "target holds" in err


def test_parquet_and_dataframe_give_the_csv_answers(capsys, tmp_path, passengers):
    pytest.importorskip("pyarrow")
    df = pd.read_csv(passengers).drop(columns=["id", "booked"])
    df.to_parquet(tmp_path / "p.parquet")
    code, _, err, out_csv = _train(
        capsys, tmp_path / "a", passengers, "survived", "--drop", "id,booked", epochs=3
    )
    assert code == 0, err
    code, _, err, out_pq = _train(
        capsys, tmp_path / "b", tmp_path / "p.parquet", "survived", epochs=3
    )
    assert code == 0, err
    a, b = load_model(out_csv), load_model(out_pq)
    np.testing.assert_allclose(a.params[0]["W"], b.params[0]["W"])
    features = df.drop(columns=["survived"])
    with pytest.raises(DataError, match="has a missing value at row"):
        a.predict(features)  # the library is strict about missing cells
    filled = a.predict(features, impute=True)  # unless asked to fill them as the CLI does
    np.testing.assert_array_equal(filled, b.predict(features, impute=True))  # a DataFrame
    code, text, err = _run(capsys, "predict", "--model", out_pq, "--data", tmp_path / "p.parquet")
    assert code == 0 and text.splitlines()[1:] == [str(v) for v in filled]


def test_streamed_predictions_equal_whole_ones_and_errors_keep_their_line(
    capsys, tmp_path, passengers, monkeypatch
):
    import glassnet.data.blocks as blocks

    code, _, err, out = _train(
        capsys, tmp_path, passengers, "survived", "--drop", "id,booked", epochs=3
    )
    whole = load_model(out).predict(pd.read_csv(passengers), impute=True)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 1000)  # about 20 rows a block
    code, text, err = _run(capsys, "predict", "--model", out, "--data", passengers)
    assert code == 0, err
    assert text.splitlines()[1:] == [str(v) for v in whole]
    lines = passengers.read_text().splitlines()
    lines[250] = lines[250].replace(lines[250].split(",")[3], "cheap", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    preds = tmp_path / "kept.csv"
    preds.write_text("prediction\nearlier\n")  # earlier predictions (no other file is replaced)
    code, text, err = _run(capsys, "predict", "--model", out, "--data", bad, "--out", preds)
    assert code == 1 and "column 'fare' is not numeric ('cheap') at line 251" in err
    assert preds.read_text() == "prediction\nearlier\n"  # nothing already written is lost


def test_model_files_of_format_1_still_load():
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    model = load_model(fixtures / "model_format1.npz")
    recorded = np.load(fixtures / "model_format1_data.npz")
    np.testing.assert_allclose(model.predict_proba(recorded["X"]), recorded["expected_proba"])
    assert list(model.predict(recorded["X"])) == list(recorded["expected"])
    assert model.encoding is None and model.target_scaler is None


def test_model_files_of_format_2_load_with_their_encoding():
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    model = load_model(fixtures / "model_format2.npz")
    df = pd.read_csv(fixtures / "model_format2_data.csv")
    recorded = np.load(fixtures / "model_format2_expected.npy")
    np.testing.assert_allclose(model.predict(df, impute=True), recorded)
    assert model.encoding is not None and model.target_scaler is not None


def test_inference_in_row_blocks_equals_the_whole_pass(rng):
    """More rows than one block (0.5M numbers / 256 units = 2048 rows): the blocks join up."""
    from glassnet.core.network import Network
    from glassnet.data.preprocessing import Standardizer
    from glassnet.files.modelfile import Model

    net = Network.mlp([3, 256, 4], "relu", "softmax", "mean")
    scaler = Standardizer(np.array([1.0, -2.0, 1e9]), np.array([2.0, 1.0, 5.0]))
    model = Model(net, net.init(rng), np.array(list("abcd")), scaler)
    assert model.block_rows() == 2048
    X = rng.normal(size=(5000, 3)) + [0, 0, 1e9]
    whole = net.predict_proba(model.params, scaler.transform(X, np.float64))
    np.testing.assert_allclose(model.predict_proba(X), whole, rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X), model.classes[np.argmax(whole, axis=1)])


def test_estimators_predict_in_row_blocks(rng):
    pytest.importorskip("sklearn")
    from glassnet.sklearn.estimators import MLPClassifier

    X = rng.normal(size=(5000, 3))
    y = (X[:, 0] > 0).astype(int)
    est = MLPClassifier(hidden_layer_sizes=(256,), max_iter=1, random_state=0).fit(X[:200], y[:200])
    Xs = est._inputs(X)
    whole = est.network_.predict_proba(est.params_, Xs)
    np.testing.assert_allclose(est.predict_proba(X)[:, 1], whole[:, -1], rtol=1e-12)


@pytest.mark.parametrize("spelling", [("true", "false"), ("TRUE", "FALSE"), ("True", "False")])
def test_a_boolean_column_predicts_the_same_whatever_its_spelling(
    capsys, tmp_path, passengers, spelling
):
    """Training reads ``true``/``false`` as booleans (categories "True"/"False"); the
    streamed predict reads the same cells as text: they must land in the same categories."""
    lines = passengers.read_text().splitlines()
    on, off = spelling
    rows = [lines[0]] + [
        ",".join({"True": on, "False": off}.get(c, c) for c in line.split(","))
        for line in lines[1:]
    ]
    data = tmp_path / "spelled.csv"
    data.write_text("\n".join(rows) + "\n")
    code, _, err, out = _train(capsys, tmp_path, data, "survived", "--drop", "id,booked", epochs=3)
    assert code == 0, err
    whole = load_model(out).predict(pd.read_csv(passengers), impute=True)  # Python's True/False
    code, text, err = _run(capsys, "predict", "--model", out, "--data", data)
    assert code == 0, err
    assert "unseen" not in err
    assert text.splitlines()[1:] == [str(v) for v in whole]


@pytest.mark.parametrize("command", ["predict", "evaluate"])
@pytest.mark.parametrize("blanks", [1, 3])
def test_missing_cells_where_training_had_none_are_filled_with_a_warning(
    capsys, tmp_path, rng, command, blanks
):
    n = 120
    X = rng.normal(size=(n, 2))
    label = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    rows = [f"{a:.6f},{b:.6f},{c}" for (a, b), c in zip(X, label, strict=True)]
    full = tmp_path / "full.csv"
    full.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    code, _, err, out = _train(capsys, tmp_path, full, "label", epochs=3)
    assert code == 0, err
    code, _, err = _run(capsys, command, "--model", out, "--data", full, "--target", "label")
    assert code == 0 and "warning" not in err, err
    gaps = tmp_path / "gaps.csv"
    holed = [f",{r.split(',', 1)[1]}" if i < blanks else r for i, r in enumerate(rows)]
    gaps.write_text("a,b,label\n" + "\n".join(holed) + "\n")
    code, _, err = _run(capsys, command, "--model", out, "--data", gaps, "--target", "label")
    assert code == 0, err
    said = counted(blanks, "missing cell")
    assert f"warning: {said} filled (numbers with the training median" in err
    assert "(a " + str(blanks) + ")" in err


def _training_blanks(console, column):
    """The count of missing cells the summary gives for ``column``'s training rows (0 when
    it names none)."""
    found = re.search(rf"column '{column}': (\d+) missing", console)
    return int(found.group(1)) if found else 0


def _held_out_warning(err, what, column):
    """The count of ``column``'s cells in the ``warning: N <what> (...)`` line, else 0."""
    line = next((t for t in err.splitlines() if what in t), "")
    found = re.search(rf"[(,] ?{column} (\d+)", line)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_missing_cells_of_held_out_rows_are_counted_by_train(capsys, tmp_path, seed):
    """Train counts the held-out rows' blank cells as predict counts new rows' (NU9 #13): a
    column whose training rows had blanks is filled as those were and never named in a
    warning; in a column whose training rows had none, every held-out blank is counted
    (never as an unseen category), whatever rows the split draws."""
    rng = np.random.default_rng(seed)
    n = 200
    x = rng.normal(size=n)
    town = rng.choice(["north", "south", "east"], n)
    label = np.where(x + (town == "north") > 0.3, "yes", "no")
    area = np.round(rng.uniform(100, 900, n), 1)
    blank_area = rng.choice(n, 20, replace=False)  # some land in training rows, some not
    blank_town = rng.choice(n, 3 + seed, replace=False)
    rows = [
        f"{x[i]:.6f},{'' if i in blank_area else area[i]},"
        f"{'' if i in blank_town else town[i]},{label[i]}"
        for i in range(n)
    ]
    data = tmp_path / "gaps.csv"
    data.write_text("x,area,town,label\n" + "\n".join(rows) + "\n")
    code, console, err, _ = _train(
        capsys, tmp_path, data, "label", "--test-fraction", "0.2", "--seed", seed, epochs=2
    )
    assert code == 0, err
    assert "categories of no training row" not in err  # a blank is not a category
    assert "filled as the training rows' were" not in err
    for column, total in (("area", 20), ("town", 3 + seed)):
        trained = _training_blanks(console, column)
        held_out = _held_out_warning(err, "in columns whose training rows had none", column)
        assert held_out == (total if trained == 0 else 0), (column, console, err)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_train_and_predict_count_held_out_blanks_alike(capsys, tmp_path, suffix):
    """Blanks spread over every part of the file (a nullable integer column, a number, a
    text column) are filled as the training rows' were: neither train nor predict on the
    same file warns about them (NU9 #13: train counted 18 such cells of `n_int`)."""
    pd = pytest.importorskip("pandas")
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    rng = np.random.default_rng(5)
    n = 210
    i = np.arange(n)
    frame = pd.DataFrame({
        "x": rng.normal(size=n),
        "n_int": pd.array(np.where(i % 7 == 0, None, i % 5), dtype="Int64"),
        "size": np.where(i % 6 == 1, np.nan, rng.uniform(1, 9, n)),
        "town": np.where(i % 5 == 2, None, rng.choice(["north", "south"], n)),
    })  # fmt: skip
    frame["label"] = np.where(frame["x"] > 0, "yes", "no")
    data = tmp_path / f"gaps.{suffix}"
    frame.to_csv(data, index=False) if suffix == "csv" else frame.to_parquet(data)
    code, console, err, out = _train(capsys, tmp_path, data, "label", "--test-fraction", "0.2",
                                     epochs=2)  # fmt: skip
    assert code == 0, err
    for column in ("n_int", "size", "town"):
        assert _training_blanks(console, column) > 0, console
    assert "validation/test" not in err, err
    code, _, err = _run(capsys, "predict", "--model", out, "--data", data, "--out",
                        tmp_path / "p.csv")  # fmt: skip
    assert code == 0 and "missing cell" not in err, err
