"""A population's epoch 0 carries each member's own L2 penalty, as its trained epochs' training
losses do (and as a single run's epoch 0 does since NU13 #10): ``glassnet sweep
--weight-decay`` and ``glassnet train --ensemble K --weight-decay``; their ``history.json``,
``best.npz``'s record and ``loss.png`` say which losses carry it. Without weight decay
nothing changes.

Oracles: the penalty by hand from each member's initial weights (``weight_decay / 2 *
sum ||W||^2`` per step, taken per sample as the step's loss and averaged over the epoch's
rows: :func:`glassnet.train.epochs.epoch_penalty`'s docstring) plus the data loss of a
``"mean"`` network; a population whose rate is too small to move the weights, whose epoch 1
(its steps' losses, penalty included) must equal epoch 0; the single run that reproduces a
sweep's best member."""

from __future__ import annotations

import json
import shlex

import numpy as np
import pytest
from sklearn.datasets import make_classification

import glassnet as gn
from glassnet.cli.ensemble import ensemble_model
from glassnet.cli.ensemble_report import loss_figure as ensemble_loss_figure
from glassnet.cli.main import main
from glassnet.cli.prepared import network, prepare
from glassnet.cli.run_setup import init_params
from glassnet.cli.sweep import Grid, run_sweep
from glassnet.cli.workflow import Recipe
from glassnet.core import population as pop
from glassnet.core.optimizers import SGD
from glassnet.data.batching import targets_for
from glassnet.data.preprocessing import loss_unit
from glassnet.train.population import Members, fit_population, initial_penalty

X, Y = make_classification(90, 4, n_informative=3, n_redundant=0, random_state=0)
R = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 10.0  # a regression target, far from unit scale


def _squares(params):
    """``sum_l ||W_l||^2`` of one member's parameters."""
    return sum(float(np.sum(p["W"] ** 2)) for p in params)


# (sizes, reduction, decays per member, batch size, the penalty per sample of squares q)
CASES = {
    "mean, minibatches": ([4, 5, 2], "mean", (0.1, 0.0, 0.3), 16, lambda d, q: d / 2 * q),
    "mean, full batch": ([4, 5, 2], "mean", (0.2, 0.05), None, lambda d, q: d / 2 * q),
    # "sum": each of the 6 steps adds the whole penalty to a summed loss: per sample / m
    "sum, 6 steps": ([4, 5, 2], "sum", (0.1, 0.4), 15, lambda d, q: 6 * d / 2 * q / 90),
    # a squared error of 3 columns, summed: per sample and per column, 4 steps (3 of 25)
    "sum, 3 columns": ([4, 6, 3], "sum", (0.1, 0.2), 25, lambda d, q: 4 * d / 2 * q / (90 * 3)),
}  # fmt: skip


def _population(case):
    sizes, reduction, decays, batch, _ = CASES[case]
    classify = sizes[-1] == 2
    net = gn.Network.mlp(sizes, "tanh", reduction=reduction,
                         output="softmax" if classify else "identity")  # fmt: skip
    y = Y if classify else np.column_stack([R, -R, 0.5 * R]) / 10
    members = Members(seeds=tuple(range(len(decays))), weight_decay=decays)
    params = pop.init_members(net, members.seeds)
    return net, y, members, params, batch


def _data_loss(sizes, params, y):
    """The data loss per sample (per element for a squared error), by a "mean" network."""
    classify = sizes[-1] == 2
    mean = gn.Network.mlp(sizes, "tanh", reduction="mean",
                          output="softmax" if classify else "identity")  # fmt: skip
    return mean.loss(params, X, np.eye(2)[y] if classify else y)


@pytest.mark.parametrize("case", list(CASES))
def test_each_members_penalty_is_its_own_decay_on_its_own_weights(case):
    net, _, members, params, batch = _population(case)
    config = gn.TrainConfig(epochs=1, batch_size=batch)
    got = initial_penalty(net, params, members, config, len(X))
    decays, by_hand = CASES[case][2], CASES[case][-1]
    expected = [by_hand(d, _squares(pop.member(params, k))) for k, d in enumerate(decays)]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[decays.index(min(decays))] < got[decays.index(max(decays))]


