"""DataFrame columns in another order: the estimators keep scikit-learn's contract (its own
error, checked against scikit-learn's MLP on the same frame) with glassnet's hint added,
while a glassnet Model (``glassnet.load``, ``est.to_model()``) matches columns by name:
reordered columns work, missing ones are named, extra ones are ignored."""

import re
import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")
pd = pytest.importorskip("pandas")

from sklearn import neural_network as sk  # noqa: E402

import glassnet  # noqa: E402
from glassnet.data.tables import DataError  # noqa: E402
from glassnet.sklearn.column_order import REORDERED  # noqa: E402
from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402

NAMES = ["height", "weight", "age", "speed"]
PAIRS = [(MLPClassifier, sk.MLPClassifier), (MLPRegressor, sk.MLPRegressor)]
ORDERS = [NAMES[::-1], ["age", "height", "speed", "weight"], ["weight", "height", "age", "speed"]]


def _frame(n=80, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, len(NAMES))), columns=NAMES)
    return X, X["height"] - 0.5 * X["age"] + 0.1 * X["speed"]


def _fit(cls, X, y, **kw):
    target = (
        (y > 0).map({True: "up", False: "down"}) if cls in (MLPClassifier, sk.MLPClassifier) else y
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's ConvergenceWarning after few epochs
        return cls(hidden_layer_sizes=(5,), max_iter=5, random_state=0, **kw).fit(X, target)


def _same(got, expected):
    """Labels equal, or values equal to rounding (a Model's regressor output is 2-D)."""
    got, expected = np.ravel(got), np.ravel(expected)
    if got.dtype.kind in "OUS":
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def _their_message(est, method, X):
    with pytest.raises(ValueError) as theirs:
        getattr(est, method)(X)
    return str(theirs.value)


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
@pytest.mark.parametrize("order", ORDERS)
def test_an_estimator_refuses_reordered_columns_with_scikit_learns_error_and_a_hint(
    ours, theirs, order
):
    X, y = _frame()
    est, ref = _fit(ours, X, y, standardize=True), _fit(theirs, X, y)
    methods = ["predict", "score"] if ours is MLPRegressor else ["predict", "predict_proba"]
    for method in methods:
        args = (X[order], y) if method == "score" else (X[order],)
        with pytest.raises(ValueError) as ours_error:
            getattr(est, method)(*args)
        with pytest.raises(ValueError) as theirs_error:
            getattr(ref, method)(*args)
        text = str(ours_error.value)
        assert text.startswith(str(theirs_error.value)) and REORDERED in text
        assert "X[est.feature_names_in_]" in text and "est.to_model().predict(X)" in text
    # the hint's two ways out give the estimator's own predictions on the fitted order
    np.testing.assert_array_equal(est.predict(X[order][est.feature_names_in_]), est.predict(X))
    by_name = est.to_model().predict(X[order])
    _same(by_name, est.predict(X))


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_a_loaded_estimator_refuses_them_too_and_the_loaded_model_reads_them(
    ours, theirs, tmp_path
):
    X, y = _frame(seed=1)
    est = _fit(ours, X, y, standardize=True)
    est.save(tmp_path / "est.npz")
    model = glassnet.load(tmp_path / "est.npz")
    back = ours.from_model(model)
    Xr = X[X.columns[::-1]]
    with pytest.raises(ValueError, match=re.escape(REORDERED) + r"\nglassnet: .*to_model"):
        back.predict(Xr)
    _same(model.predict(Xr), est.predict(X))
    _same(model.predict(Xr), back.predict(X))


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_partial_fit_on_reordered_columns_gives_the_hint_without_the_model(ours, theirs):
    X, y = _frame(seed=2)
    target = (y > 0).astype(int) if ours is MLPClassifier else y
    kw = {"classes": [0, 1]} if ours is MLPClassifier else {}
    est = ours(hidden_layer_sizes=(4,), random_state=0).partial_fit(X, target, **kw)
    ref = theirs(hidden_layer_sizes=(4,), random_state=0).partial_fit(X, target, **kw)
    Xr = X[X.columns[::-1]]
    with pytest.raises(ValueError) as theirs_error:
        ref.partial_fit(Xr, target)
    with pytest.raises(ValueError) as ours_error:
        est.partial_fit(Xr, target)
    text = str(ours_error.value)
    assert text.startswith(str(theirs_error.value))
    assert "X[est.feature_names_in_]" in text and "to_model" not in text
    est.partial_fit(Xr[est.feature_names_in_], target)  # the hint's way out trains


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_other_name_mismatches_keep_scikit_learns_message_alone(ours, theirs):
    X, y = _frame(seed=3)
    est, ref = _fit(ours, X, y), _fit(theirs, X, y)
    for bad in (X.drop(columns="age"), X.rename(columns={"age": "years"}), X.assign(z=1.0)):
        assert _their_message(est, "predict", bad) == _their_message(ref, "predict", bad)


@pytest.mark.parametrize("ours", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("order", ORDERS)
def test_a_model_matches_columns_by_name(ours, order, tmp_path):
    X, y = _frame(seed=4)
    est = _fit(ours, X, y, standardize=True)
    est.save(tmp_path / "m.npz")
    model = glassnet.load(tmp_path / "m.npz")
    expected = model.predict(X.to_numpy())  # an array: by position, in fit's order
    _same(expected, est.predict(X))
    np.testing.assert_array_equal(model.predict(X[order]), expected)
    np.testing.assert_array_equal(model.predict_proba(X[order]), model.predict_proba(X))
    extra = X[order].assign(notes=7.0, id=np.arange(len(X)))
    np.testing.assert_array_equal(model.predict(extra), expected)  # extra columns ignored
    np.testing.assert_array_equal(model.predict(extra[["id", *order, "notes"]]), expected)


@pytest.mark.parametrize(
    ("dropped", "message"),
    [
        (["age"], "the data lacks the model's feature column 'age'$"),
        (["weight", "speed"], "the data lacks the model's feature columns 'weight', 'speed'$"),
        (NAMES[1:], "feature columns 'weight', 'age', 'speed'$"),
    ],
)
def test_a_model_names_the_missing_columns(dropped, message, tmp_path):
    X, y = _frame(seed=5)
    _fit(MLPRegressor, X, y).save(tmp_path / "m.npz")
    model = glassnet.load(tmp_path / "m.npz")
    with pytest.raises(DataError, match=message):
        model.predict(X.drop(columns=dropped)[::-1])
    with pytest.raises(DataError, match=message):  # an extra column does not stand in
        model.predict(X.drop(columns=dropped).assign(other=1.0))


def test_a_model_takes_an_array_by_position_and_checks_its_width(tmp_path):
    X, y = _frame(seed=6)
    est = _fit(MLPClassifier, X, y)
    est.save(tmp_path / "m.npz")
    model = glassnet.load(tmp_path / "m.npz")
    np.testing.assert_array_equal(model.predict(X.to_numpy()), est.predict(X))
    for width in (3, 5):
        A = np.zeros((4, width))
        with pytest.raises(DataError, match=f"the model expects 4 features, got {width}"):
            model.predict(A)
