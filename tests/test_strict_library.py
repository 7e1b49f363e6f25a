"""The library and the estimators are strict about missing values, as scikit-learn is: a
missing feature cell given to ``Model.predict`` or a missing target given to an estimator is
one error naming the column and the row; ``impute=True`` asks for the CLI's filling."""

import warnings

import numpy as np
import pytest

from glassnet.core.validation import DataError
from glassnet.data.cell_counts import FilledCellWarning
from glassnet.data.encoding import fit_encoding
from glassnet.data.frames import Frame

pd = pytest.importorskip("pandas")


def _model(rng, frame_df):
    from glassnet.core.network import Network
    from glassnet.data.preprocessing import Standardizer
    from glassnet.files.modelfile import Model

    encoding = fit_encoding(Frame(frame_df, "train"))
    d = len(encoding.feature_names())
    net = Network.mlp([d, 5, 3], "tanh", "softmax", "mean")
    return Model(net, net.init(rng), np.array(["a", "b", "c"]),
                 Standardizer(np.zeros(d), np.ones(d)), encoding.feature_names(),
                 encoding=encoding)  # fmt: skip


@pytest.fixture
def train(rng):
    n = 40
    return pd.DataFrame({
        "x": rng.normal(size=n),
        "k": rng.integers(0, 9, n).astype(float),
        "colour": rng.choice(["red", "green"], n),
        "gap": np.where(np.arange(n) % 5 == 0, np.nan, rng.normal(size=n)),  # missing in training
    })  # fmt: skip


@pytest.mark.parametrize(
    ("column", "row", "cell"),
    [("x", 2, np.nan), ("k", 0, np.nan), ("colour", 3, None), ("gap", 4, np.nan),
     ("colour", 1, np.nan), ("x", 5, None)],
)
@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_predict_is_strict_and_imputes_when_asked(rng, train, column, row, cell, method):
    model = _model(rng, train)
    new = train.dropna().iloc[:8].reset_index(drop=True)
    new = new.astype({column: object}) if cell is None else new
    new.loc[row, column] = cell
    with pytest.raises(DataError, match=rf"column '{column}' has a missing value at row {row}; "
                                         r"impute=True fills"):  # fmt: skip
        getattr(model, method)(new)
    # the oracle: the cell filled by hand with what training stored for it
    col = next(c for c in model.encoding.columns if c.name == column)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        filled = getattr(model, method)(new, impute=True)
    # a column with no missing cell in training: the fill is counted in one warning
    had_none = not train[column].isna().any()
    assert [str(w.message) for w in said] == (
        [f"1 missing cell filled (numbers with the training median, categories as all zeros) "
         f"in columns that had none in training ({column} 1)"] if had_none else []
    )  # fmt: skip
    assert all(issubclass(w.category, FilledCellWarning) for w in said)
    by_hand = new.copy()
    if col.kind == "numeric" and not col.indicator:
        by_hand[column] = by_hand[column].astype(float).fillna(col.fill)
        np.testing.assert_array_equal(filled, getattr(model, method)(by_hand))
    X = model.encoding.transform(Frame(new, "data")).X  # the CLI's filling, by the encoding
    np.testing.assert_array_equal(filled, getattr(model, method)(X))


def test_complete_rows_predict_the_same_either_way(rng, train):
    model = _model(rng, train)
    complete = train.dropna()
    np.testing.assert_array_equal(model.predict(complete), model.predict(complete, impute=True))


def test_numeric_arrays_with_nan_stay_errors(rng, train):
    model = _model(rng, train)
    X = model.encoding.transform(Frame(train, "t")).X
    X[3, 1] = np.nan
    with pytest.raises(DataError, match="non-finite value NaN at row 3"):
        model.predict(X, impute=True)  # impute is for tables; an array is taken as it is


sk = pytest.importorskip("sklearn")


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.array([0.5, np.nan, 1.0, 2.0] * 5), r"y has a missing value \(NaN\) at row 1;"),
        (np.array([0.5, 1.0, 2.0, np.inf] * 5), r"y has a non-finite value \(inf\) at row 3;"),
        (np.array([[0.5, 1], [1, 2], [2, np.nan], [1, 1]] * 5),
         r"y has a missing value \(NaN\) at row 2, column 1;"),
        ("Float64", r"y has a missing value \(NaN\) at row 2;"),
        ("object", r"y has a missing value \(NA\) at row 2;"),
    ],
)
def test_regressor_names_the_row_of_a_missing_target(rng, y, message):
    from glassnet.sklearn.estimators import MLPRegressor

    if isinstance(y, str):  # pandas' nullable floats; objects holding pandas' NA
        y = pd.Series([1.0, 2.0, pd.NA, 3.0] * 5, dtype=y)
    X = rng.normal(size=(20, 3))
    with pytest.raises(ValueError, match=message):
        MLPRegressor(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match=message):
        MLPRegressor(max_iter=2).partial_fit(X, y)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.array([0, 1, np.nan, 1] * 5), r"y has a missing value \(NaN\) at row 2;"),
        (np.array(["a", "b", None, "a"] * 5, dtype=object), r"missing value \(None\) at row 2;"),
        (np.array(["a", np.nan, "b", "a"] * 5, dtype=object), r"missing value \(NaN\) at row 1;"),
    ],
)
def test_classifier_names_the_row_of_a_missing_label(rng, y, message):
    from glassnet.sklearn.estimators import MLPClassifier

    X = rng.normal(size=(20, 3))
    with pytest.raises(ValueError, match=message):
        MLPClassifier(max_iter=2).fit(X, y)
