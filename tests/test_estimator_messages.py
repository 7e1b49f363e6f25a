"""Errors of the estimators' methods name the user's own arguments, never an internal
operation ("'<=' not supported between 'int' and 'str'", "'str' object has no attribute
'classes'", ``np.int64(0)``): refused where scikit-learn's MLP refuses (the oracle), with
the argument, its value and what to do."""

import re
import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn import neural_network as sk  # noqa: E402

import glassnet  # noqa: E402
from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402


def _data(n=40, seed=0):
    X = np.random.default_rng(seed).normal(size=(n, 3))
    return X, (X[:, 0] > 0).astype(int)


def _quiet(f, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's ConvergenceWarning
        return f(*args, **kw)


@pytest.mark.parametrize("layer", ["a", 1.0, True, None, [0]])
def test_hidden_activations_refuses_a_layer_that_is_not_an_integer(layer):
    X, y = _data()
    est = MLPClassifier((5, 4), max_iter=3, random_state=0).fit(X, y)
    with pytest.raises(
        TypeError, match=r"layer must be an integer .*got " + re.escape(repr(layer))
    ):
        est.hidden_activations(X, layer=layer)


@pytest.mark.parametrize("layer", [0, np.int64(0), -2, np.int32(-2)])
def test_hidden_activations_takes_numpy_integers_as_the_layers_index(layer):
    X, y = _data()
    est = MLPClassifier((5, 4), max_iter=3, random_state=0).fit(X, y)
    by_hand = np.maximum(X @ est.coefs_[0] + est.intercepts_[0], 0)  # ReLU(X W0 + b0)
    np.testing.assert_allclose(est.hidden_activations(X, layer=layer), by_hand, rtol=1e-12)


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("given", ["est.npz", None, {"params": []}, 3])
def test_from_model_names_what_it_was_given_and_how_to_load_a_file(cls, given):
    with pytest.raises(TypeError) as error:
        cls.from_model(given)
    text = str(error.value)
    assert text.startswith(f"{cls.__name__}.from_model takes a glassnet Model, got ")
    assert type(given).__name__ in text
    assert text.endswith(f"{cls.__name__}.from_model(glassnet.load(path))")


def test_from_model_with_a_loaded_file_still_works(tmp_path):
    X, y = _data()
    est = MLPClassifier((3,), max_iter=3, random_state=0).fit(X, y)
    est.save(tmp_path / "m.npz")
    back = MLPClassifier.from_model(glassnet.load(tmp_path / "m.npz"))
    np.testing.assert_array_equal(back.predict(X), est.predict(X))


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_new_labels_after_a_fit_say_why_and_what_to_do(how):
    X, y = _data()
    y3 = np.where(X[:, 1] > 1, 2, y)  # a label the first fit never saw
    ours = MLPClassifier((3,), max_iter=3, random_state=0, warm_start=how == "warm_start")
    theirs = sk.MLPClassifier((3,), max_iter=3, random_state=0, warm_start=how == "warm_start")
    if how == "warm_start":
        ours.fit(X, y)
        _quiet(theirs.fit, X, y)
    else:
        ours.partial_fit(X, y, classes=[0, 1])
        theirs.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError):  # the oracle refuses too
        getattr(theirs, "fit" if how == "warm_start" else "partial_fit")(X, y3)
    with pytest.raises(ValueError) as error:
        getattr(ours, "fit" if how == "warm_start" else "partial_fit")(X, y3)
    text = str(error.value)
    assert text.startswith("y holds labels not in classes_: [2] (classes_ is [0, 1]: ")
    assert text.endswith("fit with warm_start=False to start afresh with y's classes)")
    MLPClassifier((3,), max_iter=3).fit(X, y3)  # a fresh fit takes the new classes


def test_partial_fits_first_classes_are_named_when_y_leaves_them():
    X, y = _data()
    with pytest.raises(ValueError, match=r"^y holds labels not in classes_: \[2\] "
                       r"\(partial_fit's classes=\[0, 1\]\)$"):  # fmt: skip
        MLPClassifier().partial_fit(X, np.where(X[:, 1] > 1, 2, y), classes=[0, 1])
    with pytest.raises(ValueError, match=r"partial_fit's classes=\['a'\] name 1$"):
        MLPClassifier().partial_fit(X, np.full(40, "a"), classes=["a"])


@pytest.mark.parametrize(("label", "shown"), [(1, "1"), (np.int64(3), "3"), ("up", "'up'")])
def test_one_class_is_shown_as_the_user_wrote_it(label, shown):
    X, _ = _data()
    y = np.full(40, label)  # scikit-learn's checks allow refusing it, with "class" said
    with pytest.raises(ValueError) as error:
        MLPClassifier(max_iter=2).fit(X, y)
    assert str(error.value).endswith(f"needs samples of at least 2 classes; got 1 class ({shown})")


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("nesterov", [True, False])
def test_momentum_one_is_refused_by_the_estimators_name_where_it_is_used(cls, nesterov):
    X, y = _data()
    kw = {"momentum": 1.0, "nesterovs_momentum": nesterov, "max_iter": 2}
    theirs = sk.MLPClassifier if cls is MLPClassifier else sk.MLPRegressor
    _quiet(theirs(solver="sgd", **kw).fit, X, y)  # scikit-learn takes it; glassnet's core not
    match = rf"^The 'momentum' parameter of {cls.__name__} is 1\.0: .* use e\.g\. 0\.99$"
    with pytest.raises(ValueError, match=match):
        cls(solver="sgd", **kw).fit(X, y)
    _quiet(cls(solver="adam", **kw).fit, X, y)  # adam has no use for it, as in scikit-learn
    _quiet(cls(solver="sgd", **{**kw, "momentum": 0.99}).fit, X, y)


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_momentum_one_is_ignored_by_lbfgs_as_scikit_learn_ignores_it(cls):
    X, y = _data()
    theirs = sk.MLPClassifier if cls is MLPClassifier else sk.MLPRegressor
    kw = {"solver": "lbfgs", "max_iter": 5, "random_state": 0}
    _quiet(theirs(momentum=1.0, **kw).fit, X, y)
    ours = _quiet(cls(momentum=1.0, **kw).fit, X, y)
    plain = _quiet(cls(**kw).fit, X, y)  # the default momentum: the same fit
    np.testing.assert_array_equal(ours.coefs_[0], plain.coefs_[0])
