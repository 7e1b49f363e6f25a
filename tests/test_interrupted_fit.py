"""Ctrl-C in the middle of an epoch of the library's ``fit`` (no ``on_epoch_end``): the
parameters it returns are exactly those its record names, and its state resumes to the
uninterrupted result.

The oracle is the same run trained to the last completed epoch (a run of ``E`` epochs is the
first ``E`` epochs of a longer one: the same seed, the same minibatch order); the interrupt
is raised by a step after it has moved the fast path's buffers on (the worst case: the
epoch's steps write the parameters in place).
"""

import dataclasses

import numpy as np
import pytest
from _interrupts import interrupt_at_step

from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum
from glassnet.data.datasets import make_moons
from glassnet.train.loop import TrainConfig, TrainingInterrupted, fit


def _problem(dtype=np.float64):
    X, t = make_moons(np.random.default_rng(0), 120, noise=0.2)
    net = Network.mlp([2, 8, 2], "tanh", reduction="mean")
    return X.astype(dtype), t, net, net.init(np.random.default_rng(1), dtype)


def _same(a, b):
    for pa, pb in zip(a, b, strict=True):
        for k in ("W", "b"):
            np.testing.assert_array_equal(pa[k], pb[k])


@pytest.mark.parametrize(
    ("optimizer", "batch_size", "dtype"),
    [
        (Adam(0.01), 16, np.float64),
        (Momentum(0.05, 0.9), 32, np.float64),
        (SGD(0.1), None, np.float64),  # full batch: one step an epoch, interrupted after it
        (Adam(0.01), 16, np.float32),
    ],
)
def test_ctrl_c_mid_epoch_returns_the_last_completed_epoch(
    monkeypatch, optimizer, batch_size, dtype
):
    X, t, net, params = _problem(dtype)
    cfg = TrainConfig(epochs=6, batch_size=batch_size, optimizer=optimizer, seed=3, dtype=dtype)
    steps = -(-len(X) // (batch_size or len(X)))  # per epoch
    done = 2  # epochs completed when the interrupt comes (in epoch 3, after a step)
    before = fit(net, params, X, t, dataclasses.replace(cfg, epochs=done))
    full = fit(net, params, X, t, cfg)
    interrupt_at_step(monkeypatch, done * steps + max(1, steps - 1))
    with pytest.raises(TrainingInterrupted) as stop:
        fit(net, params, X, t, cfg)
    monkeypatch.undo()
    result, state = stop.value.result, stop.value.state
    assert result.history.stop_reason == "interrupted"
    assert result.history.epochs == done and result.history.best_epoch == done
    assert state.epoch == done
    _same(result.params, before.params)
    _same(state.params, before.params)
    _same(fit(net, params, X, t, cfg, resume=state).params, full.params)


def test_ctrl_c_mid_epoch_with_early_stopping_keeps_the_best_completed_epoch(monkeypatch):
    X, t, net, params = _problem()
    kw = {"train_rows": np.arange(90), "val_rows": np.arange(90, 120)}
    cfg = TrainConfig(epochs=8, batch_size=15, optimizer=Adam(0.02), seed=5, patience=20)
    before = fit(net, params, X, t, dataclasses.replace(cfg, epochs=4), **kw)
    interrupt_at_step(monkeypatch, 4 * 6 + 3)  # 6 steps an epoch: in epoch 5
    with pytest.raises(TrainingInterrupted) as stop:
        fit(net, params, X, t, cfg, **kw)
    monkeypatch.undo()
    result = stop.value.result
    assert result.history.stop_reason == "interrupted" and result.history.epochs == 4
    assert result.history.best_epoch == before.history.best_epoch
    _same(result.params, before.params)
    assert stop.value.state.epoch == 4
