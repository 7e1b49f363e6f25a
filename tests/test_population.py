"""A population trains each member exactly as its own single fit would (the oracle: fit)."""

import dataclasses

import numpy as np
import pytest

from glassnet.core import population as pop
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov
from glassnet.core.schedules import (
    Adaptive,
    ExponentialDecay,
    InverseScaling,
    ReduceOnPlateau,
    StepDecay,
)
from glassnet.train.loop import TrainConfig, fit
from glassnet.train.population import Members, PopulationResult, fit_population

SEEDS = (3, 11, 5)
RATES = (0.05, 0.02, 0.08)
MOMENTA = (0.9, 0.5, 0.0)
DECAYS = (0.0, 1e-2, 3e-3)
SCALES = (1.0, 0.5, 2.0)


def _data(output, rng, N=23, D=3, C=2):
    X = rng.normal(size=(N, D))
    if output == "softmax":
        return X, rng.integers(0, C, N)
    if output == "logistic":
        return X, rng.integers(0, 2, size=(N, C)).astype(float)
    return X, rng.normal(size=(N, C))


def _single(net, start, X, y, cfg, k, validation=None):
    """Member k's own fit: its seed, rate, momentum and decay, from its own start."""
    opt = cfg.optimizer
    changes = {"learning_rate": RATES[k]}
    if hasattr(opt, "momentum"):
        changes["momentum"] = MOMENTA[k] if not isinstance(opt, Adam) else opt.momentum
    own = dataclasses.replace(
        cfg, seed=SEEDS[k], optimizer=dataclasses.replace(opt, **changes), weight_decay=DECAYS[k]
    )
    return fit(net, pop.member(start, k), X, y, own, validation=validation).params


def _check_members(net, X, y, cfg, member_axis="auto", validation=None, group=None):
    members = Members(SEEDS, RATES, MOMENTA if hasattr(cfg.optimizer, "momentum") else None,
                      DECAYS, SCALES)  # fmt: skip
    start = pop.init_members(net, SEEDS, SCALES)
    result = fit_population(net, X, y, members, cfg, validation=validation,
                            member_axis=member_axis, group=group)  # fmt: skip
    assert isinstance(result, PopulationResult)
    for k in range(len(SEEDS)):
        expected = _single(net, start, X, y, cfg, k, validation)
        for got, want in zip(pop.member(result.params, k), expected, strict=True):
            for name in ("W", "b"):
                np.testing.assert_allclose(got[name], want[name], rtol=0, atol=1e-10)
    return result


@pytest.mark.parametrize("opt", [SGD(0.1), Momentum(0.1, 0.9), Nesterov(0.1, 0.9), Adam(0.01)])
@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu", "identity"])
@pytest.mark.parametrize("member_axis", ["first", "last"])
def test_each_member_equals_its_single_fit(rng, opt, activation, member_axis):
    net = Network.mlp([3, 4, 5, 2], activation, "softmax")
    X, y = _data("softmax", rng)
    cfg = TrainConfig(epochs=3, batch_size=7, optimizer=opt)
    result = _check_members(net, X, y, cfg, member_axis)
    assert result.loss.shape == (3, 3) and not result.diverged.any()


