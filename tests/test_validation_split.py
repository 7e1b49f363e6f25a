"""NU10 #11b: ``early_stopping``'s validation split is refused, or not, exactly where
scikit-learn's MLP refuses it (the oracle: the same settings on the same data), and the
error names the estimator's own parameters, never an internal function's (``test_size``,
``train_size`` of ``train_test_split``, the "least populated class" of its stratified
splitter)."""

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn import neural_network as sk  # noqa: E402

from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402

PAIRS = {
    "classifier": (MLPClassifier, sk.MLPClassifier),
    "regressor": (MLPRegressor, sk.MLPRegressor),
}
INTERNALS = ("test_size", "train_size", "n_samples", "least populated", "train_test_split")


def _data(kind, n, classes=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    if kind == "regressor":
        return X, X[:, 0] + 0.1 * X[:, 1]
    if kind == "multilabel":
        return X, (X[:, :2] > 0).astype(int)
    return X, np.arange(n) % classes  # every class as even as n allows


def _outcome(cls, X, y, **kw):
    """None when the fit runs, else the error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning after 2 epochs
            cls(hidden_layer_sizes=(3,), max_iter=2, random_state=0, **kw).fit(X, y)
    except ValueError as exc:
        return exc
    return None


CASES = [  # (kind, rows, classes, validation_fraction)
    ("classifier", 40, 2, 0.0),
    ("regressor", 40, 1, 0.0),
    ("classifier", 40, 2, 0.001),  # 1 validation row, 2 classes
    ("classifier", 40, 3, 0.05),  # 2 validation rows, 3 classes: a plain split
    ("classifier", 40, 2, 0.025),  # 1 validation row, 2 classes
    ("regressor", 40, 1, 0.001),  # 1 validation row: no R^2
    ("regressor", 40, 1, 0.05),  # 2: enough
    ("multilabel", 40, 2, 0.02),  # 1 validation row, not stratified
    ("multilabel", 40, 2, 0.05),
    ("classifier", 40, 2, 0.99),  # no training row
    ("regressor", 40, 1, 0.99),
    ("regressor", 40, 1, 0.975),  # 1 training row: enough
    ("classifier", 40, 2, 0.96),  # 1 training row, 2 classes
    ("classifier", 40, 4, 0.925),  # 3 training rows, 4 classes: a plain split
    ("classifier", 40, 2, 0.95),  # 2 training rows, 2 classes: enough
    ("classifier", 7, 2, 0.5),
    ("regressor", 3, 1, 0.5),
    ("regressor", 2, 1, 0.5),
]


@pytest.mark.parametrize(("kind", "n", "classes", "fraction"), CASES)
def test_a_split_is_refused_where_scikit_learn_refuses_it_and_names_our_parameters(
    kind, n, classes, fraction
):
    ours, theirs = PAIRS["regressor" if kind == "regressor" else "classifier"]
    X, y = _data(kind, n, classes)
    kw = {"early_stopping": True, "validation_fraction": fraction}
    expected, got = _outcome(theirs, X, y, **kw), _outcome(ours, X, y, **kw)
    assert (got is None) == (expected is None), (expected, got)
    if got is not None:
        text = str(got)
        assert "'validation_fraction' parameter of " + ours.__name__ in text
        assert "early_stopping=True" in text
        assert not any(word in text for word in INTERNALS), text


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_zero_validation_fraction_says_how_to_train_on_every_row(kind):
    ours, _ = PAIRS[kind]
    X, y = _data(kind, 30)
    with pytest.raises(ValueError, match=r"is 0\.0: it holds out no rows.*early_stopping=False"):
        ours(early_stopping=True, validation_fraction=0.0, max_iter=2).fit(X, y)
    ours(early_stopping=False, validation_fraction=0.0, max_iter=2).fit(X, y)  # all rows
    lbfgs = ours(solver="lbfgs", early_stopping=True, validation_fraction=0.0, max_iter=2)
    lbfgs.fit(X, y)  # lbfgs ignores early_stopping, as in scikit-learn
    est = ours(early_stopping=True, validation_fraction=0.0, max_iter=2)
    with pytest.warns(UserWarning, match="partial_fit ignores early_stopping=True"):
        est.partial_fit(X, y, **({"classes": [0, 1]} if kind == "classifier" else {}))


@pytest.mark.parametrize(
    ("fraction", "shown", "rows_left"),
    [(0.001, "raise it to at least 0.0667", None), (0.95, "lower it to at most 0.9333", 1)],
)
def test_the_message_gives_a_fraction_that_works(fraction, shown, rows_left):
    X, y = _data("classifier", 30, 2)
    kw = {"early_stopping": True, "max_iter": 2}
    with pytest.raises(ValueError, match=shown) as error:
        MLPClassifier(validation_fraction=fraction, **kw).fit(X, y)
    if rows_left is not None:
        assert f"leaving {rows_left} to train on, fewer than the 2 classes" in str(error.value)
    works = float(shown.rsplit(" ", 1)[1])
    est = MLPClassifier(validation_fraction=works, **kw).fit(X, y)
    assert len(est.validation_scores_) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning
        sk.MLPClassifier(validation_fraction=works, **kw).fit(X, y)  # scikit-learn takes it


@pytest.mark.parametrize("label", [7, "rare"])
def test_a_class_of_one_row_is_named_for_two_classes(label):
    X, _ = _data("classifier", 30, 2)
    y = np.where(np.arange(30) == 4, label, "common" if label == "rare" else 0)
    with pytest.raises(ValueError) as theirs:
        sk.MLPClassifier(early_stopping=True, max_iter=2).fit(X, y)
    assert "least populated class" in str(theirs.value)  # scikit-learn's internal words
    match = f"at least 2 rows of every class; class {label!r} has 1"
    with pytest.raises(ValueError, match=match):
        MLPClassifier(early_stopping=True, max_iter=2).fit(X, y)
    MLPClassifier(early_stopping=False, max_iter=2).fit(X, y)  # no split, no need


def test_more_classes_fall_back_to_a_plain_split_as_scikit_learn_splits_them():
    X, y = _data("classifier", 30, 3)
    y = np.where(np.arange(30) == 4, 9, y)  # label 9: one row
    kw = {"early_stopping": True, "max_iter": 2, "random_state": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning
        sk.MLPClassifier(**kw).fit(X, y)  # scikit-learn never stratifies more than 2 classes
    est = MLPClassifier(**kw).fit(X, y)
    assert len(est.validation_scores_) == 2
    from sklearn.model_selection import train_test_split

    from glassnet.sklearn.fitting import run_seed, split_rows

    codes = np.searchsorted(est.classes_, y)
    _, val = split_rows(est, 30, codes, run_seed(0), False)
    plain = train_test_split(np.arange(30), test_size=0.1, random_state=run_seed(0))[1]
    np.testing.assert_array_equal(val, np.sort(plain))
    y = np.arange(30) % 3  # stratifiable: stratified, as before
    _, val = split_rows(est, 30, y, run_seed(0), False)
    assert sorted(np.bincount(y[val])) == [1, 1, 1]


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_a_refused_split_leaves_a_fresh_estimator_without_a_network(kind):
    ours, _ = PAIRS[kind]
    X, y = _data(kind, 30)
    est = ours(early_stopping=True, validation_fraction=0.0, max_iter=2)
    with pytest.raises(ValueError):
        est.fit(X, y)
    assert not hasattr(est, "coefs_") and not hasattr(est, "network_")


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_partial_fit_says_it_ignores_early_stopping(kind):
    ours, theirs = PAIRS[kind]
    X, y = _data(kind, 40)
    extra = {"classes": [0, 1]} if kind == "classifier" else {}
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
        theirs(early_stopping=True).partial_fit(X, y, **extra)  # scikit-learn refuses it
    est = ours(hidden_layer_sizes=(3,), early_stopping=True, random_state=0)
    with pytest.warns(UserWarning, match=rf"^{ours.__name__}\.partial_fit ignores early_stop"):
        est.partial_fit(X, y, **extra)
    plain = ours(hidden_layer_sizes=(3,), random_state=0).partial_fit(X, y, **extra)
    np.testing.assert_array_equal(est.coefs_[0], plain.coefs_[0])  # every row, as without
    assert est.validation_scores_ == [] and est.n_iter_ == 1
