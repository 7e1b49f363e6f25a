"""Targets the heads' ``Eo = Y - T`` is not the gradient for are refused at every public
entry that takes targets (NU13 #3): softmax rows that are not probability distributions,
logistic targets outside [0, 1]. The oracle: central differences of the loss the network
returns, which disagree with the returned gradient for exactly these targets (the
unchecked twin shows it) and agree for the targets still accepted (label-smoothed rows,
float32 rows)."""

from __future__ import annotations

import numpy as np
import pytest
from _entries import ENTRIES, WITH_TARGETS

import glassnet as gn
from glassnet.core.finite_differences import numerical_gradient
from glassnet.core.validation import DataError

RNG = np.random.default_rng(0)
X = RNG.standard_normal((12, 3))
SOFTMAX = gn.Network.mlp([3, 4, 3], activation="tanh", output="softmax", reduction="mean")
LOGISTIC = gn.Network.mlp([3, 4, 2], activation="tanh", output="logistic")
P_SOFT = SOFTMAX.init(np.random.default_rng(1))
P_LOG = LOGISTIC.init(np.random.default_rng(2))
ONE_HOT = np.eye(3)[np.arange(12) % 3]


def _with_row(T, row, values):
    T = T.copy()
    T[row] = values
    return T


BAD_SOFTMAX = {  # (T, the words of the error)
    "negated": (-ONE_HOT, "row 0, column 0"),
    "halved": (ONE_HOT * 0.5, "row 0 sums to 0.5, not 1"),
    "doubled": (ONE_HOT * 2, "row 0 sums to 2, not 1"),
    "one row halved": (_with_row(ONE_HOT, 7, [0.0, 0.5, 0.0]), "row 7 sums to 0.5"),
    "one negative, summing to 1": (_with_row(ONE_HOT, 5, [1.5, -0.5, 0.0]), "row 5, column 1"),
    "a zero row": (_with_row(ONE_HOT, 11, 0.0), "row 11 sums to 0"),
    "off by a thousandth": (_with_row(ONE_HOT, 3, [0.5, 0.501, 0.0]), "row 3 sums to 1.001"),
}
BAD_LOGISTIC = {
    "2": (np.full((12, 2), 2.0), r"value 2 \(above 1\) at row 0, column 0"),
    "-1": (np.full((12, 2), -1.0), r"value -1 \(negative\) at row 0, column 0"),
    "one above": (_with_row(np.zeros((12, 2)), 9, [0.0, 1.25]), "value 1.25 .* row 9, column 1"),
    "one below": (_with_row(np.ones((12, 2)), 4, [-1e-3, 1.0]), "value -0.001 .* row 4, column 0"),
}


