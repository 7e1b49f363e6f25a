"""The estimators start where scikit-learn's MLP starts, and so train as it does.

Oracle: scikit-learn itself. Its ``_init_coef`` (uniform ``±sqrt(6 / (n_in + n_out))``,
``±sqrt(2 / ...)`` for logistic units, weights then biases, layer by layer from
``check_random_state(random_state)``) gives the initial parameters; with the whole
training set in one batch (fewer than 200 rows: shuffling changes nothing but the order of a
sum) the two libraries' Adam runs then give the same ``loss_curve_`` and weights. (With
``epsilon`` negligible: glassnet's Adam adds it to ``sqrt(v_hat)`` as Kingma and Ba write
it, scikit-learn's to ``sqrt(v)``, with the bias correction in the rate; at the default
1e-8 the curves then differ by about 1e-6 relative.) Before
this, glassnet's estimators started from He-normal weights and zero biases and trained to
a ~25% higher loss on the digits in 40 epochs (0.208 against 0.166, 10 seeds).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

sk = pytest.importorskip("sklearn.neural_network")
from sklearn.datasets import load_wine, make_regression  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils import check_random_state  # noqa: E402

import glassnet  # noqa: E402
from glassnet.sklearn.initialization import init_bound, initial_params  # noqa: E402


def _sklearn_init(sizes, activation, seed, dtype):
    est = sk.MLPClassifier(activation=activation, random_state=seed)
    est._random_state = check_random_state(seed)
    return [est._init_coef(a, b, dtype) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", [0, 7])
def test_initial_parameters_are_scikit_learns(activation, dtype, seed):
    sizes = [5, 7, 4, 3]
    ours = initial_params(sizes, activation, seed, 123, dtype)
    theirs = _sklearn_init(sizes, activation, seed, dtype)
    for p, (W, b) in zip(ours, theirs, strict=True):
        assert p["W"].dtype == p["b"].dtype == dtype
        assert p["b"].shape == (1, len(b))
        np.testing.assert_array_equal(p["W"], W)
        np.testing.assert_array_equal(p["b"][0], b)


def test_the_bound_is_glorots_with_factor_2_for_logistic_units():
    assert init_bound(10, 6, "relu") == pytest.approx(0.61237244, rel=1e-8)  # sqrt(6/16)
    assert init_bound(10, 6, "logistic") == pytest.approx(0.35355339, rel=1e-8)  # sqrt(2/16)
    params = initial_params([300, 200], "tanh", None, 5, np.float64)
    a = np.sqrt(6 / 500)
    assert np.abs(params[0]["W"]).max() <= a and np.abs(params[0]["W"]).max() > 0.99 * a


def test_a_random_state_object_or_none_draws_from_the_run_seed():
    a = initial_params([3, 4, 2], "relu", np.random.RandomState(0), 11, np.float64)
    b = initial_params([3, 4, 2], "relu", None, 11, np.float64)
    c = initial_params([3, 4, 2], "relu", None, 12, np.float64)
    np.testing.assert_array_equal(a[0]["W"], b[0]["W"])
    assert not np.array_equal(b[0]["W"], c[0]["W"])


def _wine():
    X, y = load_wine(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize(
    ("activation", "hidden", "binary"),
    [("relu", (16,), False), ("tanh", (8, 5), False), ("logistic", (6,), True)],
)
def test_a_full_batch_adam_fit_follows_scikit_learns_curve(activation, hidden, binary):
    X, y = _wine()
    if binary:
        y = (y == 1).astype(int)
    kw = dict(hidden_layer_sizes=hidden, activation=activation, max_iter=12, alpha=1e-3,
              learning_rate_init=0.01, random_state=3, epsilon=1e-30)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = glassnet.MLPClassifier(**kw).fit(X, y)
        theirs = sk.MLPClassifier(**kw).fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_,
                    strict=True):  # fmt: skip
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-10)
    assert (ours.predict(X) == theirs.predict(X)).all()
    default = glassnet.MLPClassifier(**{**kw, "epsilon": 1e-8}).fit(X, y)  # eps's place
    np.testing.assert_allclose(default.loss_curve_, theirs.loss_curve_, rtol=1e-4)


def test_a_full_batch_regressor_follows_scikit_learns_curve():
    X, y = make_regression(n_samples=90, n_features=4, noise=2.0, random_state=1)
    y = y / y.std()
    kw = dict(hidden_layer_sizes=(10,), max_iter=15, learning_rate_init=0.01, random_state=2,
              epsilon=1e-30)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = glassnet.MLPRegressor(**kw, standardize_target=False).fit(X, y)
        theirs = sk.MLPRegressor(**kw).fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-7, atol=1e-9)
