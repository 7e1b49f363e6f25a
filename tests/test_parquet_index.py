"""A pandas index stored in a Parquet file is read as pandas reads it, not as a feature
(NU9 #36): ``df[mask].to_parquet()`` keeps its row labels as ``__index_level_0__``, a
``set_index`` column is stored under its name; ``pandas.read_parquet`` (the oracle) makes
both the index. A named index is left out with a note and may be named to be used."""

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import glassnet
from glassnet.cli.main import main
from glassnet.data.tables import load_table


def _frame(n=120):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                       "key": rng.integers(0, 20, n) * 7})  # fmt: skip
    df["label"] = np.where(df.a + df.b > 0, "yes", "no")
    return df


WRITERS = {
    "filtered": lambda df: df[df.a > -1],  # __index_level_0__
    "named": lambda df: df.set_index("key"),
    "two levels": lambda df: df[df.a > -1].set_index("key", append=True),
    "range": lambda df: df,  # a RangeIndex: metadata only
    "strings": lambda df: df.set_index(df.index.astype(str) + "r"),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_columns_are_those_pandas_reads(tmp_path, kind):
    path = tmp_path / "t.parquet"
    WRITERS[kind](_frame()).to_parquet(path)
    expected = [c for c in pd.read_parquet(path).columns if c != "label"]
    table = load_table(path, "label")
    assert list(table.feature_names) == expected
    assert table.frame.n_rows == len(pd.read_parquet(path))


@pytest.mark.parametrize("kind", ["filtered", "named", "two levels"])
def test_train_leaves_the_index_out(tmp_path, capsys, kind):
    path, out = tmp_path / "t.parquet", tmp_path / "m.npz"
    WRITERS[kind](_frame()).to_parquet(path)
    argv = ["train", "--data", str(path), "--target", "label", "--epochs", "2", "--hidden", "3",
            "--progress", "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "__index_level" not in captured.out + captured.err  # never seen, never warned of
    assert list(glassnet.load(out).feature_names) == ["a", "b"] + (
        ["key"] if kind == "filtered" else []
    )
    named = "(key)" in captured.out and "stores a pandas index" in captured.out
    assert named == (kind != "filtered")  # a named index is said to be left out
    # predict reads the model's columns; --keep may name the index to carry it along
    keep = "key" if kind != "filtered" else "__index_level_0__"
    preds = tmp_path / "p.csv"
    argv = ["predict", "--model", str(out), "--data", str(path), "--keep", keep, "--out",
            str(preds)]  # fmt: skip
    assert main(argv) == 0
    written = pd.read_csv(preds)
    stored = pq.read_table(path).column(keep).to_pylist()
    assert written[keep].tolist() == stored


def test_a_named_index_is_a_feature_when_named(tmp_path, capsys):
    path, out = tmp_path / "t.parquet", tmp_path / "m.npz"
    WRITERS["named"](_frame()).to_parquet(path)
    argv = ["train", "--data", str(path), "--target", "label", "--features", "a,key",
            "--epochs", "1", "--hidden", "3", "--progress", "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    assert list(glassnet.load(out).feature_names) == ["a", "key"]
    assert "stores a pandas index" not in capsys.readouterr().out
    table = load_table(path, "label", drop=("key",))  # --drop may name it too
    assert list(table.feature_names) == ["a", "b"]


def test_without_pandas_metadata_every_column_is_data(tmp_path):
    path = tmp_path / "t.parquet"
    frame = _frame()
    table = pa.table({"a": frame.a, "__index_level_0__": frame.key, "label": frame.label})
    pq.write_table(table, path)  # pyarrow alone: no pandas metadata
    assert list(load_table(path, "label").feature_names) == ["a", "__index_level_0__"]


def test_damaged_pandas_metadata_reads_the_columns(tmp_path):
    path = tmp_path / "t.parquet"
    table = pa.Table.from_pandas(_frame()[_frame().a > 0])
    pq.write_table(table.replace_schema_metadata({b"pandas": b"{not json"}), path)
    names = load_table(path, "label").feature_names
    assert names == ("a", "b", "key", "__index_level_0__")
    odd = json.dumps({"index_columns": [3, None, "missing", {"kind": "range"}]}).encode()
    pq.write_table(table.replace_schema_metadata({b"pandas": odd}), path)
    assert load_table(path, "label").feature_names == names
