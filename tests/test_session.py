"""Training advanced one step at a time: what each step descends (``Training.gradient``)."""

import dataclasses

import numpy as np
import pytest

from glassnet.core.gradcheck import check_gradients
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum
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


def _equal_trees(a, b):
    for p, q in zip(a, b, strict=True):
        for k in ("W", "b"):
            np.testing.assert_array_equal(p[k], q[k])


@pytest.mark.parametrize("optimizer", [Momentum(0.1, 0.9), Adam(0.01)])
def test_states_after_each_epoch_are_copies_that_later_epochs_leave_alone(moons, optimizer):
    """The fast path trains on in the workspace's buffers; the states the loop hands out
    (``on_epoch_end``, ``Training.state``) hold copies. Oracle: a fresh run of k epochs."""
    X, t = moons
    net = Network.mlp([2, 6, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(4))
    cfg = TrainConfig(epochs=4, batch_size=16, optimizer=optimizer, seed=3)
    states = []
    fit(net, params, X, t, cfg, on_epoch_end=states.append)
    assert [s.epoch for s in states] == [1, 2, 3, 4]
    for k, state in enumerate(states, start=1):
        alone = fit(net, params, X, t, dataclasses.replace(cfg, epochs=k))
        _equal_trees(state.params, alone.params)
        slots = [f for f in state.opt_state if isinstance(f, list)]
        theirs = [f for f in alone.opt_state if isinstance(f, list)]
        for mine, other in zip(slots, theirs, strict=True):
            _equal_trees(mine, other)
        assert len(slots) == (2 if isinstance(optimizer, Adam) else 1)
    training = Training(net, params, X, t, cfg)
    training.run_epoch()
    assert training.state is training.state  # copied once per epoch, when asked


def test_the_best_epochs_parameters_are_kept_while_training_goes_on(moons):
    """With a validation set the result is the best epoch's parameters, copied out of the
    buffers when that epoch ended: equal to a run stopped at that epoch."""
    X, t = moons
    net = Network.mlp([2, 8, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(0))
    cfg = TrainConfig(epochs=12, batch_size=8, optimizer=Momentum(0.5, 0.9), seed=1)
    rows = {"train_rows": np.arange(40), "val_rows": np.arange(40, 60)}
    result = fit(net, params, X, t, cfg, **rows)
    best = result.history.best_epoch
    assert 0 < best < cfg.epochs  # later epochs were worse: their steps overwrote the buffers
    alone = fit(net, params, X, t, dataclasses.replace(cfg, epochs=best), **rows)
    _equal_trees(result.params, alone.params)


@pytest.mark.parametrize("pure", [False, True])
def test_states_handed_out_keep_their_history_while_the_loop_goes_on(moons, pure):
    """The loop's history grows in place; every state it hands out (``on_epoch_end``,
    ``Training.state``, ``stop``) and every state it resumes from keeps the records it had.
    Oracle: the epoch count each state reports, and a fresh run of as many epochs."""
    X, t = moons
    net = Network.mlp([2, 4, 2], "tanh", reduction="mean")
    if pure:  # a subclass takes the pure step (new arrays every step)
        net = type("Sub", (Network,), {})(net.layers, net.activations, net.head)
    params = net.init(np.random.default_rng(2))
    cfg = TrainConfig(epochs=5, batch_size=20, optimizer=Momentum(0.1, 0.9), seed=4)
    states = []
    first = fit(net, params, X, t, cfg, on_epoch_end=states.append)
    assert [len(s.history.records) for s in states] == [1, 2, 3, 4, 5]
    assert [s.history.epochs for s in states] == [1, 2, 3, 4, 5]
    resumed = Training(net, params, X, t, dataclasses.replace(cfg, epochs=5), resume=states[1])
    resumed.run()
    assert len(states[1].history.records) == 2  # the state resumed from is left alone
    assert resumed.result().history.column("loss") == first.history.column("loss")
    training = Training(net, params, X, t, cfg)
    training.run_epoch()
    before = training.state
    stopped = training.stop("interrupted")
    assert stopped.history.stop_reason == "completed" and len(before.history.records) == 1
    assert training.state.history.stop_reason == "interrupted"
    training.run_epoch()  # stepped on after stop: the handed-out states stay as they were
    assert len(stopped.history.records) == 1 and len(before.history.records) == 1


def test_run_calls_on_epoch_end_under_the_callers_float_settings(moons):
    """The epochs run with floating-point errors raised; ``on_epoch_end`` (a checkpoint, a
    plot) runs with the caller's settings. Oracle: ``np.geterr()`` inside each."""
    X, t = moons
    net = Network.mlp([2, 3, 2], "tanh")
    seen, inside = [], []
    cfg = TrainConfig(epochs=3, batch_size=None, optimizer=SGD(0.1))
    training = Training(net, net.init(np.random.default_rng(0)), X, t, cfg,
                        callbacks=[lambda r: inside.append(np.geterr()["over"])])  # fmt: skip
    with np.errstate(over="warn", invalid="ignore"):
        training.run(lambda state: seen.append((state.epoch, np.geterr()["over"])))
    assert seen == [(1, "warn"), (2, "warn"), (3, "warn")]
    assert inside == ["raise"] * 3
    assert training.done


def test_minibatches_are_read_straight_into_the_steps_buffer(moons, monkeypatch):
    """On the fast path each minibatch is read into the workspace's input buffer (the step
    copies nothing), and training gives the numbers of the pure path's step."""
    from glassnet.core import fast

    X, t = moons
    net = Network.mlp([2, 6, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(4))
    cfg = TrainConfig(epochs=2, batch_size=16, optimizer=Momentum(0.1, 0.9), seed=3)
    fed, step = [], fast.step

    def spy(net, params, opt, state, X, T, workspace=None, **kw):
        fed.append(workspace is not None and X is workspace.inputs(len(X)))
        return step(net, params, opt, state, X, T, workspace, **kw)

    monkeypatch.setattr(fast, "step", spy)
    result = fit(net, params, X, t, cfg)
    assert fed == [True] * 8  # 60 rows: 4 batches (the last of 12) in each of 2 epochs
    monkeypatch.setattr(fast, "_is_numpy", lambda *a: False)  # every step the pure path
    _equal_trees_close(result.params, fit(net, params, X, t, cfg).params)


def _equal_trees_close(a, b):
    for p, q in zip(a, b, strict=True):
        for k in ("W", "b"):
            np.testing.assert_allclose(p[k], q[k], rtol=1e-12, atol=1e-14)
