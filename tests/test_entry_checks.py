"""Input checks at every public entry point, the core included: NaN, infinity and shapes
named with row and column; the training loop checks once and then steps unchecked."""

import numpy as np
import pytest

from glassnet.core.gradcheck import check_network
from glassnet.core.network import Network
from glassnet.core.validation import DataError


@pytest.fixture
def setup(rng):
    net = Network.mlp([3, 4, 2], "tanh")
    X = rng.normal(size=(6, 3))
    return net, net.init(rng), X, np.eye(2)[[0, 1, 0, 1, 1, 0]]


def _entry_points(net, params, T):
    return {
        "predict": lambda X: net.predict(params, X),
        "predict_proba": lambda X: net.predict_proba(params, X),
        "logits": lambda X: net.logits(params, X),
        "hidden_activations": lambda X: net.hidden_activations(params, X),
        "loss": lambda X: net.loss(params, X, T),
        "loss_and_grad": lambda X: net.loss_and_grad(params, X, T),
        "check_network": lambda X: check_network(net, params, X, T),
    }


@pytest.mark.parametrize(
    ("row", "col", "value", "text"),
    [(0, 0, np.nan, "NaN"), (3, 2, np.inf, "inf"), (5, 1, -np.inf, "-inf")],
)
@pytest.mark.parametrize(
    "entry",
    [
        "predict",
        "predict_proba",
        "logits",
        "hidden_activations",
        "loss",
        "loss_and_grad",
        "check_network",
    ],
)
def test_non_finite_inputs_are_named_by_row_and_column(setup, entry, row, col, value, text):
    net, params, X, T = setup
    X = X.copy()
    X[row, col] = value
    with pytest.raises(
        DataError, match=f"X has a non-finite value {text} at row {row}, column {col}"
    ):
        _entry_points(net, params, T)[entry](X)


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.zeros((4, 2)), "X has 2 features \\(columns\\), the network takes 3"),
        (np.zeros(3), "X must be 2-D"),
        (np.zeros((2, 3, 1)), "X must be 2-D"),
    ],
)
@pytest.mark.parametrize("entry", ["predict", "loss_and_grad", "check_network"])
def test_shapes_are_checked(setup, X, message, entry):
    net, params, _, T = setup
    with pytest.raises(DataError, match=message):
        _entry_points(net, params, T[: len(X)] if X.ndim == 2 else T)[entry](X)


def test_targets_weights_and_parameters_are_checked(setup):
    net, params, X, T = setup
    with pytest.raises(DataError, match=r"T must have shape \(6, 2\)"):
        net.loss_and_grad(params, X, T[:, :1])
    bad = T.copy()
    bad[4, 1] = np.nan
    with pytest.raises(DataError, match="T has a non-finite value NaN at row 4, column 1"):
        net.loss(params, X, bad)
    with pytest.raises(DataError, match=r"sample_weight must have shape \(6,\)"):
        net.loss_and_grad(params, X, T, np.ones(5))
    with pytest.raises(DataError, match="sample_weight holds negative values"):
        net.loss_and_grad(params, X, T, -np.ones(6))
    wrong = [dict(params[0]), {"W": params[1]["W"].T, "b": params[1]["b"]}]
    with pytest.raises(ValueError, match=r"layer 2 needs W \(4, 2\)"):
        net.predict(wrong, X)


def test_check_network_blames_the_data_not_the_gradients(setup):
    net, params, X, T = setup
    X[2, 1] = np.nan
    with pytest.raises(DataError, match="row 2, column 1"):
        check_network(net, params, X, T)


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_estimators_name_row_and_column(kind, rng):
    pytest.importorskip("sklearn")
    from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor

    X = rng.normal(size=(20, 3))
    y = (X[:, 0] > 0).astype(int)
    est = (MLPClassifier if kind == "classifier" else MLPRegressor)((3,), max_iter=2)
    bad = X.copy()
    bad[7, 2] = np.inf
    with pytest.raises(ValueError, match="row 7, column 2"):
        est.fit(bad, y)
    est.fit(X, y)
    with pytest.raises(ValueError, match="row 7, column 2"):
        est.predict(bad)


def test_the_loop_checks_its_data_once_and_steps_unchecked(setup, monkeypatch, rng):
    from glassnet.core.optimizers import SGD, Momentum
    from glassnet.train.loop import TrainConfig, fit

    net, params, _, _ = setup
    X, y = rng.normal(size=(40, 3)), rng.integers(0, 2, 40)
    calls = []
    original = Network.check_inputs
    monkeypatch.setattr(
        Network, "check_inputs", lambda self, *a, **k: calls.append(1) or original(self, *a, **k)
    )
    class Plain(Network):  # not exactly Network: the loop takes the portable, pure step
        pass

    pure = Plain(net.layers, net.activations, net.head)
    for model, optimizer in ((net, SGD(0.1)), (net, Momentum(0.1, 0.9)), (pure, SGD(0.1))):
        config = TrainConfig(epochs=3, batch_size=5, optimizer=optimizer)
        fit(model, params, X, y, config, val_rows=np.arange(30, 40), train_rows=np.arange(30))
    assert calls == []  # 3 runs x 3 epochs x 6 steps, scoring too: no per-step checks
    bad = X.copy()
    bad[11, 0] = np.nan
    with pytest.raises(DataError, match="row 11, column 0"):  # checked once, up front
        fit(net, params, bad, y, TrainConfig(epochs=1))
