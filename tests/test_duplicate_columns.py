"""Two columns with one name are refused on every read path, with train's one-line message
(NU11 #12): ``predict``/``evaluate``/``report`` (streamed CSV and Parquet blocks, the target
read alone), a whole read, and ``Model.predict`` of a DataFrame. The oracle: the names that
occur twice, counted here with ``collections.Counter``, and no output file written."""

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import glassnet as gn
from glassnet.cli.main import main
from glassnet.core.validation import DataError
from glassnet.data.blocks import feature_blocks
from glassnet.data.labelled import labelled_blocks
from glassnet.data.tables import load_table


def _frame(n=60, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                       "c": rng.choice(["x", "y"], n)})  # fmt: skip
    df["label"] = np.where(df.a + df.b > 0, "yes", "no")
    return df


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dup")
    data = folder / "train.csv"
    _frame().to_csv(data, index=False)
    out = folder / "model.npz"
    argv = ["train", "--data", str(data), "--target", "label", "--epochs", "2", "--hidden", "3",
            "--progress", "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    return out


def _twice(header):
    return sorted(n for n, k in Counter(h.strip() for h in header).items() if k > 1)


def _write(path, columns, values):
    """A table whose header is ``columns`` (names may repeat), written without pandas'
    renaming ("a.1"): the CSV by hand, the Parquet through pyarrow."""
    if path.suffix == ".csv":
        lines = [",".join(columns)] + [",".join(map(str, row)) for row in values]
        path.write_text("\n".join(lines) + "\n")
    else:
        arrays = [pa.array([row[j] for row in values]) for j in range(len(columns))]
        pq.write_table(pa.Table.from_arrays(arrays, names=list(columns)), path)


CASES = {  # header variants: a feature twice (first, last), the target twice, another column,
    "feature-first": ["a", "a", "b", "c", "label"],  # two duplicates, a padded name
    "feature-last": ["a", "b", "c", "label", "a"],
    "target": ["a", "b", "label", "c", "label"],
    "other": ["a", "b", "c", "label", "note", "note"],
    "two-names": ["a", "b", "b", "c", "label", "a"],
    "padded": ["a", " b", "b ", "c", "label"],
}


def _values(columns, n=20):
    df = _frame(n, seed=3)
    return [[{"note": "n"}.get(c.strip(), None) or df[c.strip()].iloc[i] for c in columns]
            for i in range(n)]  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_commands_refuse_a_column_named_twice(tmp_path, model_path, capsys, suffix, case):
    columns = CASES[case]
    data = tmp_path / f"d{suffix}"
    _write(data, columns, _values(columns))
    expected = f"{data}: duplicate column names: {', '.join(_twice(columns))}"
    runs = {
        "predict": ["predict", "--model", str(model_path), "--data", str(data), "--out",
                    str(tmp_path / "p.csv")],
        "evaluate": ["evaluate", "--model", str(model_path), "--data", str(data), "--target",
                     "label"],
        "report": ["report", "--model", str(model_path), "--data", str(data), "--target",
                   "label", "--out", str(tmp_path / "r.html")],
        "train": ["train", "--data", str(data), "--target", "label", "--epochs", "1",
                  "--progress", "off", "--out", str(tmp_path / "m.npz")],
    }  # fmt: skip
    for command, argv in runs.items():
        assert main(argv) == 1, command
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"glassnet {command}: error: {expected}"], command
    assert not any((tmp_path / name).exists() for name in ("p.csv", "r.html", "m.npz"))


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_readers_refuse_it_by_themselves(tmp_path, model_path, suffix):
    columns = CASES["feature-last"]
    data = tmp_path / f"d{suffix}"
    _write(data, columns, _values(columns))
    encoding = gn.load(model_path).encoding
    pattern = "duplicate column names: a$"
    with pytest.raises(DataError, match=pattern):
        next(feature_blocks(data, encoding))
    with pytest.raises(DataError, match=pattern):
        labelled_blocks(data, encoding, "label")
    with pytest.raises(DataError, match=pattern):
        load_table(data, None, require_target=False)


def test_the_clean_table_still_reads(tmp_path, model_path):
    """The same rows without the duplicate: predicted, as before."""
    columns = ["a", "b", "c", "label"]
    data = tmp_path / "clean.csv"
    _write(data, columns, _values(columns))
    assert main(["predict", "--model", str(model_path), "--data", str(data), "--out",
                 str(tmp_path / "p.csv")]) == 0  # fmt: skip
    assert len(pd.read_csv(tmp_path / "p.csv")) == 20


def test_model_predict_refuses_a_dataframe_with_a_column_named_twice(model_path):
    model = gn.load(model_path)
    df = _frame(10, seed=5).drop(columns="label")
    expected = model.predict(df)
    for position in (0, 3):  # before and after the real column
        twice = df.copy()
        twice.insert(position, "dup", 100 * df["a"])
        twice = twice.rename(columns={"dup": "a"})
        assert Counter(twice.columns)["a"] == 2
        for method in (model.predict, model.predict_proba, model.outputs):
            with pytest.raises(DataError, match=r"^data: duplicate column names: a$"):
                method(twice)
    np.testing.assert_array_equal(model.predict(df), expected)


def test_a_model_without_an_encoding_refuses_it_too(rng):
    """A model trained on numbers with named columns (an estimator's): matched by name, so a
    name given twice is refused, not the last of the two taken."""
    X = pd.DataFrame(rng.normal(size=(40, 2)), columns=["u", "v"])
    y = (X.u > 0).astype(int).to_numpy()
    model = gn.MLPClassifier(hidden_layer_sizes=(3,), max_iter=3).fit(X, y).to_model()
    assert model.encoding is None and model.feature_names == ("u", "v")
    twice = pd.concat([X, X[["v"]]], axis=1)
    with pytest.raises(DataError, match=r"^data: duplicate column names: v$"):
        model.predict(twice)
    np.testing.assert_array_equal(model.predict(twice.iloc[:, :2]), model.predict(X))
