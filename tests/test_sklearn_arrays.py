"""The fast paths of scikit-learn's data checks (glassnet.sklearn.arrays) against
scikit-learn's own checks, and the remembered valid settings (glassnet.sklearn.settings)."""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data

import glassnet
from glassnet.sklearn import arrays, settings

RNG = np.random.default_rng(0)
X64 = RNG.normal(size=(30, 3))


class Probe(BaseEstimator):
    """An estimator to validate data on (its attributes are what the checks set)."""


def _outcome(check, *args):
    """What ``check`` does: its result (or error type and message) and its warnings."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            result = check(*args)
            error = None
        except (ValueError, TypeError, FloatingPointError) as exc:
            result, error = None, (type(exc), str(exc))
    return result, error, [str(w.message) for w in seen]


LABELS = {
    "int binary": np.tile([3, 7], 15),
    "int multiclass": np.arange(30) % 4,
    "bool": np.arange(30) % 2 == 0,
    "uint8": (np.arange(30) % 3).astype(np.uint8),
    "many classes (warns)": np.arange(30),
    "many classes, 20 rows": np.arange(20),
    "integral floats": (np.arange(30) % 2).astype(float),
    "real floats": np.linspace(0, 1, 30),
    "float with nan": np.r_[np.zeros(29), np.nan],
    "strings": np.array(["a", "b", "c"] * 10),
    "objects": np.array([1, "b", 2.5] * 10, dtype=object),
    "list": [0, 1] * 15,
    "column": (np.arange(30) % 2)[:, None],
    "indicator": np.eye(3, dtype=int)[np.arange(30) % 3],
    "one label": np.zeros(30, dtype=int),
    "empty": np.zeros(0, dtype=int),
}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_class_labels_checked_as_scikit_learn_checks_them(name):
    y = LABELS[name]
    _, expected_error, expected_warnings = _outcome(check_classification_targets, y)
    _, error, warned = _outcome(arrays.check_class_labels, y)
    assert error == expected_error
    assert warned == expected_warnings


FEATURES = {
    "float64": X64,
    "float32": X64.astype(np.float32),
    "fortran": np.asfortranarray(X64),
    "int": np.arange(90).reshape(30, 3),
    "float16": X64.astype(np.float16),
    "with nan": np.where(X64 > 1.5, np.nan, X64),
    "list": X64.tolist(),
    "1-d": X64[:, 0],
    "no columns": np.zeros((30, 0)),
    "3-d": X64.reshape(30, 3, 1),
}
TARGETS = {
    "int": np.arange(30) % 2,
    "float": np.linspace(0, 1, 30),
    "float with inf": np.r_[np.zeros(29), np.inf],
    "too short": np.arange(29) % 2,
    "strings": np.array(["a", "b"] * 15),
    "column": (np.arange(30) % 2)[:, None],
}


@pytest.mark.parametrize("reset", [True, False])
@pytest.mark.parametrize("x_name", sorted(FEATURES))
@pytest.mark.parametrize("y_name", sorted(TARGETS))
def test_fit_data_is_validate_data(x_name, y_name, reset):
    X, y = FEATURES[x_name], TARGETS[y_name]
    ours, theirs = Probe(), Probe()
    for est in (ours, theirs):  # fitted before on a table with column names
        est.n_features_in_, est.feature_names_in_ = 3, np.array(["a", "b", "c"], dtype=object)

    def sklearn_check(X, y):
        return validate_data(
            theirs, X, y, reset=reset, dtype=(np.float64, np.float32), multi_output=True,
            accept_sparse=["csr", "csc"], ensure_all_finite=False,
        )  # fmt: skip

    expected, expected_error, expected_warnings = _outcome(sklearn_check, X, y)
    result, error, warned = _outcome(lambda X, y: arrays.fit_data(ours, X, y, reset), X, y)
    assert (error, warned) == (expected_error, expected_warnings)
    assert vars(ours).keys() == vars(theirs).keys()
    assert ours.n_features_in_ == theirs.n_features_in_
    if expected is not None:
        for mine, sk in zip(result, expected, strict=True):
            assert type(mine) is type(sk) and mine.dtype == sk.dtype
            np.testing.assert_array_equal(mine, sk)
            assert mine.flags.f_contiguous == sk.flags.f_contiguous


def test_plain_arrays_are_passed_through_unchanged():
    y = np.arange(30) % 2
    X_out, y_out = arrays.fit_data(Probe(), X64, y, reset=True)
    assert X_out is X64 and y_out is y  # as validate_data returns them (no copy)


@pytest.mark.parametrize(
    "valid, invalid",
    [
        ({"early_stopping": True}, {"early_stopping": 1}),  # 1 == True, but not a boolean
        ({"max_iter": 3}, {"max_iter": 3.0}),  # 3 == 3.0, but not an integer
        ({"hidden_layer_sizes": (3,)}, {"hidden_layer_sizes": (0,)}),
        ({"alpha": 1e-4}, {"alpha": -1e-4}),
        ({"batch_size": 10}, {"batch_size": 0}),
    ],
)
def test_remembered_settings_never_let_an_invalid_one_pass(valid, invalid):
    X, y = X64, np.arange(30) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (too few iterations to converge)
        for _ in range(2):  # the second time the settings are remembered
            glassnet.MLPClassifier(**{"max_iter": 2, **valid}).fit(X, y)
    with pytest.raises((InvalidParameterError, ValueError)):
        glassnet.MLPClassifier(**{"max_iter": 2, **invalid}).fit(X, y)


def test_settings_are_checked_once_per_distinct_settings(monkeypatch):
    calls = []
    monkeypatch.setattr(settings, "_check", lambda est, params: calls.append(params))
    monkeypatch.setattr(settings, "_VALID", set())
    est = glassnet.MLPClassifier(hidden_layer_sizes=(4,), max_iter=5)
    settings.check_settings(est)
    settings.check_settings(glassnet.MLPClassifier(hidden_layer_sizes=(4,), max_iter=5))
    assert len(calls) == 1 and calls[0] == est.get_params(deep=False)
    settings.check_settings(glassnet.MLPClassifier(hidden_layer_sizes=(4.0,), max_iter=5))
    settings.check_settings(glassnet.MLPClassifier(hidden_layer_sizes=[4], max_iter=5))
    settings.check_settings(glassnet.MLPClassifier(hidden_layer_sizes=[4], max_iter=5))
    assert len(calls) == 4  # (4.0,) differs from (4,); a list cannot be remembered
