import math

import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum
from glassnet.core.schedules import StepDecay
from glassnet.data.datasets import make_moons
from glassnet.data.preprocessing import fit_standardizer
from glassnet.train.loop import TrainConfig, TrainingDiverged, fit
from glassnet.train.tutorial import run_tutorial


@pytest.fixture
def moons():
    X, t = make_moons(np.random.default_rng(3), 120, noise=0.15)
    return X, t


def _same(a, b):
    for pa, pb in zip(a, b, strict=True):
        for k in pa:
            np.testing.assert_array_equal(pa[k], pb[k])


def test_full_batch_momentum_reproduces_the_tutorial():
    run = run_tutorial()
    cfg = TrainConfig(epochs=300, batch_size=None, optimizer=Momentum(0.02, 0.9))
    result = fit(run.net, run.initial_params, run.X, run.t, cfg)
    for got, want in zip(result.params, run.params, strict=True):
        np.testing.assert_allclose(got["W"], want["W"], rtol=1e-12)
    # The epoch loss is the per-sample mean of the loss before each update.
    assert result.history.records[0].loss == pytest.approx(run.loss_history[0] / 100)
    assert result.history.records[-1].accuracy == 1.0


def test_minibatch_order_is_seeded_and_reshuffled(moons):
    X, t = moons
    net = Network.mlp([2, 8, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(0))
    cfg = TrainConfig(epochs=3, batch_size=16, optimizer=SGD(0.1), seed=7)
    a = fit(net, params, X, t, cfg)
    b = fit(net, params, X, t, cfg)
    _same(a.params, b.params)
    c = fit(net, params, X, t, TrainConfig(epochs=3, batch_size=16, optimizer=SGD(0.1), seed=8))
    assert not np.array_equal(a.params[0]["W"], c.params[0]["W"])
    # the input parameters are never modified
    np.testing.assert_array_equal(params[0]["W"], net.init(np.random.default_rng(0))[0]["W"])


def test_one_epoch_of_minibatches_by_hand(moons):
    X, t = moons
    net = Network.mlp([2, 4, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(1))
    cfg = TrainConfig(epochs=1, batch_size=50, optimizer=SGD(0.5), seed=11, weight_decay=0.01)
    got = fit(net, params, X, t, cfg).params
    order = np.random.default_rng(11).permutation(np.arange(120))
    expected = params
    for start in range(0, 120, 50):
        rows = np.sort(order[start : start + 50])
        T = np.eye(2)[t[rows]]
        _, grads = net.loss_and_grad(expected, X[rows], T)
        expected = [
            {"W": p["W"] - 0.5 * (g["W"] + 0.01 * p["W"]), "b": p["b"] - 0.5 * g["b"]}
            for p, g in zip(expected, grads, strict=True)
        ]
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a["W"], b["W"], rtol=1e-13)
        np.testing.assert_allclose(a["b"], b["b"], rtol=1e-13)


def test_early_stopping_restores_the_best_epoch(moons):
    X, t = moons
    Xv, tv = X[:40], 1 - t[:40]  # validation labels flipped: it gets worse as training works
    net = Network.mlp([2, 8, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(0))
    cfg = TrainConfig(epochs=100, batch_size=20, optimizer=Adam(0.01), patience=4)
    result = fit(net, params, X, t, cfg, validation=(Xv, tv))
    h = result.history
    assert h.stop_reason == "early stopping"
    assert len(h.records) < 100
    val = h.column("val_loss")
    assert h.best_epoch == int(np.argmin(val)) + 1
    assert len(h.records) == h.best_epoch + 4
    from glassnet.data.batching import evaluate

    assert evaluate(net, result.params, Xv, tv).loss == pytest.approx(min(val), rel=1e-12)


def test_validation_rows_and_callbacks(moons):
    X, t = moons
    net = Network.mlp([2, 6, 2], "relu", reduction="mean")
    params = net.init(np.random.default_rng(0))
    seen = []

    def stop_at_three(record):
        seen.append(record.epoch)
        return record.epoch == 3

    result = fit(
        net,
        params,
        X,
        t,
        TrainConfig(epochs=50),
        train_rows=np.arange(100),
        val_rows=np.arange(100, 120),
        callbacks=[stop_at_three],
    )
    assert seen == [1, 2, 3] and result.history.stop_reason == "stopped by callback"
    rec = result.history.records[0]
    assert rec.val_loss is not None and 0 <= rec.val_accuracy <= 1 and rec.seconds > 0
    with pytest.raises(ValueError, match="not both"):
        fit(net, params, X, t, val_rows=np.arange(5), validation=(X, t))


def test_schedule_sets_the_rate_of_each_epoch(moons):
    X, t = moons
    net = Network.mlp([2, 4, 2], reduction="mean")
    cfg = TrainConfig(epochs=5, optimizer=SGD(0.4), schedule=StepDecay(every=2, gamma=0.5))
    h = fit(net, net.init(np.random.default_rng(0)), X, t, cfg).history
    assert h.column("learning_rate") == [0.4, 0.4, 0.2, 0.2, 0.1]


def test_float32_end_to_end(moons):
    X, t = moons
    net = Network.mlp([2, 8, 2], "tanh", reduction="mean")
    cfg = TrainConfig(epochs=2, dtype=np.float32)
    result = fit(net, net.init(np.random.default_rng(0)), X, t, cfg)
    assert all(v.dtype == np.float32 for p in result.params for v in p.values())
    assert all(v.dtype == np.float32 for p in result.opt_state.m for v in p.values())


def test_memmap_training_equals_in_memory(tmp_path, moons):
    X, t = moons
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "t.npy", t)
    Xm = np.load(tmp_path / "X.npy", mmap_mode="r")
    tm = np.load(tmp_path / "t.npy", mmap_mode="r")
    net = Network.mlp([2, 8, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(0))
    cfg = TrainConfig(epochs=4, batch_size=16)
    rows = np.arange(100)
    mem = fit(
        net,
        params,
        X,
        t,
        cfg,
        train_rows=rows,
        val_rows=np.arange(100, 120),
        scaler=fit_standardizer(X, rows, block=32),
    )
    mapped = fit(
        net,
        params,
        Xm,
        tm,
        cfg,
        train_rows=rows,
        val_rows=np.arange(100, 120),
        scaler=fit_standardizer(Xm, rows, block=32),
    )
    _same(mem.params, mapped.params)
    assert mem.history.column("val_loss") == mapped.history.column("val_loss")


class RowsOnly:
    """An array-like that only offers shape, dtype and row reads (like an HDF5 dataset)."""

    def __init__(self, A):
        self._A, self.shape, self.dtype, self.reads = A, A.shape, A.dtype, []

    def __getitem__(self, rows):
        if isinstance(rows, slice):  # a block read, as the NaN scan does
            return self._A[rows].copy()
        rows = np.asarray(rows)
        assert np.all(np.diff(rows) > 0), "rows must be read in increasing order"
        self.reads.append(len(rows))
        return self._A[rows].copy()


def test_reads_batches_from_any_row_sliceable_array(moons):
    X, t = moons
    lazy = RowsOnly(X)
    net = Network.mlp([2, 4, 2], reduction="mean")
    params = net.init(np.random.default_rng(0))
    cfg = TrainConfig(epochs=2, batch_size=32, train_metrics=False)
    a = fit(net, params, lazy, t, cfg)
    b = fit(net, params, X, t, cfg)
    _same(a.params, b.params)
    assert max(lazy.reads) == 32  # never more than a batch at a time


def test_divergence_stops_with_the_last_finite_parameters(moons):
    X, t = moons
    net = Network.mlp([2, 8, 1], "relu", output="identity", reduction="mean")
    y = (t * 1e3).astype(float)
    cfg = TrainConfig(epochs=50, batch_size=None, optimizer=SGD(5.0), max_loss=1e8)
    with np.errstate(over="ignore", invalid="ignore"):
        with pytest.raises(TrainingDiverged, match="training diverged in epoch") as exc:
            fit(net, net.init(np.random.default_rng(0)), X, y, cfg)
    result = exc.value.result
    assert result.history.stop_reason == "diverged"
    assert all(np.all(np.isfinite(v)) for p in result.params for v in p.values())


@pytest.mark.parametrize("scale", [1.0, 1e6, 1e9, 1e12])
def test_divergence_is_judged_relative_to_the_starting_loss(moons, scale):
    """Targets of any size start at their own loss (1e24 per sample at 1e12) and train;
    only a loss that grows a millionfold past the first batch's is divergence."""
    X, t = moons
    net = Network.mlp([2, 8, 1], "tanh", output="identity", reduction="mean")
    y = t.astype(float) * scale
    cfg = TrainConfig(epochs=3, batch_size=16, optimizer=SGD(1e-3 / scale**2))
    result = fit(net, net.init(np.random.default_rng(0)), X, y, cfg)
    assert result.history.stop_reason != "diverged"
    wild = TrainConfig(epochs=50, batch_size=None, optimizer=SGD(5.0))
    relu = Network.mlp([2, 8, 1], "relu", output="identity", reduction="mean")
    with np.errstate(over="ignore", invalid="ignore"):
        with pytest.raises(TrainingDiverged, match="times the first batch's loss"):
            fit(relu, relu.init(np.random.default_rng(0)), X, y * 1e3 / scale, wild)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": -1}, "epochs must be non-negative"),
        ({"divergence_factor": 1.0}, "divergence_factor must exceed 1"),
        ({"batch_size": 0}, "batch_size must be at least 1"),
        ({"patience": 0}, "patience must be at least 1"),
        ({"weight_decay": -1.0}, "weight_decay must be non-negative"),
        ({"dtype": np.int32}, "dtype must be float32 or float64"),
    ],
)
def test_bad_config(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**kwargs)