@pytest.mark.parametrize("case", list(CASES))
def test_weights_that_do_not_move_give_epoch_1_the_data_loss_plus_that_penalty(case):
    """Epoch 1 of a population at unmoved weights (the mean of its steps' losses, each with
    its penalty) is each member's data loss plus :func:`initial_penalty`."""
    net, y, members, params, batch = _population(case)
    config = gn.TrainConfig(epochs=1, batch_size=batch, optimizer=SGD(1e-300))
    result = fit_population(net, X, y, members, config, params=params)
    penalty = initial_penalty(net, params, members, config, len(X))
    data = [_data_loss(CASES[case][0], pop.member(params, k), y) for k in range(len(members))]
    np.testing.assert_allclose(result.loss[0], np.add(data, penalty), rtol=1e-12)


def test_the_config_decay_serves_members_that_set_none():
    net, _, _, params, _ = _population("mean, minibatches")
    members = Members(seeds=(0, 1, 2))
    got = initial_penalty(net, params, members, gn.TrainConfig(weight_decay=0.2), len(X))
    expected = [0.1 * _squares(pop.member(params, k)) for k in range(3)]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert not initial_penalty(net, params, members, gn.TrainConfig(), len(X)).any()


# The CLI's populations: each member's epoch 0 from its own initialization (seed) and decay


def _initial_by_hand(recipe, seeds, decays, y):
    """Each member's epoch-0 training loss by hand: the data loss of its initial weights on
    the training rows (a "mean" network) plus ``decay / 2 * sum ||W||^2``, as trained (a
    regressor's standardized); and its validation loss (no penalty), when there are rows."""
    data = prepare(X, y, recipe)
    net = network(data, recipe)
    splits = [(data["X"], data["y"]), data["validation"]]
    scored = [None if s is None else (data["scaler"].transform(s[0], np.float64),
                                      targets_for(net, np.asarray(s[1]), np.float64))
              for s in splits]  # fmt: skip
    train, val = [], []
    for seed, decay in zip(seeds, decays, strict=True):
        params = init_params(net, np.random.default_rng(seed), np.float64, None)
        train.append(net.loss(params, *scored[0]) + decay / 2 * _squares(params))
        val.append(np.nan if scored[1] is None else net.loss(params, *scored[1]))
    return np.array(train), np.array(val), data


