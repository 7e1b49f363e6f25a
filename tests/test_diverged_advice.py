"""A diverging estimator fit says what to change in the estimator's own parameters
(``learning_rate_init``, and ``alpha`` when the L2 penalty alone explains it), not the
loop's generic "learning rate"."""

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn import neural_network as sk  # noqa: E402

from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402
from glassnet.train.loop import TrainingDiverged  # noqa: E402


def _data(kind, n=64):
    X = np.random.default_rng(0).normal(size=(n, 3))
    return X, (X[:, 0] > 0).astype(int) if kind is MLPClassifier else X[:, 0]


def _diverged(cls, X, y, **kw):
    est = cls(hidden_layer_sizes=(4,), max_iter=20, random_state=0, **kw)
    with pytest.raises(TrainingDiverged) as error:
        est.fit(X, y)
    assert all(np.isfinite(W).all() for W in est.coefs_)  # the last finite parameters kept
    return str(error.value)


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize(
    ("kw", "shown"),
    [
        ({"learning_rate_init": 1e308}, "1e+308"),
        ({"learning_rate_init": 2.0**40}, "1.09951e+12"),
        ({"learning_rate_init": 1e6, "solver": "sgd", "momentum": 0.0}, "1e+06"),
    ],
)
def test_a_too_large_learning_rate_is_named_by_its_parameter(cls, kw, shown):
    X, y = _data(cls)
    text = _diverged(cls, X, y, **kw)
    assert text.startswith("training diverged in epoch ")
    assert text.endswith(f"kept the parameters of epoch {text.split('epoch ')[2][0]}; "
                         f"try a smaller learning_rate_init (now {shown})")  # fmt: skip
    assert "alpha" not in text and "learning rate" not in text


def test_scikit_learn_cannot_train_with_that_rate_either():
    X, y = _data(MLPRegressor)
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # its overflows: warnings
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="non-finite parameter weights"):
            sk.MLPRegressor(hidden_layer_sizes=(4,), learning_rate_init=1e308, max_iter=20,
                            random_state=0).fit(X, y)  # fmt: skip


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize(
    ("kw", "shown"),
    [
        ({"alpha": 1e308}, "1e+308"),  # alpha * sum ||W||^2 overflows: the loss is inf
        # SGD's penalty step multiplies W by 1 - lr * alpha / batch = 1 - 0.01 * 1e4 / 8 = -11.5
        ({"alpha": 1e4, "solver": "sgd", "momentum": 0.0, "learning_rate_init": 0.01,
          "batch_size": 8}, "10000"),
    ],
)  # fmt: skip
def test_a_too_strong_penalty_names_alpha_too(cls, kw, shown):
    X, y = _data(cls)
    text = _diverged(cls, X, y, **kw)
    lr = kw.get("learning_rate_init", 0.001)
    assert text.endswith(
        f"try a smaller learning_rate_init (now {lr:g}) or alpha (now {shown}, a strong L2 penalty)"
    )


def test_a_penalty_step_below_two_trains():
    X, y = _data(MLPRegressor)
    # 1 - lr * alpha / batch = 1 - 0.01 * 100 / 8 = 0.875: the penalty shrinks W, stably
    kw = {"solver": "sgd", "momentum": 0.0, "learning_rate_init": 0.01, "batch_size": 8}
    est = MLPRegressor(hidden_layer_sizes=(4,), alpha=100.0, max_iter=20, random_state=0, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # not converged in 20 epochs
        est.fit(X, y)
    assert np.isfinite(est.loss_)


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize(
    "kw", [{"early_stopping": True}, {"score_initial": True}, {"solver": "sgd", "momentum": 0.0}]
)
def test_weights_that_overflow_when_the_epoch_is_scored_are_a_divergence(cls, kw):
    X, y = _data(cls)
    est = cls(hidden_layer_sizes=(4,), learning_rate_init=1e308, max_iter=3, random_state=0, **kw)
    with pytest.raises(FloatingPointError) as error:  # not NumPy's "overflow in dot"
        est.fit(X, y)
    assert type(error.value) is TrainingDiverged
    assert str(error.value).endswith("try a smaller learning_rate_init (now 1e+308)")
    assert all(np.isfinite(W).all() for W in est.coefs_)
