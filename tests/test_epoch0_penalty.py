"""Epoch 0's training loss carries the L2 penalty as every trained epoch's does (NU13 #10),
so that the training curve, the best epoch and ``best_loss_`` compare like numbers.

Oracles: the penalty by hand from the initial weights (``weight_decay / 2 * sum ||W||^2``
per step; scikit-learn's ``alpha / (2 S) * sum ||W||^2`` per minibatch of summed weights
``S``, each taken per sample as the step's loss and averaged over the epoch's rows); and a
run whose rate is too small to move the weights, whose epoch 1 (the mean of its steps'
losses, penalty included) must then equal epoch 0 exactly as the loop computes it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

import glassnet as gn
from glassnet.cli.main import main
from glassnet.core.optimizers import SGD
from glassnet.train.history import History
from glassnet.train.lbfgs import fit_lbfgs

X, Y = make_classification(90, 4, n_informative=3, n_redundant=0, random_state=0)
W_SAMPLES = np.random.default_rng(1).uniform(0.2, 3.0, size=90)


def _squares(params):
    return sum(float(np.sum(p["W"] ** 2)) for p in params)


def _data_loss(net, params, rows=slice(None)):
    return net.loss(params, X[rows], np.eye(2)[Y[rows]])  # unweighted, "mean"


CASES = {  # (reduction, weight_decay, alpha, batch_size, weighted, the penalty per sample)
    "decay, mean": ("mean", 0.1, 0.0, 16, False, lambda q: 0.1 / 2 * q),
    "decay, full batch": ("mean", 0.3, 0.0, None, False, lambda q: 0.3 / 2 * q),
    # "sum": each step adds the whole penalty to a summed loss: per sample / m, 6 steps
    "decay, sum": ("sum", 0.1, 0.0, 15, False, lambda q: 6 * 0.1 / 2 * q / 90),
    # alpha / m per step of m rows, taken per sample: 5 steps of 18 rows
    "alpha": ("mean", 0.0, 2.0, 18, False, lambda q: 5 * 2.0 / (2 * 90) * q),
    "alpha, last batch short": ("mean", 0.0, 2.0, 40, False,
                                lambda q: 2 * (40 / 90) * 2.0 / 80 * q + (10 / 90) * 2.0 / 20 * q),
    "alpha and decay": ("mean", 0.05, 1.0, 30, False, lambda q: (0.05 / 2 + 3 * 1.0 / 180) * q),
    "alpha, weighted, full batch": ("mean", 0.0, 2.0, None, True,
                                    lambda q: 2.0 / (2 * W_SAMPLES.sum()) * q),
}  # fmt: skip


def _run(case, rate=0.05, epochs=2):
    reduction, decay, alpha, batch, weighted, _ = CASES[case]
    net = gn.Network.mlp([4, 5, 2], "tanh", reduction=reduction)
    params = net.init(np.random.default_rng(2))
    cfg = gn.TrainConfig(epochs=epochs, batch_size=batch, optimizer=SGD(rate),
                         weight_decay=decay, alpha=alpha, shuffle=False)  # fmt: skip
    w = W_SAMPLES if weighted else None
    return net, params, gn.fit(net, params, X, Y, cfg, sample_weight=w)


@pytest.mark.parametrize("case", list(CASES))
def test_epoch_0_is_the_data_loss_plus_the_penalty_by_hand(case):
    net, params, result = _run(case)
    penalty = CASES[case][-1](_squares(params))
    expected = _data_loss(gn.Network.mlp([4, 5, 2], "tanh", reduction="mean"), params) + penalty
    assert result.history.initial.loss == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("case", [c for c in CASES if "weighted" not in c])
def test_weights_that_do_not_move_give_epoch_1_the_loss_of_epoch_0(case):
    """Unweighted rows: epoch 1's loss (the mean of its steps', penalty included) at
    unmoved weights is the data loss plus the same penalty: epoch 0's."""
    _, _, result = _run(case, rate=1e-300, epochs=1)
    first, trained = result.history.initial.loss, result.history.records[0].loss
    assert trained == pytest.approx(first, rel=1e-12)


