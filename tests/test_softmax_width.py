"""A softmax output of one unit is refused where a network is built (NU14 #8).

Oracle: a one-unit softmax outputs exp(z)/exp(z) = 1 for every logit z, so its
cross-entropy against the only possible one-hot target is 0 and every gradient is 0:
such a network can never learn. Refusing it names the one-unit binary head instead.
"""

import numpy as np
import pytest

import glassnet as gn
from glassnet.core.activations import get_activation
from glassnet.core.layers import Dense
from glassnet.core.losses import get_head
from glassnet.core.network import Network
from glassnet.files.model import Model
from glassnet.files.modelfile import ModelFileError, load_model, save_model

MESSAGE = "softmax needs at least 2 output units; use output='logistic' for one"


@pytest.mark.parametrize(
    "sizes", [[2, 3, 1], [2, 1], [5, 4, 4, 1], [1, 1]], ids=["hidden", "no hidden", "deep", "1-1"]
)
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_mlp_refuses_a_one_unit_softmax(sizes, reduction):
    with pytest.raises(ValueError, match=MESSAGE.replace("(", r"\(")):
        Network.mlp(sizes, output="softmax", reduction=reduction)


def test_the_constructor_refuses_it_too():
    layers = (Dense(2, 3), Dense(3, 1))
    with pytest.raises(ValueError, match="softmax needs at least 2 output units"):
        Network(layers, (get_activation("tanh"),), get_head("softmax", "mean"))


@pytest.mark.parametrize(
    ("sizes", "output"),
    [([2, 3, 2], "softmax"), ([2, 2], "softmax"), ([2, 3, 1], "logistic"), ([2, 3, 1], "identity")],
)
def test_the_heads_that_can_learn_are_still_built(sizes, output):
    net = Network.mlp(sizes, output=output)
    assert net.sizes == sizes


def test_the_one_unit_softmax_could_not_learn():
    """Why it is refused: with the check bypassed its loss and gradients are exactly 0."""
    rng = np.random.default_rng(0)
    net = object.__new__(Network)  # built without __post_init__
    object.__setattr__(net, "layers", (Dense(2, 3), Dense(3, 1)))
    object.__setattr__(net, "activations", (get_activation("tanh"),))
    object.__setattr__(net, "head", get_head("softmax", "sum"))
    params = net.init(rng)
    X = rng.normal(size=(7, 2))
    loss, grads = net.loss_and_grad(params, X, np.ones((7, 1)))
    assert loss == 0.0
    assert all(not np.any(g[k]) for g in grads for k in g)


def test_a_model_file_holding_one_fails_clearly(tmp_path, monkeypatch):
    """No glassnet command or estimator writes one (softmax only for 2+ classes); a
    file that holds one anyway is refused by load with one ModelFileError, while valid
    files keep loading."""
    rng = np.random.default_rng(1)
    good = Network.mlp([2, 3, 2], output="softmax")
    ok = load_model(save_model(Model(good, good.init(rng), np.array([0, 1])), tmp_path / "a.npz"))
    assert ok.net.sizes == [2, 3, 2]
    monkeypatch.setattr(Network, "__post_init__", lambda self: None)
    bad = Network.mlp([2, 3, 1], output="softmax")
    path = save_model(Model(bad, bad.init(rng), np.array([0])), tmp_path / "bad.npz")
    monkeypatch.undo()
    with pytest.raises(ModelFileError, match="softmax needs at least 2 output units"):
        load_model(path)
    with pytest.raises(ModelFileError):
        gn.load(path)