def _gradient_matches(net, params, T):
    """Whether the unchecked seam's gradient of the first weights matches central
    differences of its loss (the oracle, independent of the head's derivation)."""
    W = [{k: v.copy() for k, v in p.items()} for p in params]
    _, grads = net._loss_and_grad(W, X, T)
    num = numerical_gradient(lambda: net._loss_and_grad(W, X, T)[0], W[0]["W"], 1e-6)
    return np.allclose(num, grads[0]["W"], rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("kind", [k for k in BAD_SOFTMAX if "summing to 1" not in k])
def test_the_refused_softmax_targets_are_those_whose_gradient_is_not_y_minus_t(kind):
    T, _ = BAD_SOFTMAX[kind]
    assert not _gradient_matches(SOFTMAX, P_SOFT, T)


@pytest.mark.parametrize("kind", ["negated", "one negative, summing to 1"])
def test_a_negative_softmax_target_gives_a_negative_cross_entropy(kind):
    """A cross-entropy of probability rows is never negative; with a negative target the
    loss the seam returns falls below zero (without bound: the logit of that column down)."""
    T, _ = BAD_SOFTMAX[kind]
    row = int(np.argwhere(T < 0)[0][0])
    column = int(np.argwhere(T[row] < 0)[0][0])
    far = [{k: v.copy() for k, v in p.items()} for p in P_SOFT]
    far[-1]["b"][0, column] -= 100.0
    loss = SOFTMAX._loss_and_grad(far, X[row : row + 1], T[row : row + 1])[0]
    assert loss < -10


@pytest.mark.parametrize("kind", list(BAD_LOGISTIC))
def test_logistic_targets_outside_the_unit_interval_give_a_negative_loss(kind):
    """A binary cross-entropy of targets in [0, 1] is never negative; outside, the loss
    the seam returns falls below zero along the logit of the bad value (without bound)."""
    T, _ = BAD_LOGISTIC[kind]
    row, column = (int(i) for i in np.argwhere((T < 0) | (T > 1))[0])
    far = [{k: v.copy() for k, v in p.items()} for p in P_LOG]
    far[-1]["b"][0, column] += 1e4 if T[row, column] > 1 else -1e4
    loss = LOGISTIC._loss_and_grad(far, X[row : row + 1], T[row : row + 1])[0]
    assert loss < 0


@pytest.mark.parametrize("entry", WITH_TARGETS)
@pytest.mark.parametrize("kind", list(BAD_SOFTMAX))
def test_every_entry_refuses_softmax_targets_that_are_not_distributions(entry, kind):
    T, words = BAD_SOFTMAX[kind]
    with pytest.raises(DataError, match=f"^T.*{words}.*probability distribution"):
        ENTRIES[entry](SOFTMAX, P_SOFT, X, T)


@pytest.mark.parametrize("entry", WITH_TARGETS)
@pytest.mark.parametrize("kind", list(BAD_LOGISTIC))
def test_every_entry_refuses_logistic_targets_outside_0_1(entry, kind):
    T, words = BAD_LOGISTIC[kind]
    with pytest.raises(DataError, match=rf"^T has a {words}; .*in \[0, 1\]"):
        ENTRIES[entry](LOGISTIC, P_LOG, X, T)


ACCEPTED_SOFTMAX = {
    "one-hot": ONE_HOT,
    "one-hot float32": ONE_HOT.astype(np.float32),
    "one-hot ints": ONE_HOT.astype(int),
    "one-hot bools": ONE_HOT.astype(bool),
    "label-smoothed": ONE_HOT * 0.9 + 0.1 / 3,
    "label-smoothed in float32": (ONE_HOT * np.float32(0.9) + np.float32(0.1 / 3)).astype(
        np.float32
    ),
    "smoothed in float32, then float64": (ONE_HOT * 0.8 + 0.2 / 3).astype(np.float32).astype(
        float
    ),
    "soft": np.random.default_rng(3).dirichlet(np.ones(3), size=12),
}


@pytest.mark.parametrize("kind", list(ACCEPTED_SOFTMAX))
def test_probability_rows_are_accepted_and_their_gradient_checks(kind):
    T = ACCEPTED_SOFTMAX[kind]
    assert gn.check_network(SOFTMAX, P_SOFT, X, T).verdict == "passed"
    loss, _ = SOFTMAX.loss_and_grad(P_SOFT, X, T)
    assert loss > 0
    assert _gradient_matches(SOFTMAX, P_SOFT, np.asarray(T, dtype=float))


LABELS = np.eye(2)[np.arange(12) % 2]


@pytest.mark.parametrize(
    "T", [np.zeros((12, 2)), np.ones((12, 2)), np.full((12, 2), 0.3), LABELS.astype(bool)]
)
def test_logistic_targets_in_the_unit_interval_are_accepted(T):
    assert gn.check_network(LOGISTIC, P_LOG, X, T).verdict == "passed"


def test_float32_rows_of_many_classes_are_accepted():
    n = 1000  # smoothed rows of 1000 classes, rounded to float32 value by value
    T = np.full((4, n), 0.1 / n) + 0.9 * np.eye(n)[:4]
    net = gn.Network.mlp([3, n], output="softmax")
    net.check_inputs(net.init(RNG), X[:4], T.astype(np.float32))


def test_fit_checks_logistic_values_once_and_names_the_row():
    y = np.zeros(12)
    y[6] = 2.0
    net = gn.Network.mlp([3, 4, 1], activation="tanh", output="logistic")
    with pytest.raises(DataError, match=r"^y has a value 2 \(above 1\) at row 6;"):
        gn.fit(net, net.init(RNG), X, y, gn.TrainConfig(epochs=1))
    with pytest.raises(DataError, match=r"^y has a value -1 \(negative\) at row 6"):
        gn.fit(net, net.init(RNG), X, np.where(y > 0, -1.0, 0.0), gn.TrainConfig(epochs=1))
    gn.fit(net, net.init(RNG), X, np.where(y > 0, 0.7, 0.0), gn.TrainConfig(epochs=1))


def test_the_steps_do_not_check_again(monkeypatch):
    """The check is made once per fit, of the data: the steps never check the targets."""
    import glassnet.train.inputs as inputs
    from glassnet.core import target_checks

    calls = []

    def counted(check):
        return lambda T, where="T": calls.append(where) or check(T, where)

    monkeypatch.setattr(inputs, "check_unit_interval", counted(target_checks.check_unit_interval))
    for head in (gn.LogisticBinaryCrossEntropy, gn.SoftmaxCrossEntropy):
        monkeypatch.setattr(head, "check_targets", lambda self, T, where="T": calls.append(T))
    net = gn.Network.mlp([3, 4, 1], activation="tanh", output="logistic")
    gn.fit(net, net.init(RNG), X, (np.arange(12) % 2).astype(float),
           gn.TrainConfig(epochs=3, batch_size=4))  # fmt: skip
    assert calls == ["y"]


def test_strict_array_api_targets_are_checked_too():
    xps = pytest.importorskip("array_api_strict")
    pytest.importorskip("array_api_compat")
    params = [{k: xps.asarray(v) for k, v in p.items()} for p in P_SOFT]
    with pytest.raises(DataError, match="row 7 sums to 0.5"):
        SOFTMAX.loss_and_grad(params, xps.asarray(X), xps.asarray(BAD_SOFTMAX["one row halved"][0]))
    with pytest.raises(DataError, match="row 5, column 1"):
        SOFTMAX.loss_and_grad(
            params, xps.asarray(X), xps.asarray(BAD_SOFTMAX["one negative, summing to 1"][0])
        )
    SOFTMAX.loss_and_grad(params, xps.asarray(X), xps.asarray(ACCEPTED_SOFTMAX["label-smoothed"]))
