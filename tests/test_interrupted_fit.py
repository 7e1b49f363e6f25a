"""Ctrl-C in the middle of an epoch of the library's ``fit``: the parameters it returns are
exactly those its record names. With ``on_epoch_end`` (the CLI's checkpoints) or early
stopping, a completed epoch's, exact, and the state resumes to the uninterrupted result;
without, on the fast path (no copy of the epoch's end is made: it would cost every epoch),
the parameters of the steps taken, labelled as such (``partial_steps``, the kept epoch the
one in progress).

The oracles: the same run trained to the last completed epoch (a run of ``E`` epochs is the
first ``E`` epochs of a longer one: the same seed, the same minibatch order), and the
parameters as the interrupting step left them (copied there). The interrupt is raised by a
step after it has moved the fast path's buffers on.
"""

import dataclasses

import numpy as np
import pytest

import glassnet.train.session as session_module
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum
from glassnet.data.datasets import make_moons
from glassnet.train.history import History
from glassnet.train.loop import TrainConfig, TrainingInterrupted, fit


def _problem(dtype=np.float64):
    X, t = make_moons(np.random.default_rng(0), 120, noise=0.2)
    net = Network.mlp([2, 8, 2], "tanh", reduction="mean")
    return X.astype(dtype), t, net, net.init(np.random.default_rng(1), dtype)


def _interrupt_at_step(monkeypatch, n):
    """Every step runs as ever; the ``n``-th (from 1) raises KeyboardInterrupt after it.
    Returns a list that receives a copy of the parameters that step left."""
    real, count, left = session_module.fast.step, [0], []

    def step(*args, **kwargs):
        out = real(*args, **kwargs)
        count[0] += 1
        if count[0] == n:
            left.append([{k: v.copy() for k, v in p.items()} for p in out[1]])
            raise KeyboardInterrupt
        return out

    monkeypatch.setattr(session_module.fast, "step", step)
    return left


def _same(a, b):
    for pa, pb in zip(a, b, strict=True):
        for k in ("W", "b"):
            np.testing.assert_array_equal(pa[k], pb[k])


CASES = [
    (Adam(0.01), 16, np.float64),
    (Momentum(0.05, 0.9), 32, np.float64),
    (SGD(0.1), None, np.float64),  # full batch: one step an epoch
    (Adam(0.01), 16, np.float32),
]


class _Run:
    """The moons problem trained for 6 epochs with ``optimizer`` in batches of
    ``batch_size`` (None: the whole set), parameters of ``dtype``."""

    def __init__(self, optimizer, batch_size, dtype):
        self.X, self.t, self.net, self.params = _problem(dtype)
        self.cfg = TrainConfig(epochs=6, batch_size=batch_size, optimizer=optimizer, seed=3,
                               dtype=dtype)  # fmt: skip
        self.steps = -(-len(self.X) // (batch_size or len(self.X)))  # per epoch

    def interrupted(self, monkeypatch, done, **kw):
        """Ctrl-C after all but one step of epoch ``done + 1`` (after its one step, full
        batch): ``(the raised TrainingInterrupted's info, the parameters the step left,
        the steps of that epoch taken)``."""
        taken = max(1, self.steps - 1)
        left = _interrupt_at_step(monkeypatch, done * self.steps + taken)
        with pytest.raises(TrainingInterrupted) as stop:
            fit(self.net, self.params, self.X, self.t, self.cfg, **kw)
        monkeypatch.undo()
        return stop, left, taken


@pytest.mark.parametrize(("optimizer", "batch_size", "dtype"), CASES)
def test_ctrl_c_mid_epoch_without_on_epoch_end_labels_the_steps_taken(
    monkeypatch, optimizer, batch_size, dtype
):
    run, done = _Run(optimizer, batch_size, dtype), 2
    stop, left, taken = run.interrupted(monkeypatch, done)
    history = stop.value.result.history
    assert history.stop_reason == "interrupted" and history.epochs == done
    assert history.best_epoch == done + 1 and history.partial_steps == taken
    _same(stop.value.result.params, left[0])
    assert stop.value.state.epoch == done  # its parameters too: resuming goes on from them
    _same(stop.value.state.params, left[0])
    assert History.from_dict(history.as_dict()).partial_steps == taken  # history.json too


@pytest.mark.parametrize(("optimizer", "batch_size", "dtype"), CASES)
def test_ctrl_c_mid_epoch_with_on_epoch_end_returns_the_last_completed_epoch(
    monkeypatch, optimizer, batch_size, dtype
):
    run, done = _Run(optimizer, batch_size, dtype), 2
    X, t, net, params, cfg = run.X, run.t, run.net, run.params, run.cfg
    before = fit(net, params, X, t, dataclasses.replace(cfg, epochs=done))
    full = fit(net, params, X, t, cfg)
    stop, _, _ = run.interrupted(monkeypatch, done, on_epoch_end=lambda state: None)
    result, state = stop.value.result, stop.value.state
    assert result.history.stop_reason == "interrupted" and result.history.partial_steps == 0
    assert result.history.epochs == done and result.history.best_epoch == done
    assert "partial_steps" not in result.history.as_dict()
    assert state.epoch == done
    _same(result.params, before.params)
    _same(state.params, before.params)
    _same(fit(net, params, X, t, cfg, resume=state).params, full.params)


def test_ctrl_c_mid_epoch_with_early_stopping_keeps_the_best_completed_epoch(monkeypatch):
    X, t, net, params = _problem()
    kw = {"train_rows": np.arange(90), "val_rows": np.arange(90, 120)}
    cfg = TrainConfig(epochs=8, batch_size=15, optimizer=Adam(0.02), seed=5, patience=20)
    before = fit(net, params, X, t, dataclasses.replace(cfg, epochs=4), **kw)
    _interrupt_at_step(monkeypatch, 4 * 6 + 3)  # 6 steps an epoch: in epoch 5
    with pytest.raises(TrainingInterrupted) as stop:
        fit(net, params, X, t, cfg, **kw)
    monkeypatch.undo()
    result = stop.value.result
    assert result.history.stop_reason == "interrupted" and result.history.epochs == 4
    assert result.history.best_epoch == before.history.best_epoch
    assert result.history.partial_steps == 0
    _same(result.params, before.params)
    assert stop.value.state.epoch == 4