@pytest.mark.parametrize("output", ["softmax", "logistic", "identity"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("batch_size", [5, None])
def test_every_head_reduction_and_full_batch(rng, output, reduction, batch_size):
    net = Network.mlp([3, 6, 2], "tanh", output, reduction)
    X, y = _data(output, rng)
    cfg = TrainConfig(epochs=4, batch_size=batch_size, optimizer=Momentum(0.05, 0.9))
    _check_members(net, X, y, cfg)


def test_best_epoch_on_validation_is_kept_per_member(rng):
    net = Network.mlp([3, 8, 2], "relu", "softmax")
    X, y = _data("softmax", rng, N=40)
    Xv, yv = _data("softmax", rng, N=15)
    cfg = TrainConfig(epochs=12, batch_size=8, optimizer=Adam(0.05))
    result = _check_members(net, X, y, cfg, validation=(Xv, yv))
    assert result.val_loss is not None and result.val_loss.shape == (12, 3)
    best = np.argmin(result.val_loss, axis=0) + 1
    np.testing.assert_array_equal(result.best_epoch, best)


def test_groups_give_the_same_members(rng):
    net = Network.mlp([3, 4, 2], "logistic", "softmax")
    X, y = _data("softmax", rng)
    cfg = TrainConfig(epochs=2, batch_size=6, optimizer=Momentum(0.1, 0.9))
    whole = _check_members(net, X, y, cfg)
    ones = _check_members(net, X, y, cfg, group=1)
    np.testing.assert_array_equal(whole.loss, ones.loss)


def test_groups_that_stop_early_join_with_the_others(rng):
    """Groups whose members all stop early end sooner; their curves are padded with NaN."""
    net = Network.mlp([3, 4, 2], "tanh", "softmax")
    X, y = _data("softmax", rng, N=30)
    Xv, yv = _data("softmax", rng, N=12)
    cfg = TrainConfig(epochs=20, batch_size=6, optimizer=Momentum(0.1, 0.9), patience=2)
    whole = _check_members(net, X, y, cfg, validation=(Xv, yv))
    ones = _check_members(net, X, y, cfg, validation=(Xv, yv), group=1)
    np.testing.assert_array_equal(whole.loss, ones.loss)
    assert np.isnan(ones.loss[-1]).any()  # some member stopped before the last epoch


def test_members_really_differ_and_settings_reach_their_member(rng):
    net = Network.mlp([3, 4, 2], "tanh", "softmax")
    X, y = _data("softmax", rng)
    cfg = TrainConfig(epochs=3, batch_size=5, optimizer=Momentum(0.1, 0.9))
    members = Members(SEEDS, RATES, MOMENTA, DECAYS, SCALES)
    result = fit_population(net, X, y, members, cfg)
    flat = np.concatenate([p["W"].reshape(3, -1) for p in result.params], axis=1)
    assert len({tuple(np.round(row, 12)) for row in flat}) == 3
    # reversed settings give the reversed members (nothing is tied to a position)
    back = Members(*(tuple(reversed(v)) for v in (SEEDS, RATES, MOMENTA, DECAYS, SCALES)))
    rev = fit_population(net, X, y, back, cfg)
    for a, b in zip(result.params, rev.params, strict=True):
        np.testing.assert_allclose(a["W"][::-1], b["W"], rtol=0, atol=1e-12)
    # one member changed: only that member changes
    moved = dataclasses.replace(members, learning_rate=(RATES[0], 0.5, RATES[2]))
    other = fit_population(net, X, y, moved, cfg)
    W, W2 = result.params[0]["W"], other.params[0]["W"]
    assert np.array_equal(W[[0, 2]], W2[[0, 2]]) and not np.allclose(W[1], W2[1])


def test_a_diverging_member_is_frozen_and_the_others_train_on(rng):
    net = Network.mlp([3, 4, 2], "relu", "identity")
    X, y = _data("identity", rng)
    X = X * 100
    cfg = TrainConfig(epochs=5, batch_size=None, optimizer=SGD(0.01), max_loss=1e6)
    members = Members((1, 2), learning_rate=(1e-5, 10.0))
    result = fit_population(net, X, y, members, cfg)
    assert result.diverged.tolist() == [False, True]
    assert np.isinf(result.loss[-1, 1]) and np.isfinite(result.loss[:, 0]).all()
    for p in result.params:
        assert np.isfinite(p["W"]).all()
    start = pop.init_members(net, (1, 2))
    own = fit(net, pop.member(start, 0), X, y, dataclasses.replace(
        cfg, seed=1, optimizer=SGD(1e-5))).params  # fmt: skip
    np.testing.assert_allclose(result.params[0]["W"][0], own[0]["W"], rtol=0, atol=1e-10)


def test_alpha_is_refused(rng):
    net = Network.mlp([3, 4, 2])
    X, y = _data("softmax", rng)
    with pytest.raises(ValueError, match="population"):
        fit_population(net, X, y, Members((1,)), TrainConfig(alpha=1e-3))


SCHEDULES = [StepDecay(every=2, gamma=0.5), ExponentialDecay(0.8), InverseScaling(0.5),
             Adaptive(patience=1, tol=1e-3), ReduceOnPlateau(0.5, patience=1)]  # fmt: skip


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: type(s).__name__)
@pytest.mark.parametrize(("patience", "restore_best"), [(None, True), (2, True), (3, False)])
def test_schedule_and_early_stopping_act_member_by_member(rng, schedule, patience, restore_best):
    """Each member follows its own schedule and stops when its own patience runs out: its
    parameters, curve length and best epoch are those of its own fit (the oracle)."""
    net = Network.mlp([3, 5, 2], "tanh", "softmax")
    X, y = _data("softmax", rng, N=30)
    Xv, yv = _data("softmax", rng, N=12)
    cfg = TrainConfig(epochs=14, batch_size=6, optimizer=Momentum(0.1, 0.9), schedule=schedule,
                      patience=patience, restore_best=restore_best)  # fmt: skip
    result = _check_members(net, X, y, cfg, validation=(Xv, yv))
    start = pop.init_members(net, SEEDS, SCALES)
    lengths = []
    for k in range(len(SEEDS)):
        opt = dataclasses.replace(cfg.optimizer, learning_rate=RATES[k], momentum=MOMENTA[k])
        mine = dataclasses.replace(cfg, seed=SEEDS[k], optimizer=opt, weight_decay=DECAYS[k])
        own = fit(net, pop.member(start, k), X, y, mine, validation=(Xv, yv))
        trained = np.isfinite(result.loss[:, k])
        assert trained.sum() == len(own.history.records) and trained[: trained.sum()].all()
        own_val = [r.val_loss for r in own.history.records]
        np.testing.assert_allclose(result.val_loss[trained, k], own_val, rtol=1e-9)
        assert result.best_epoch[k] == own.history.best_epoch
        lengths.append(int(trained.sum()))
    if patience is not None:
        assert min(lengths) < cfg.epochs, "no member stopped early: the test tests nothing"


def test_member_counts_must_agree():
    with pytest.raises(ValueError, match="2 members, but 1 learning_rate"):
        Members((1, 2), learning_rate=(0.1,))


def _interrupt_at(monkeypatch, call):
    """Ctrl-C as the ``call``-th epoch of any group ends (its record not yet taken)."""
    from glassnet.train.tracker import Tracker

    original, calls = Tracker.epoch_end, [0]

    def epoch_end(self, *args):
        calls[0] += 1
        if calls[0] == call:
            raise KeyboardInterrupt
        return original(self, *args)

    monkeypatch.setattr(Tracker, "epoch_end", epoch_end)


@pytest.mark.parametrize(
    ("group", "call", "begun", "kept", "endings"),
    [
        (1, 6, 2, [4, 1], ["completed", "interrupted"]),  # in group 2's epoch 2
        (1, 5, 1, [4], ["completed"]),  # group 2 had no epoch: left out, group 1 kept
        (1, 1, 1, [0], ["interrupted"]),  # the first group's first epoch: its initialization
        (None, 3, 3, [2, 2, 2], ["interrupted"] * 3),  # one group, in its epoch 3
    ],
)
def test_a_signal_keeps_every_begun_member_at_its_kept_epoch(
    rng, monkeypatch, group, call, begun, kept, endings
):
    """The oracle: the same population, uninterrupted, run for as many epochs as each kept
    member had completed (its parameters then equal the kept ones exactly)."""
    from glassnet.train.members import PopulationInterrupted

    net = Network.mlp([3, 4, 2], "tanh", "softmax")
    X, y = _data("softmax", rng, N=30)
    members = Members(SEEDS, RATES)
    cfg = TrainConfig(epochs=4, batch_size=7, optimizer=Momentum(0.1, 0.9))
    start = pop.init_members(net, SEEDS)
    _interrupt_at(monkeypatch, call)
    with pytest.raises(PopulationInterrupted) as stopped:
        fit_population(net, X, y, members, cfg, params=start, group=group)
    monkeypatch.undo()
    result, planned = stopped.value.result, stopped.value.planned
    assert planned == 3 and len(result.members) == begun
    assert result.members.seeds == SEEDS[:begun] and list(result.best_epoch) == kept
    assert result.stop_reasons() == endings
    assert result.loss.shape == (max(kept), begun)
    for k in range(begun):
        if kept[k] == 0:
            want = pop.member(start, k)
        else:
            shorter = dataclasses.replace(cfg, epochs=kept[k])
            want = pop.member(fit_population(net, X, y, members, shorter, params=start).params, k)
        for got, expected in zip(pop.member(result.params, k), want, strict=True):
            for name in ("W", "b"):
                np.testing.assert_array_equal(got[name], expected[name])
        assert np.isfinite(result.loss[: kept[k], k]).all()
        assert np.isnan(result.loss[kept[k] :, k]).all()


@pytest.mark.parametrize("batch_size", [1, 11, 22])  # 23 rows: every or the last batch one row
@pytest.mark.parametrize("output", ["softmax", "logistic", "identity"])
@pytest.mark.parametrize("member_axis", ["first", "last"])
def test_a_minibatch_of_one_row_trains_each_member_as_its_own_fit(
    rng, batch_size, output, member_axis
):
    """NU11 #22: a one-row minibatch once crashed the population's compiled step (a
    one-element operand of ``matmul`` passed as a 0-d view)."""
    net = Network.mlp([3, 4, 2], "relu", output, "mean")  # (summed: member 3 diverges alone)
    X, y = _data(output, rng)
    cfg = TrainConfig(epochs=2, batch_size=batch_size, optimizer=Momentum(0.05, 0.9))
    _check_members(net, X, y, cfg, member_axis)