def test_without_a_penalty_epoch_0_is_the_data_loss():
    net = gn.Network.mlp([4, 5, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(2))
    result = gn.fit(net, params, X, Y, gn.TrainConfig(epochs=1, batch_size=16))
    assert result.history.initial.loss == pytest.approx(_data_loss(net, params), rel=1e-12)


def test_validation_loss_of_epoch_0_carries_no_penalty():
    net = gn.Network.mlp([4, 5, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(2))
    cfg = gn.TrainConfig(epochs=1, batch_size=16, weight_decay=0.5)
    result = gn.fit(net, params, X, Y, cfg, train_rows=np.arange(60), val_rows=np.arange(60, 90))
    first = result.history.initial
    assert first.val_loss == pytest.approx(_data_loss(net, params, slice(60, 90)), rel=1e-12)
    penalty = 0.5 / 2 * _squares(params)
    assert first.loss == pytest.approx(_data_loss(net, params, slice(0, 60)) + penalty, rel=1e-12)


def test_lbfgs_epoch_0_is_the_objective_at_the_start():
    net = gn.Network.mlp([4, 5, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(2))
    cfg = gn.TrainConfig(epochs=3, weight_decay=0.1, alpha=4.0)
    result = fit_lbfgs(net, params, X, Y, cfg)
    penalty = (0.1 + 4.0 / 90) / 2 * _squares(params)
    assert result.history.initial.loss == pytest.approx(_data_loss(net, params) + penalty,
                                                        rel=1e-12)  # fmt: skip
    assert result.history.lowest_epoch() != 0  # the objective fell


def test_a_falling_penalized_loss_has_its_best_epoch_after_0():
    """A strong decay whose penalty the steps cut fast: every trained epoch's loss is below
    the initialization's (penalty included), so the best epoch is not 0."""
    _, params, result = _run("decay, mean", rate=0.1, epochs=4)
    losses = [r.loss for r in result.history.rows()]
    assert all(later < losses[0] for later in losses[1:])
    assert result.history.lowest_epoch() == int(np.argmin(losses)) != 0


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("cls", ["MLPClassifier", "MLPRegressor"])
def test_estimators_best_epoch_agrees_with_best_loss_and_the_record_says_penalty(cls):
    Xs = (X - X.mean(0)) / X.std(0)
    y = Y if cls == "MLPClassifier" else Xs @ np.array([1.0, -2.0, 0.5, 3.0])
    est = getattr(gn, cls)((8,), alpha=30.0, max_iter=3, random_state=0, score_initial=True)
    est.fit(Xs, y)
    record = est.history_.as_dict()
    assert record["best_epoch"] != 0
    assert record["loss"][record["best_epoch"]] == pytest.approx(est.best_loss_)
    assert "alpha 30" in record["loss_penalty"] and "penalty" in record["loss_penalty"]
    assert History.from_dict(record).loss_penalty == record["loss_penalty"]
    est.partial_fit(Xs, y)  # a continued record keeps it
    assert est.history_.as_dict()["loss_penalty"] == record["loss_penalty"]
    plain = getattr(gn, cls)((8,), alpha=0.0, max_iter=2, random_state=0, score_initial=True)
    assert "loss_penalty" not in plain.fit(Xs, y).history_.as_dict()


def test_cli_weight_decay_without_validation_keeps_the_falling_curve(tmp_path, capsys):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(120, 4)), columns=list("abcd"))
    df["label"] = np.where(df.a - df.b > 0, "yes", "no")
    df.to_csv(tmp_path / "d.csv", index=False)
    def train(folder, epochs):
        return main(["train", "--data", str(tmp_path / "d.csv"), "--target", "label",
                     "--hidden", "8", "--epochs", epochs, "--weight-decay", "0.1",
                     "--val-fraction", "0", "--progress", "off",
                     "--out", str(tmp_path / folder / "model.npz")])  # fmt: skip

    assert train("init", "0") == 0  # the initialization, saved: its data loss and weights
    init = gn.load(tmp_path / "init" / "model.npz")
    start = json.loads((tmp_path / "init" / "history.json").read_text())
    capsys.readouterr()
    assert train("run", "3") == 0
    text = capsys.readouterr().out
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    data_loss = start["final"]["train"]["loss"]  # the initialization, scored without it
    assert history["loss"][0] == pytest.approx(data_loss + 0.05 * _squares(init.params),
                                               rel=1e-9)  # fmt: skip
    assert history["best_epoch"] == 3 and history["loss"][3] < history["loss"][0]
    assert "at epoch 0" not in text and "loss_penalty" in history
