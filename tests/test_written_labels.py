"""Class labels written as numbers are taken as written when reading them as numbers would
merge or rename them (NU14 #3): ``'007'`` and ``'7'`` are two classes, ``'1e3'`` stays
``'1e3'``; plain integers stay integers, fractional numbers floats, regression targets
numbers. The oracle: the distinct cells of the file as pandas reads them as text
(``dtype=str``)."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.data.tables import load_table
from glassnet.data.task import choose_task
from glassnet.data.written_labels import keep_as_written, labels_like
from glassnet.files.modelfile import load_model

pd = pytest.importorskip("pandas")

COLLAPSING = [
    ["007", "7", "1e3"],  # leading zeros and an exponent: two cells read as 7
    ["1.0", "1", "01"],  # three writings of one number
    ["+7", "7", "-7"],  # a sign written out
    ["7", "7.0", "8"],  # one number with and without a decimal point
]
RENAMED = [
    ["1e3", "2e3", "3e3"],  # exponents: would become 1000.0, ...
    ["007", "042", "100"],  # leading zeros, no two alike as numbers
    ["1.00", "2.00", "3.00"],  # a fixed number of decimals
    ["-0", "1", "2"],  # negative zero
]


def _table(tmp_path, labels, suffix, n=60, rng=None):
    """A table of ``n`` rows, two features and a ``code`` column cycling over ``labels``."""
    rng = rng if rng is not None else np.random.default_rng(0)
    k = np.arange(n) % len(labels)
    df = pd.DataFrame({"a": rng.normal(size=n) + k, "b": rng.normal(size=n),
                       "code": np.asarray(labels, dtype=object)[k]})  # fmt: skip
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        df.to_csv(path, index=False)
    else:
        df.to_parquet(path)  # a string column: Parquet keeps its type
    return path


def _written(path):
    """The oracle: the target's distinct cells as the file spells them."""
    if path.suffix == ".csv":
        return set(pd.read_csv(path, dtype=str)["code"])
    return {str(v) for v in pd.read_parquet(path)["code"]}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("labels", COLLAPSING + RENAMED)
def test_labels_written_otherwise_than_plainly_are_read_as_written(tmp_path, labels, suffix):
    path = _table(tmp_path, labels, suffix)
    y = load_table(path, "code").y
    assert y.dtype.kind == "U"
    assert set(y.tolist()) == _written(path) == set(labels)
    np.testing.assert_array_equal(y, np.asarray(labels)[np.arange(60) % len(labels)])


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize(
    ("labels", "kind", "values"),
    [
        (["1", "2", "3"], "i", [1, 2, 3]),  # plain integers stay integer classes
        (["-1", "0", "12"], "i", [-1, 0, 12]),
        (["1.0", "2.0"], "f", [1.0, 2.0]),  # a float's own writing stays a float
        (["0.5", "1.5", "0.50"], "f", [0.5, 1.5]),  # fractional: numbers (a quantity)
    ],
)
def test_plain_numbers_stay_numbers(tmp_path, labels, kind, values, suffix):
    y = load_table(_table(tmp_path, labels, suffix), "code").y
    assert y.dtype.kind == kind
    assert sorted(set(y.tolist())) == values


def test_a_column_mixing_numbers_and_names_is_text_as_before(tmp_path):
    path = _table(tmp_path, ["007", "7", "1e3", "cat", "dog", "owl", "fox"], ".csv", n=70)
    y = load_table(path, "code").y
    assert set(y.tolist()) == _written(path)


def test_the_rule_on_distinct_cells():
    assert keep_as_written(["007", "7"]) and keep_as_written(["1e3"])
    assert keep_as_written(["1", "2.0"])  # '1' is not the writing of 1.0 beside '2.0'
    assert not keep_as_written(["1", "2", "3"]) and not keep_as_written([" 1", " 2"])
    assert not keep_as_written(["0.5", "0.50"])  # fractional: a quantity
    assert not keep_as_written(["cat", "7"])  # not all numbers: text labels anyway


def test_the_task_is_judged_on_the_numbers():
    codes = np.array(["007", "7", "1e3"] * 20)
    choice = choose_task(codes)
    assert choice.task == "classification" and "written as numbers" in choice.reason
    prices = np.array([f"{v:.0f}" for v in np.linspace(1e4, 9e5, 200)] + ["1e+05", "2e+05"])
    assert choose_task(prices).task == "regression"  # R writes 100000 as 1e+05
    assert choose_task(np.array(["cat", "7"] * 10)).reason == "the target holds class names"


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("labels", [["007", "7", "1e3"], ["1.0", "1", "01"], ["+7", "7", "08"]])
def test_train_predict_evaluate_keep_the_labels_as_written(capsys, tmp_path, labels):
    data = _table(tmp_path, labels, ".csv", n=90)
    out = tmp_path / "m" / "model.npz"
    code, text, err = _run(capsys, "train", "--data", data, "--target", "code", "--epochs", 30,
                           "--progress", "off", "--out", out)  # fmt: skip
    assert code == 0, err
    truth = pd.read_csv(data, dtype=str)["code"].to_numpy()
    classes = load_model(out).classes
    assert classes.dtype.kind == "U" and set(classes.tolist()) == set(truth)
    assert f"classification of {len(set(truth))} classes" in text
    code, text, err = _run(capsys, "predict", "--model", out, "--data", data, "--proba")
    assert code == 0, err
    header, *rows = text.splitlines()
    assert header == "prediction," + ",".join(f"proba_{c}" for c in classes)
    predicted = np.array([r.split(",")[0] for r in rows])
    assert set(predicted) <= set(truth)
    code, text, err = _run(capsys, "evaluate", "--model", out, "--data", data, "--target", "code")
    assert code == 0, err
    accuracy = float(text.split("accuracy ")[1].split()[0])
    assert accuracy == pytest.approx(np.mean(predicted == truth), abs=5e-5)