def test_same_seed_gives_close_results_across_processes(tmp_path):
    """Bitwise-equal within a process (above); allclose between fresh processes."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from glassnet.data.datasets import make_moons\n"
        "from glassnet.core.network import Network\n"
        "from glassnet.train.loop import TrainConfig, fit\n"
        "X, t = make_moons(np.random.default_rng(3), 120)\n"
        "net = Network.mlp([2, 8, 2], 'tanh', reduction='mean')\n"
        "r = fit(net, net.init(np.random.default_rng(0)), X, t, TrainConfig(epochs=5, seed=4))\n"
        "np.save(sys.argv[1], np.concatenate([p[k].ravel() for p in r.params for k in p]))\n"
    )
    paths = [tmp_path / f"run{i}.npy" for i in range(2)]
    for path in paths:
        subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    a, b = (np.load(p) for p in paths)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("extra", ["plain", "weight_decay", "alpha+weights"])
@pytest.mark.parametrize("optimizer", [SGD(0.1), Momentum(0.05, 0.9), Adam(0.01)])
def test_fast_path_in_the_loop_equals_the_pure_path(moons, optimizer, extra):
    """fit runs glassnet.core.fast's in-place step for a plain Network, with weights and L2
    too; a subclass of Network takes the pure path. Both train to the same parameters."""
    from glassnet.train.loop import Training

    class PureNetwork(Network):
        pass

    X, t = moons
    net = Network.mlp([2, 8, 3, 2], "tanh", reduction="mean")
    pure_net = PureNetwork(net.layers, net.activations, net.head)
    params = net.init(np.random.default_rng(0))
    l2 = {"plain": {}, "weight_decay": {"weight_decay": 0.01}, "alpha+weights": {"alpha": 0.5}}
    cfg = TrainConfig(
        epochs=6, batch_size=25, optimizer=optimizer, schedule=StepDecay(every=2, gamma=0.5),
        **l2[extra],
    )  # fmt: skip
    w = np.random.default_rng(1).uniform(0, 2, len(X)) if "weights" in extra else None
    rows = {"train_rows": np.arange(100), "val_rows": np.arange(100, 120), "sample_weight": w}
    assert Training(net, params, X, t, cfg, **rows).workspace is not None
    assert Training(pure_net, params, X, t, cfg, **rows).workspace is None
    fast_run = fit(net, params, X, t, cfg, **rows)
    pure_run = fit(pure_net, params, X, t, cfg, **rows)
    for a, b in zip(fast_run.params, pure_run.params, strict=True):
        np.testing.assert_allclose(a["W"], b["W"], rtol=1e-10, atol=1e-13)
    for column in ("loss", "val_loss"):
        np.testing.assert_allclose(
            fast_run.history.column(column), pure_run.history.column(column), rtol=1e-10
        )
    # the returned parameters are the caller's to keep: not views of the workspace's one
    # flat buffer (where every layer's W and b would share memory)
    first, last = fast_run.params[0]["W"], fast_run.params[-1]["b"]
    assert not np.shares_memory(first, last)


def _cross_entropy(params, X, t):
    """Mean cross-entropy and accuracy of a tanh-softmax MLP, written out in NumPy."""
    A = X
    for layer in params[:-1]:
        A = np.tanh(A @ layer["W"] + layer["b"])
    Z = A @ params[-1]["W"] + params[-1]["b"]
    Z = Z - Z.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(t)), t]), np.mean(Z.argmax(axis=1) == t)


@pytest.mark.parametrize("validated", [False, True])
@pytest.mark.parametrize("train_metrics", [False, True])
def test_fit_records_epoch_0_the_initialization(moons, validated, train_metrics):
    X, t = moons
    net = Network.mlp([2, 7, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(4))
    rows, val = np.arange(80), np.arange(80, 120) if validated else None
    cfg = TrainConfig(
        epochs=3, batch_size=16, optimizer=Adam(0.05), weight_decay=0.01,
        train_metrics=train_metrics,
    )  # fmt: skip
    result = fit(net, params, X, t, cfg, train_rows=rows, val_rows=val)
    first = result.history.initial
    loss, accuracy = _cross_entropy(params, X[rows], t[rows])
    penalty = 0.01 / 2 * sum(np.sum(p["W"] ** 2) for p in params)  # as every epoch's loss
    assert first.epoch == 0 and first.loss == pytest.approx(loss + penalty, rel=1e-12)
    assert first.accuracy == (pytest.approx(accuracy) if train_metrics else None)
    if validated:
        val_loss, val_accuracy = _cross_entropy(params, X[val], t[val])
        assert first.val_loss == pytest.approx(val_loss, rel=1e-12)
        assert first.val_accuracy == pytest.approx(val_accuracy)
    else:
        assert first.val_loss is None
    assert [r.epoch for r in result.history.rows()] == [0, 1, 2, 3]
    assert result.history.as_dict()["loss"][0] == first.loss


def test_epoch_0_survives_resume_and_a_continued_run_has_none(moons):
    X, t = moons
    net = Network.mlp([2, 5, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(5))
    cfg = TrainConfig(epochs=3, batch_size=32, optimizer=SGD(0.1))
    states = []
    whole = fit(net, params, X, t, cfg, on_epoch_end=states.append)
    resumed = fit(net, params, X, t, cfg, resume=states[0])
    assert resumed.history.initial == whole.history.initial
    assert [r.epoch for r in resumed.history.rows()] == [0, 1, 2, 3]
    # Going on from trained parameters with their optimizer state is no initialization.
    more = fit(net, whole.params, X, t, cfg, opt_state=whole.opt_state)
    assert more.history.initial is None


def test_lbfgs_records_epoch_0_too(moons):
    pytest.importorskip("scipy")
    from glassnet.train.lbfgs import fit_lbfgs

    X, t = moons
    net = Network.mlp([2, 5, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(6))
    result = fit_lbfgs(net, params, X, t, TrainConfig(epochs=4), val_rows=np.arange(100, 120))
    first = result.history.initial
    assert first.epoch == 0
    assert first.loss == pytest.approx(_cross_entropy(params, X, t)[0], rel=1e-12)
    assert first.val_loss == pytest.approx(_cross_entropy(params, X[100:], t[100:])[0], rel=1e-12)
    assert result.history.rows()[1].epoch == 1


@pytest.mark.parametrize("solver", ["loop", "lbfgs"])
def test_without_score_initial_there_is_no_epoch_0_and_nothing_else_changes(moons, solver):
    """``score_initial=False`` skips epoch 0's forward pass: the run (parameters, every
    epoch's losses) is bitwise the run that scored it."""
    import dataclasses

    X, t = moons
    net = Network.mlp([2, 5, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(8))
    cfg = TrainConfig(epochs=3, batch_size=32, optimizer=Momentum(0.1, 0.9))
    rows = {"train_rows": np.arange(100), "val_rows": np.arange(100, 120)}
    if solver == "lbfgs":
        pytest.importorskip("scipy")
        from glassnet.train.lbfgs import fit_lbfgs as run
    else:
        run = fit
    scored = run(net, params, X, t, cfg, **rows)
    plain = run(net, params, X, t, dataclasses.replace(cfg, score_initial=False), **rows)
    assert scored.history.initial.epoch == 0 and plain.history.initial is None
    assert [r.epoch for r in plain.history.rows()] == [1, 2, 3]
    for name in ("loss", "val_loss"):
        assert plain.history.column(name) == scored.history.column(name)
    for a, b in zip(plain.params, scored.params, strict=True):
        np.testing.assert_array_equal(a["W"], b["W"])
        np.testing.assert_array_equal(a["b"], b["b"])


@pytest.mark.parametrize("factor, max_loss", [(10.0, None), (1e6, 5.0), (2.0, 0.5)])
def test_divergence_bound_is_fixed_by_the_first_finite_loss(factor, max_loss):
    """The bound is ``factor`` times the first finite batch loss (``max_loss`` when lower),
    whatever losses follow; before a finite loss there is only ``max_loss``."""
    from glassnet.train.epochs import DivergenceBound

    bound = DivergenceBound(factor, max_loss)
    cap = math.inf if max_loss is None else max_loss
    assert bound(math.inf) == cap
    assert bound(2.0) == min(factor * 2.0, cap)
    for later in (0.1, 100.0, math.nan):
        assert bound(later) == min(factor * 2.0, cap)
    assert DivergenceBound(factor, max_loss, start=3.0)(1.0) == min(factor * 3.0, cap)
    assert DivergenceBound(factor, max_loss)(0.0) == cap  # a zero first loss: no relative bound


@pytest.mark.parametrize("seed", [0, 7, 2**40, np.random.SeedSequence(3)])
def test_seeded_state_is_the_generators_own_and_each_call_gets_a_new_dict(seed):
    from glassnet.train.inputs import seeded_state

    first = seeded_state(seed)
    assert first == np.random.default_rng(seed).bit_generator.state
    first["state"]["state"] = 1  # a caller may change what it was given
    assert seeded_state(seed) == np.random.default_rng(seed).bit_generator.state


def test_epoch_record_is_a_frozen_dataclass_with_its_own_init():
    import dataclasses

    from glassnet.train.history import EpochRecord
    from glassnet.train.records import FIELDS

    values = (3, 0.25, 0.5, 0.9, 0.8, 0.001, 0.01)
    record = EpochRecord(*values)
    # val_losses and monitored_loss: None by default
    assert dataclasses.astuple(record) == (*values, None, None)
    assert [f.name for f in dataclasses.fields(EpochRecord)] == [
        "epoch", "loss", "val_loss", "accuracy", "val_accuracy", "learning_rate", "seconds",
        "val_losses", "monitored_loss",
    ]  # fmt: skip
    assert FIELDS == tuple(f.name for f in dataclasses.fields(EpochRecord))[:-2]  # history.json
    columns = EpochRecord(*values, (0.4, 0.6))
    assert columns.val_losses == (0.4, 0.6) and columns != record
    watched = EpochRecord(*values, monitored_loss=0.3)  # NU11 #7: the loss compared, kept
    assert watched.monitored_loss == 0.3 and watched != record
    assert dataclasses.replace(watched, loss=1.0).monitored_loss == 0.3
    assert hash(columns) == hash(EpochRecord(*values, (0.4, 0.6)))
    assert record == EpochRecord(*values) and hash(record) == hash(EpochRecord(*values))
    assert record != EpochRecord(*values[:-1], 0.02)
    assert dataclasses.replace(record, loss=1.0).loss == 1.0 and record.loss == 0.25
    assert EpochRecord(**dataclasses.asdict(record)) == record
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.loss = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("batch_size", [None, 16])
def test_a_finished_fit_gives_its_workspace_to_the_next_fit_of_an_equal_network(
    moons, monkeypatch, batch_size
):
    from glassnet.train import inputs, session

    X, y = moons
    monkeypatch.setattr(inputs, "_FREE", {})
    made, taken = [], inputs.workspace_for

    def workspace_for(*args):
        made.append(taken(*args))
        return made[-1]

    monkeypatch.setattr(session.inputs, "workspace_for", workspace_for)
    cfg = TrainConfig(epochs=4, batch_size=batch_size, optimizer=Momentum(0.1, 0.9), seed=3)

    def run(seed):
        net = Network.mlp([2, 5, 1], "tanh", "logistic", "mean")  # equal, not the same object
        return fit(net, net.init(np.random.default_rng(seed)), X, y, cfg)

    first = run(1)
    kept = [{k: v.copy() for k, v in p.items()} for p in first.params]
    second = run(2)
    assert made[1] is made[0]  # given back, then taken again (with its compiled step)
    inputs._FREE.clear()
    third = run(2)  # a new workspace: the same numbers, bit for bit
    assert made[2] is not made[0]
    for a, b, c, k in zip(first.params, second.params, third.params, kept, strict=True):
        for name in ("W", "b"):
            np.testing.assert_array_equal(a[name], k[name])  # the second run wrote no result
            np.testing.assert_array_equal(b[name], c[name])
            assert not np.array_equal(a[name], b[name])
    assert second.history.column("loss") == third.history.column("loss")


def test_a_workspace_in_use_is_never_handed_out_twice_and_big_ones_are_not_kept(monkeypatch):
    from glassnet.core.workspace import Workspace
    from glassnet.train import inputs

    monkeypatch.setattr(inputs, "_FREE", {})
    net, cfg = Network.mlp([2, 3, 1], "logistic", "logistic"), TrainConfig(optimizer=SGD())
    a, b = inputs.workspace_for(net, cfg, 10), inputs.workspace_for(net, cfg, 10)
    assert a is not b  # neither given back: two runs at once get their own
    inputs.give_back(a)
    assert inputs.workspace_for(net, cfg, 10) is a
    assert inputs.workspace_for(net, cfg, 10) is not a  # taken: not handed out again
    inputs.give_back(a)
    assert inputs.workspace_for(net, cfg, 20) is not a  # another batch size
    assert inputs.workspace_for(net, TrainConfig(dtype=np.float32), 10) is not a
    big = Network.mlp([784, 512, 10], "relu", "softmax")
    inputs.give_back(Workspace(big, 256))
    inputs.give_back(Workspace(net, 10, members=4))  # a population's
    assert len(inputs._FREE) == 1
    for size in range(1, 3 * inputs.FREE_WORKSPACES):  # a bounded number kept
        inputs.give_back(Workspace(net, size))
    assert len(inputs._FREE) == inputs.FREE_WORKSPACES