SWEEPS = {  # (recipe's changes, grid's learning rates and weight decays)
    "decays, minibatches": ({"batch_size": 16}, (0.01,), (0.0, 0.1, 0.5)),
    "one decay, full batch, momentum": (
        {"batch_size": None, "optimizer": "momentum"},
        (0.01,),
        (0.3,),
    ),  # fmt: skip
    "two rates, nesterov": (
        {"batch_size": 25, "optimizer": "nesterov"},
        (0.01, 0.1),
        (0.2, 0.05),
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", list(SWEEPS))
def test_every_sweep_members_epoch_0_carries_its_own_penalty(case):
    changes, rates, decays = SWEEPS[case]
    recipe = Recipe(hidden=(5,), epochs=2, **changes)
    outcome = run_sweep(X, Y, recipe, Grid(rates, decays, seeds=2, hidden=((5,),)))
    result = outcome.curves[(5,)]
    m = result.members
    train, val, _ = _initial_by_hand(recipe, m.seeds, m.weight_decay, Y)
    np.testing.assert_allclose(result.initial["loss"], train, rtol=1e-12)
    np.testing.assert_allclose(result.initial["val_loss"], val, rtol=1e-12)  # without it
    best = outcome.rows[0]
    assert outcome.history.initial.loss == pytest.approx(train[best["member"]], rel=1e-12)
    penalized = best["weight_decay"] > 0
    assert bool(outcome.history.loss_penalty) == penalized
    assert bool(outcome.best.settings["history"].get("loss_penalty")) == penalized


ENSEMBLES = {  # (target, recipe's changes)
    "classifier, validation rows": (Y, {"weight_decay": 0.1, "batch_size": 16}),
    "classifier, every row trains": (Y, {"weight_decay": 0.3, "val_size": 0, "batch_size": 20}),
    "regressor, target units": (R, {"weight_decay": 0.05, "batch_size": None}),
}


@pytest.mark.parametrize("case", list(ENSEMBLES))
def test_every_ensemble_members_epoch_0_carries_the_penalty(case):
    y, changes = ENSEMBLES[case]
    recipe = Recipe(hidden=(6,), epochs=2, seed=3, patience=None, **changes)
    outcome = ensemble_model(X, y, recipe, 3)
    expected, val, data = _initial_by_hand(recipe, (3, 4, 5), [recipe.weight_decay] * 3, y)
    unit = loss_unit(data["target_scaler"])  # a regressor's record: in the targets' units
    np.testing.assert_allclose(outcome.result.initial["loss"], expected * unit, rtol=1e-12)
    if recipe.val_size:  # the validation loss carries none
        np.testing.assert_allclose(outcome.result.initial["val_loss"], val * unit, rtol=1e-12)
    record = outcome.result.as_dict()
    assert "L2 penalty" in record["loss_penalty"] and f"{recipe.weight_decay:g}" in record[
        "loss_penalty"]  # fmt: skip
    stored = outcome.model.settings["run"]["members"]
    assert [m["initial_loss"] for m in stored] == pytest.approx(list(expected * unit), rel=1e-12)


def test_an_ensemble_without_decay_scores_epoch_0_as_before():
    recipe = Recipe(hidden=(6,), epochs=2, seed=3)
    outcome = ensemble_model(X, Y, recipe, 2)
    expected, _, _ = _initial_by_hand(recipe, (3, 4), [0.0, 0.0], Y)
    np.testing.assert_allclose(outcome.result.initial["loss"], expected, rtol=1e-12)
    assert "loss_penalty" not in outcome.result.as_dict()
    labels = _legend_texts(ensemble_loss_figure(outcome.result))
    assert not any("penalty" in t for t in labels) and "median" in labels


def _legend_texts(fig):
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


@pytest.fixture
def figures(monkeypatch):
    """The figures the commands save, by file name."""
    import glassnet.files.fileio as fileio

    saved, save = {}, fileio.save_figure

    def keep(fig, path):
        saved[path.name] = fig
        return save(fig, path)

    monkeypatch.setattr(fileio, "save_figure", keep)
    return saved


MOONS = ["--dataset", "moons", "--n-samples", "120", "--hidden", "8", "--epochs", "3"]


@pytest.mark.parametrize("decay", ["0.1", "0.02,0.3", "0"])
def test_the_sweeps_files_say_which_losses_carry_the_penalty(tmp_path, capsys, figures, decay):
    out = tmp_path / "sw"
    assert main(["sweep", *MOONS, "--weight-decay", decay, "--out", str(out)]) == 0
    capsys.readouterr()
    history = json.loads((out / "history.json").read_text())
    best = gn.load(out / "best.npz")
    penalized = best.settings["weight_decay"] > 0
    legend = _legend_texts(figures["loss.png"])
    page = (out / "report.html").read_text()
    if penalized:
        assert "L2 penalty" in history["loss_penalty"]
        assert best.settings["history"]["loss_penalty"] == history["loss_penalty"]
        assert "training (with the L2 penalty)" in legend
        assert "initial training loss (epoch 0, with the L2 penalty)" in page
    else:
        assert "loss_penalty" not in history and "loss_penalty" not in best.settings["history"]
        assert "training" in legend and not any("penalty" in t for t in legend)
        assert "with the L2 penalty" not in page
    # the oracle: the single run the sweep names as reproducing best.npz, trained alone
    argv = shlex.split(history["sweep"]["train"])[2:]
    assert main(["train", *argv, "--progress", "off", "--out", str(tmp_path / "t" / "m.npz")]) == 0
    alone = json.loads((tmp_path / "t" / "history.json").read_text())
    assert history["loss"][0] == pytest.approx(alone["loss"][0], rel=1e-12)
    assert history.get("loss_penalty") == alone.get("loss_penalty")


@pytest.mark.parametrize("extra", [["--weight-decay", "0.3", "--val-fraction", "0"],
                                   ["--weight-decay", "0.1"], []])  # fmt: skip
def test_the_ensembles_files_say_which_losses_carry_the_penalty(tmp_path, capsys, figures, extra):
    out = tmp_path / "e" / "model.npz"
    assert main(["train", *MOONS, "--ensemble", "3", "--progress", "off", "--out", str(out),
                 *extra]) == 0  # fmt: skip
    capsys.readouterr()
    history = json.loads((out.parent / "history.json").read_text())
    legend = _legend_texts(figures["loss.png"])
    if extra:
        assert "L2 penalty" in history["loss_penalty"]
        assert "each member (with the L2 penalty)" in legend
    else:
        assert "loss_penalty" not in history and not any("penalty" in t for t in legend)
    # member 0 is the single run of its seed: epoch 0 too
    single = tmp_path / "s" / "model.npz"
    assert main(["train", *MOONS, "--progress", "off", "--out", str(single), *extra]) == 0
    alone = json.loads((single.parent / "history.json").read_text())
    assert history["loss"][0][0] == pytest.approx(alone["loss"][0], rel=1e-12)
    assert history["best_epoch"][0] == alone["best_epoch"]
    if "--val-fraction" in extra:  # the training loss is watched: the penalized curve falls
        assert all(e > 0 for e in history["best_epoch"])
