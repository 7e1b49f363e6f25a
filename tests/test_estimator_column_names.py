"""The estimators name a NaN's or an infinity's column as the user knows it (NU9 #21): by
its name when they were fitted on a DataFrame (``feature_names_in_``), as
``glassnet.load(...).predict(df)`` does; by its number for arrays. The oracle: the row and
column where the test itself put the value, and the DataFrame's own column name there."""

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")
pd = pytest.importorskip("pandas")

import glassnet  # noqa: E402

NAMES = ["mean radius", "mean texture", "mean perimeter", "mean area"]


def _data(rng, n=30):
    X = pd.DataFrame(rng.normal(size=(n, len(NAMES))), columns=NAMES)
    y = (X["mean radius"] + X["mean area"] > 0).astype(int)
    return X, y


def _estimator(kind):
    cls = glassnet.MLPClassifier if kind == "classifier" else glassnet.MLPRegressor
    return cls(hidden_layer_sizes=(3,), max_iter=2, random_state=0)


def _call(est, method, X, y):
    classes = {"classes": np.array([0, 1])} if isinstance(est, glassnet.MLPClassifier) else {}
    calls = {
        "fit": lambda: est.fit(X, y),
        "partial_fit": lambda: est.partial_fit(X, y, **classes),
        "predict": lambda: est.predict(X),
        "predict_proba": lambda: est.predict_proba(X),
        "score": lambda: est.score(X, y),
    }
    return calls[method]()


@pytest.fixture
def fitted(rng):
    X, y = _data(rng)
    fits = {}
    for kind in ("classifier", "regressor"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # two epochs do not converge
            fits[kind] = _estimator(kind).fit(X, y)
    return X, y, fits


METHODS = ["fit", "partial_fit", "predict", "predict_proba", "score"]
CELLS = [(5, 3, np.nan, "NaN"), (0, 0, np.inf, "inf"), (29, 2, -np.inf, "-inf")]


@pytest.mark.parametrize(("row", "col", "value", "text"), CELLS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_a_dataframe_names_the_column_by_name(fitted, kind, method, row, col, value, text):
    X, y, fits = fitted
    if kind == "regressor" and method == "predict_proba":
        pytest.skip("a regressor has no predict_proba")
    bad = X.copy()
    bad.iloc[row, col] = value
    name = bad.columns[col]  # the oracle: the name pandas has there
    with pytest.raises(ValueError) as info:
        _call(fits[kind], method, bad, y)
    assert str(info.value) == f"X has a non-finite value {text} at row {row}, column {name!r}"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_an_array_names_the_column_by_number(rng, kind, method):
    X, y = _data(rng)
    X, y = X.to_numpy(), y.to_numpy()
    if kind == "regressor" and method == "predict_proba":
        pytest.skip("a regressor has no predict_proba")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = _estimator(kind).fit(X, y)
    bad = X.copy()
    bad[5, 3] = np.nan
    with pytest.raises(ValueError, match=r"^X has a non-finite value NaN at row 5, column 3$"):
        _call(est, method, bad, y)


def test_a_fresh_fit_on_an_array_forgets_the_names(fitted):
    """A refit on an array after a DataFrame fit: the names are gone, so the number is
    given (not a stale name)."""
    X, y, fits = fitted
    bad = X.to_numpy().copy()
    bad[2, 1] = np.inf
    with pytest.raises(ValueError, match=r"^X has a non-finite value inf at row 2, column 1$"):
        fits["classifier"].fit(bad, y.to_numpy())


def test_the_estimator_and_the_saved_model_say_the_same(fitted, tmp_path):
    X, y, fits = fitted
    path = tmp_path / "m.npz"
    fits["classifier"].save(path)
    bad = X.copy()
    bad.iloc[4, 2] = np.nan
    said = []
    for predict in (fits["classifier"].predict, glassnet.load(path).predict):
        with pytest.raises(ValueError) as info:
            predict(bad)
        said.append(str(info.value))
    assert said[0] == said[1] == "X has a non-finite value NaN at row 4, column 'mean perimeter'"
