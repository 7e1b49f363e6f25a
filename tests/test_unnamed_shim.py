"""A model saved before empty headers were named (0.2 reads them as ``Unnamed: i``, NU9 #32)
stores a column name ``''``; it still predicts on the same table: the stored ``''`` is the
table's one ``Unnamed: i`` column. The oracle: the same model with the new name."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import glassnet as gn
from glassnet.cli.main import main
from glassnet.data.tables import load_table
from glassnet.files.modelfile import save_model


def _table(path, parquet):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=80), "": rng.integers(0, 5, 80) * 1.5,
                       "b": rng.normal(size=80)})  # fmt: skip
    df["label"] = np.where(df.a + df[""] > 3, "yes", "no")
    if parquet:
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)


@pytest.fixture(params=["csv", "parquet"])
def models(request, tmp_path):
    data = tmp_path / f"t.{request.param}"
    _table(data, request.param == "parquet")
    new = tmp_path / "new.npz"
    argv = ["train", "--data", str(data), "--target", "label", "--epochs", "3", "--hidden", "4",
            "--progress", "off", "--out", str(new)]  # fmt: skip
    assert main(argv) == 0
    model = gn.load(new)
    assert "Unnamed: 1" in model.encoding.names
    rename = {"Unnamed: 1": ""}  # what a model saved before 0.2 stores
    columns = tuple(dataclasses.replace(c, name=rename.get(c.name, c.name))
                    for c in model.encoding.columns)  # fmt: skip
    names = tuple(rename.get(n, n) for n in model.feature_names)
    old_model = dataclasses.replace(model, encoding=type(model.encoding)(columns),
                                    feature_names=names)  # fmt: skip
    old = tmp_path / "old.npz"
    save_model(old_model, old)
    assert "" in gn.load(old).encoding.names
    return data, new, old


def test_an_old_model_predicts_on_the_same_table(models, tmp_path, capsys):
    data, new, old = models
    outs = []
    for model in (new, old):
        out = tmp_path / f"p-{model.stem}.csv"
        argv = ["predict", "--model", str(model), "--data", str(data), "--proba", "--out",
                str(out)]  # fmt: skip
        assert main(argv) == 0, capsys.readouterr().err
        outs.append(pd.read_csv(out))
    pd.testing.assert_frame_equal(outs[0], outs[1])
    for model in (new, old):
        assert main(["evaluate", "--model", str(model), "--data", str(data), "--target",
                     "label"]) == 0  # fmt: skip
    frame = load_table(data, None, require_target=False).frame
    np.testing.assert_array_equal(gn.load(old).predict_proba(frame),
                                  gn.load(new).predict_proba(frame))  # fmt: skip


def test_two_unnamed_columns_leave_the_old_name_missing(tmp_path, models):
    data, _, old = models
    df = pd.read_csv(data) if data.suffix == ".csv" else pd.read_parquet(data)
    df.insert(0, "Unnamed: 0", 1.0)  # a second candidate: which one is ambiguous
    two = tmp_path / "two.csv"
    df.to_csv(two, index=False)
    frame = load_table(two, None, require_target=False).frame
    with pytest.raises(ValueError, match="missing feature columns"):
        gn.load(old).predict(frame)
