"""An estimator made by ``from_model`` of a ``glassnet train`` model that encoded a table
(text as one-hot columns) keeps that encoding in ``to_model()`` and ``save``, so the
saved file still reads the table as ``glassnet predict`` does (the oracle: the CLI's own
predictions file); its ``predict`` on the raw table says how to score it."""

from __future__ import annotations

import csv
import warnings

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("sklearn")

import glassnet  # noqa: E402
from glassnet.cli.main import main  # noqa: E402
from glassnet.data.tables import DataError  # noqa: E402
from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402


def _table(path, n=60, seed=0, regression=False):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {"a": rng.normal(size=n), "b": rng.normal(size=n), "color": rng.choice(["red", "blue"], n)}
    )
    signal = df["a"] + (df["color"] == "red")
    df["target"] = signal if regression else np.where(signal > 0.5, "yes", "no")
    df.to_csv(path, index=False)
    return df


def _train_and_predict(tmp_path, regression):
    df = _table(tmp_path / "d.csv", regression=regression)
    out = tmp_path / "run" / "model.npz"
    common = ["--data", str(tmp_path / "d.csv")]
    main(["train", *common, "--target", "target", "--epochs", "4", "--out", str(out)])
    main(["predict", "--model", str(out), *common, "--out", str(tmp_path / "pred.csv")])
    with open(tmp_path / "pred.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    column = [k for k in rows[0] if k.startswith("predict")][0]
    cli = [r[column] for r in rows]
    return df, glassnet.load(out), np.asarray(cli if not regression else [float(v) for v in cli])


def _from_model(cls, model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the recipe settings with no estimator argument
        return cls.from_model(model)


def _same(got, cli):
    got = np.ravel(got)
    if got.dtype.kind in "OUS":
        np.testing.assert_array_equal(got.astype(str), cli)
    else:
        np.testing.assert_allclose(got, cli, rtol=1e-6)  # the CSV's printed digits


@pytest.mark.parametrize(("cls", "regression"), [(MLPClassifier, False), (MLPRegressor, True)])
def test_to_model_and_save_keep_the_table_encoding(cls, regression, tmp_path, capsys):
    df, model, cli = _train_and_predict(tmp_path, regression)
    capsys.readouterr()
    _same(model.predict(df), cli)  # the loaded model agrees with the CLI
    est = _from_model(cls, model)
    _same(est.to_model().predict(df), cli)
    est.save(tmp_path / "again.npz")
    _same(glassnet.load(tmp_path / "again.npz").predict(df), cli)
    encoded = model.encode(glassnet.data.tables.Frame(df, "data")).X  # the features
    _same(est.predict(pd.DataFrame(encoded, columns=list(model.feature_names))), cli)


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_predict_on_the_raw_table_says_how_to_score_it(cls, tmp_path, capsys):
    df, model, _ = _train_and_predict(tmp_path, cls is MLPRegressor)
    capsys.readouterr()
    est = _from_model(cls, model)
    note = r"glassnet: this \w+ was made from a model of glassnet train, .*glassnet\.load\(path\)"
    with pytest.raises(DataError, match=r"column 'color' holds text(.|\n)*" + note):
        est.predict(df)
    with pytest.raises(ValueError, match=r"Feature names seen at fit time(.|\n)*" + note):
        est.predict(df[["a", "b"]])
    assert "'color=blue'" in str(pytest.raises(ValueError, est.predict, df[["a", "b"]]).value)


def test_a_fresh_fit_forgets_the_table(tmp_path, capsys):
    df, model, _ = _train_and_predict(tmp_path, False)
    capsys.readouterr()
    est = _from_model(MLPClassifier, model)
    X = df[["a", "b"]].to_numpy()
    est.set_params(max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, df["target"])
    assert est.to_model().encoding is None
    with pytest.raises(ValueError) as error:
        est.predict(df[["a", "b", "color"]].to_numpy())  # no note: its own features now
    assert "glassnet train" not in str(error.value)


@pytest.mark.parametrize("regression", [False, True])
def test_a_table_model_matches_columns_by_name_too(regression, tmp_path, capsys):
    df, model, cli = _train_and_predict(tmp_path, regression)
    capsys.readouterr()
    for order in (["color", "b", "a"], ["target", "b", "color", "a"]):
        _same(model.predict(df[order]), cli)  # any order, the target column ignored
    _same(model.predict(df.assign(notes="x", id=1)[["id", "notes", "a", "color", "b"]]), cli)
    with pytest.raises(DataError, match=r"missing feature columns: color$"):
        model.predict(df.drop(columns="color"))
    with pytest.raises(DataError, match=r"missing feature columns: a, b$"):
        model.predict(df[["color"]].assign(other=1.0))
