"""Columns that are not numbers, at numeric-only entry points (``glassnet.data.columns``):
the estimators given a DataFrame of every pandas dtype, regression targets that are text,
and the CLI on the same kinds: one line naming the column, never NumPy's or pandas' words.
"""

import decimal
import warnings

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.core.validation import DataError
from glassnet.data.columns import check_numeric_columns, numeric_targets

pd = pytest.importorskip("pandas")
N = 24


def _refused():
    rng = np.random.default_rng(0)
    return {
        "datetime": (pd.date_range("2020-01-01", periods=N), "dates or times"),
        "tz datetime": (pd.date_range("2020-01-01", periods=N, tz="UTC"), "dates or times"),
        "timedelta": (pd.to_timedelta(np.arange(N), unit="s"), "time deltas"),
        "period": (pd.period_range("2020-01", periods=N, freq="M"), "periods"),
        "interval": (pd.interval_range(0, N), "intervals"),
        "text": (rng.choice(["p", "q"], N).astype(object), "text"),
        "string": (pd.array(rng.choice(["p", "q"], N), dtype="string"), "text"),
        "category": (pd.Categorical(rng.choice(["p", "q"], N)), "categories of text"),
        "mixed objects": (np.array([1, "a"] * (N // 2), dtype=object), "text"),
        "complex": (np.ones(N) + 1j, "complex numbers"),
        "bytes": (np.array([b"a"] * N), "byte strings"),
        "dicts": (np.array([{"a": 1}] * N, dtype=object), "dict values"),
    }


def _accepted():
    rng = np.random.default_rng(1)
    return {
        "bool": rng.choice([True, False], N),
        "Int64": pd.array(rng.integers(0, 5, N), dtype="Int64"),
        "Float64": pd.array(rng.normal(size=N), dtype="Float64"),
        "boolean": pd.array(rng.choice([True, False], N), dtype="boolean"),
        "numeric categories": pd.Categorical(rng.integers(0, 3, N)),
        "numbers as objects": np.array([1.5, 2] * (N // 2), dtype=object),
        "decimals": np.array([decimal.Decimal("1.5")] * N, dtype=object),
    }


def _frame(name, column):
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"a": rng.normal(size=N), "b": rng.normal(size=N)})
    X[name] = column
    return X


@pytest.mark.parametrize("name", list(_refused()))
def test_columns_that_are_not_numbers_are_named(name):
    column, words = _refused()[name]
    with pytest.raises(DataError) as excinfo:
        check_numeric_columns(_frame(name, column))
    text = str(excinfo.value)
    assert text.startswith(f"X: column {name!r} holds {words}") and "\n" not in text


@pytest.mark.parametrize("name", list(_accepted()))
def test_numbers_of_every_pandas_dtype_pass(name):
    check_numeric_columns(_frame(name, _accepted()[name]))


@pytest.mark.parametrize("name", ["datetime", "text", "category", "period", "complex"])
@pytest.mark.parametrize("which", ["MLPClassifier", "MLPRegressor"])
def test_estimators_name_the_column_and_point_to_a_pipeline(name, which):
    import glassnet.sklearn.estimators as estimators

    column, words = _refused()[name]
    X, y = _frame(name, column), np.arange(N) % 2
    est = getattr(estimators, which)(max_iter=2)
    with pytest.raises(DataError, match=f"column {name!r} holds {words}"):
        est.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X.drop(columns=[name]), y)
    with pytest.raises(DataError, match=f"column {name!r}"):
        est.predict(X)  # predictions check the same way
    if words in ("text", "categories of text"):
        assert "Pipeline with scikit-learn's encoders" in str(
            pytest.raises(DataError, est.fit, X, y).value
        )


@pytest.mark.parametrize(
    "y, words",
    [
        (np.array(["cat", "dog"] * (N // 2)), "text ('cat')"),
        (pd.Categorical(["p", "q"] * (N // 2)), "text ('p')"),
        (np.array([1.5, "x"] * (N // 2), dtype=object), "text ('x')"),
        (pd.date_range("2020", periods=N), "dates or times"),
    ],
)
def test_a_regressor_given_text_targets_says_so(y, words):
    from glassnet.sklearn.estimators import MLPRegressor

    X = np.random.default_rng(0).normal(size=(N, 2))
    with pytest.raises(DataError) as excinfo:
        MLPRegressor(max_iter=2).fit(X, pd.Series(y))
    assert f"y holds {words}" in str(excinfo.value) and "MLPClassifier" in str(excinfo.value)


def test_numeric_targets_read_numbers_written_as_text_and_missing_cells():
    np.testing.assert_array_equal(numeric_targets(np.array(["1.5", "2"]), "y", ""), [1.5, 2.0])
    y = numeric_targets(pd.array([1.0, None], dtype="Float64").astype(object), "y", "")
    assert y[0] == 1.0 and np.isnan(y[1])


def _cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("labels", [["cat", "dog"], ["1", "x"], ["yes", "no", "maybe"]])
def test_cli_regression_on_text_targets_is_one_line(capsys, tmp_path, rng, labels):
    n = 40
    path = tmp_path / "d.csv"
    X = rng.normal(size=(n, 2))
    names = [labels[i % len(labels)] for i in range(n)]
    rows = "".join(f"{a},{b},{c}\n" for (a, b), c in zip(X, names, strict=True))
    path.write_text("a,b,label\n" + rows)
    code, _, err = _cli(
        capsys, "train", "--data", path, "--target", "label", "--task", "regression",
        "--epochs", 1, "--progress", "off", "--out", tmp_path / "m.npz",
    )  # fmt: skip
    assert code == 2 and len(err.strip().splitlines()) == 1, err  # --task asked: exit 2
    assert "the target holds text" in err and "--task classification" in err
    assert "np.str_" not in err and "could not convert" not in err


def test_cli_evaluates_a_regressor_on_text_targets_in_one_line(capsys, tmp_path, rng):
    n = 40
    X, y = rng.normal(size=(n, 2)), rng.normal(size=n)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("a,b,t\n" + "".join(f"{a},{b},{t}\n" for (a, b), t in zip(X, y, strict=True)))
    bad.write_text("a,b,t\n" + "".join(f"{a},{b},v{i}\n" for i, (a, b) in enumerate(X)))
    code, _, err = _cli(
        capsys, "train", "--data", good, "--target", "t", "--task", "regression",
        "--epochs", 2, "--progress", "off", "--out", tmp_path / "m.npz",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = _cli(capsys, "evaluate", "--model", tmp_path / "m.npz", "--data", bad,
                        "--target", "t")  # fmt: skip
    assert code == 1 and "target 't' holds text ('v0')" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "cells, words",
    [
        (["0 days 00:00:01", "1 day 02:03:04"], "holds dates or times"),
        (["12:30", "07:15:00"], "holds dates or times"),
        (["2024-01-01", "2024-02-01T10:00"], "holds dates or times"),
    ],
)
def test_cli_text_columns_of_times_are_named(capsys, tmp_path, rng, cells, words):
    n = 40
    path = tmp_path / "d.csv"
    path.write_text("a,when,label\n" + "".join(
        f"{rng.normal()},{cells[i % 2]},{i % 2}\n" for i in range(n)))
    code, _, err = _cli(capsys, "train", "--data", path, "--target", "label", "--epochs", 1,
                        "--progress", "off", "--out", tmp_path / "m.npz")  # fmt: skip
    assert code == 1 and f"column 'when' {words}" in err and "--drop when" in err