def test_evaluate_on_part_of_the_labels_matches_them_by_name(capsys, tmp_path):
    data = _table(tmp_path, ["007", "7", "1e3"], ".csv", n=90)
    out = tmp_path / "m" / "model.npz"
    assert main(["train", "--data", str(data), "--target", "code", "--epochs", "5",
                 "--progress", "off", "--out", str(out)]) == 0  # fmt: skip
    for part in (["007", "1e3"], ["7"], ["1e3"]):  # each alone reads otherwise in the rule
        test = _table(tmp_path, part, ".csv", n=12)
        capsys.readouterr()
        code = main(["evaluate", "--model", str(out), "--data", str(test), "--target", "code"])
        text = capsys.readouterr().out
        assert code == 0
        supports: dict[str, int] = {}  # the per-class table's support (before the matrix)
        for line in text.splitlines():
            if line.split() and line.split()[0] in {"007", "7", "1e3"}:
                supports.setdefault(line.split()[0], int(line.split()[-1]))
        assert {k: v for k, v in supports.items() if v} == {c: 12 // len(part) for c in part}


def test_a_model_of_integer_classes_reads_labels_as_numbers(capsys, tmp_path):
    data = _table(tmp_path, ["1", "2", "3"], ".csv", n=90)
    out = tmp_path / "m" / "model.npz"
    assert main(["train", "--data", str(data), "--target", "code", "--epochs", "5",
                 "--progress", "off", "--out", str(out)]) == 0  # fmt: skip
    assert load_model(out).classes.dtype.kind == "i"
    test = _table(tmp_path, ["01", "2", "3"], ".csv", n=30)  # '01' is class 1, as before
    capsys.readouterr()
    assert main(["evaluate", "--model", str(out), "--data", str(test), "--target", "code"]) == 0
    assert "samples 30" in capsys.readouterr().out


def test_labels_compare_as_the_model_read_its_classes():
    text = np.array(["007", "7", "1e3"])
    np.testing.assert_array_equal(labels_like(np.array([7, 7]), text), ["7", "7"])
    np.testing.assert_array_equal(labels_like(np.array(["007", "1e3"]), np.array([7, 1000])),
                                  [7, 1000])  # fmt: skip
    np.testing.assert_array_equal(labels_like(np.array(["cat"]), np.array([1, 2])), ["cat"])


def test_merging_labels_warns_once_after_the_data_are_read(capsys, tmp_path):
    data = _table(tmp_path, ["007", "7", "1e3"], ".csv", n=90)
    code, text, err = _run(capsys, "train", "--data", data, "--target", "code", "--epochs", 2,
                           "--progress", "off", "--out", tmp_path / "m.npz")  # fmt: skip
    assert code == 0
    warned = [line for line in err.splitlines() if "read as the same number" in line]
    assert warned == [
        "warning: labels that read as the same number are separate classes, as written: "
        "'007' vs '7' (clean the target column if they mean the same)"
    ]
    plain = _table(tmp_path, ["1e3", "2e3"], ".csv", n=40)  # renamed, never merged: no line
    code, text, err = _run(capsys, "train", "--data", plain, "--target", "code", "--epochs", 2,
                           "--progress", "off", "--out", tmp_path / "p.npz")  # fmt: skip
    assert code == 0 and "warning" not in err


def test_regression_reads_such_a_column_as_numbers(capsys, tmp_path):
    data = _table(tmp_path, ["007", "7", "1e3"], ".csv", n=90)
    code, text, err = _run(capsys, "train", "--data", data, "--target", "code", "--task",
                           "regression", "--epochs", 2, "--progress", "off", "--out",
                           tmp_path / "r.npz")  # fmt: skip
    assert code == 0, err
    assert load_model(tmp_path / "r.npz").classes is None
    assert "warning: labels" not in err


def test_the_estimator_keeps_the_labels_it_is_given(rng):
    from glassnet import MLPClassifier

    X = rng.normal(size=(40, 2))
    for y in (np.array(["007", "7"] * 20), np.array([7, 1000] * 20)):
        est = MLPClassifier((3,), max_iter=2, random_state=0).fit(X, y)
        np.testing.assert_array_equal(est.classes_, np.unique(y))
        assert est.classes_.dtype == y.dtype
