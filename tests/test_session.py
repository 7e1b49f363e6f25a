"""Training advanced one step at a time: what each step descends (``Training.gradient``)."""

import numpy as np
import pytest

from glassnet.core.gradcheck import check_gradients
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD
from glassnet.data.batching import targets_for
from glassnet.data.datasets import make_moons
from glassnet.train.loop import TrainConfig, fit
from glassnet.train.session import Training


@pytest.fixture
def moons():
    X, t = make_moons(np.random.default_rng(5), 60, noise=0.2)
    return X, t


def _copy(params):
    return [{k: np.array(v) for k, v in p.items()} for p in params]


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("extra", ["plain", "weights", "alpha+weights", "weight_decay"])
def test_gradient_matches_central_differences_of_the_objective(moons, reduction, extra):
    """Full batch: the objective is known without the loop's help, so central differences
    of it (weighted loss plus the L2 term, scaled as the loop documents) are the oracle."""
    X, t = moons
    net = Network.mlp([2, 5, 2], "tanh", reduction=reduction)
    params = net.init(np.random.default_rng(0))
    w = None
    if "weights" in extra:  # integer weights, some zero
        w = np.random.default_rng(1).integers(0, 4, len(X)).astype(float)
    alpha = 0.3 if "alpha" in extra else 0.0
    decay = 0.05 if extra == "weight_decay" else 0.0
    cfg = TrainConfig(
        epochs=3, batch_size=None, optimizer=SGD(0.1), alpha=alpha, weight_decay=decay
    )
    training = Training(net, params, X, t, cfg, sample_weight=w)
    T = targets_for(net, t, np.float64)
    S = (w.sum() if w is not None else len(X)) if reduction == "mean" else 1.0
    scale = decay + alpha / S

    def objective(ps):
        l2 = 0.5 * scale * sum(np.sum(p["W"] ** 2) for p in ps)
        return net.loss(ps, X, T, w) + l2

    for _ in range(3):  # the gradient at each step's parameters, not only the first
        loss, grads = training.gradient()
        current = _copy(training.epoch.params)
        assert loss == pytest.approx(objective(current), rel=1e-12)
        report = check_gradients(objective, current, grads, rtol=1e-6, atol=1e-9)
        assert report.passed, report.format()
        training.step()


def test_each_minibatch_step_descends_the_reported_gradient(moons):
    """With plain SGD a step moves the parameters by exactly ``-lr * grads``: the gradient
    reported is the one the step used, on its own (shuffled, weighted) minibatch."""
    X, t = moons
    net = Network.mlp([2, 6, 2], "logistic", reduction="mean")
    params = net.init(np.random.default_rng(2))
    w = np.random.default_rng(3).uniform(0.2, 2.0, len(X))
    lr = 0.2
    cfg = TrainConfig(epochs=2, batch_size=16, optimizer=SGD(lr), alpha=0.1, seed=7)
    training = Training(net, params, X, t, cfg, sample_weight=w)
    losses = []
    while not training.done:
        loss, grads = training.gradient()
        before = _copy(training.epoch.params)
        losses.append(training.step())
        after = training.state.params if training.epoch is None else training.epoch.params
        for b, a, g in zip(before, after, grads, strict=True):
            for k in ("W", "b"):
                np.testing.assert_allclose(a[k], b[k] - lr * g[k], rtol=1e-12, atol=1e-15)
        assert losses[-1] == pytest.approx(loss, rel=1e-12)  # the mean loss, per sample
    assert len(losses) == 2 * 4  # 60 rows in batches of 16: four steps an epoch
    # asking for gradients changes nothing: the run equals fit's
    plain = fit(net, params, X, t, cfg, sample_weight=w)
    for a, b in zip(training.result().params, plain.params, strict=True):
        np.testing.assert_allclose(a["W"], b["W"], rtol=1e-12, atol=1e-15)
