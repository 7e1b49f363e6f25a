"""A resumed run keeps the divergence bound of the run it continues: ``divergence_factor``
times the loss of the run's first batch, not of the first batch after the resume (NU11 #1).

The problem: a linear model on eight rows it can fit exactly (``y = 2 x1``; their loss
falls towards 0) and four rows it never can (the same inputs with targets +1 and -1: a
loss of 0.5 per sample for ever). With the rows in order (``shuffle=False``) the first
batch of every epoch holds exact rows only, so a late epoch begins with a loss of 1e-15
while its last batch stays at 0.5: a bound taken after the resume would call that
divergence. The oracle is the uninterrupted run.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Momentum, Nesterov
from glassnet.files.checkpoint import load_checkpoint, save_checkpoint
from glassnet.train.loop import TrainConfig, TrainingDiverged, fit
from glassnet.train.session import Training

X1 = np.linspace(-1.0, 1.0, 8)
X = np.c_[np.r_[X1, np.zeros(4)], np.r_[np.zeros(8), np.ones(4)]]
Y = np.r_[2.0 * X1, [1.0, -1.0, 1.0, -1.0]][:, None]
NET = Network.mlp([2, 1], output="identity")
P0 = NET.init(np.random.default_rng(0))

OPTIMIZERS = {"sgd": SGD(0.2), "momentum": Momentum(0.1, 0.5), "nesterov": Nesterov(0.1, 0.5)}


def _config(optimizer, epochs=45):
    return TrainConfig(epochs=epochs, batch_size=4, optimizer=optimizer, shuffle=False)


def _half_squared_error(params, rows):
    """The mean half squared error of ``rows`` (by hand: the model is ``X W + b``)."""
    (layer,) = params
    residual = X[rows] @ layer["W"] + layer["b"] - Y[rows]
    return float(np.mean(0.5 * np.sum(residual**2, axis=1)))


def _first_batch_loss(params):
    """The loss per sample of rows 0-3 (every epoch's first batch)."""
    return _half_squared_error(params, slice(0, 4))


def _assert_same(a, b):
    for pa, pb in zip(a.params, b.params, strict=True):
        for k in pa:
            np.testing.assert_array_equal(pa[k], pb[k])
    assert a.history.column("loss") == b.history.column("loss")
    assert (a.history.stop_reason, a.history.best_epoch) == (b.history.stop_reason,
                                                              b.history.best_epoch)  # fmt: skip


def _whole_and_states(optimizer, epochs=45):
    states = []
    whole = fit(NET, P0, X, Y, _config(optimizer, epochs), on_epoch_end=states.append)
    return whole, states


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("resume_at", [12, 20, 30])
def test_a_run_resumed_where_its_first_batch_is_tiny_ends_as_the_uninterrupted_run(
    name, resume_at
):
    optimizer = OPTIMIZERS[name]
    whole, states = _whole_and_states(optimizer)
    assert whole.history.stop_reason == "completed"
    state = states[resume_at - 1]
    assert state.epoch == resume_at
    tiny, later = _first_batch_loss(state.params), max(whole.history.column("loss")[resume_at:])
    assert 0 < tiny * 1e6 < later  # a bound from the resume's first batch would stop it
    assert state.first_loss == pytest.approx(_first_batch_loss(P0), rel=1e-12)
    _assert_same(fit(NET, P0, X, Y, _config(optimizer), resume=state), whole)


@pytest.mark.parametrize("steps", [1, 7, 40])
def test_a_run_stopped_mid_epoch_resumes_with_the_runs_bound(steps):
    """A stop after ``steps`` minibatches (3 a epoch) keeps the last completed epoch;
    resumed, the run ends as the one never stopped, the bound its first batch's."""
    whole, _ = _whole_and_states(SGD(0.2))
    training = Training(NET, P0, X, Y, _config(SGD(0.2)))
    for _ in range(steps):
        training.step()
    state = training.stop("interrupted")
    assert state.epoch == steps // 3
    expected = None if state.epoch == 0 else _first_batch_loss(P0)
    assert state.first_loss == (expected and pytest.approx(expected, rel=1e-12))
    _assert_same(fit(NET, P0, X, Y, _config(SGD(0.2)), resume=state), whole)


def test_the_bound_is_kept_in_the_checkpoint_and_read_back(tmp_path):
    whole, states = _whole_and_states(SGD(0.2))
    path = tmp_path / "run.ckpt.npz"
    save_checkpoint(path, states[19], "key")
    state = load_checkpoint(path, "key")
    assert state.first_loss == states[19].first_loss == pytest.approx(_first_batch_loss(P0))
    _assert_same(fit(NET, P0, X, Y, _config(SGD(0.2)), resume=state), whole)


def _old_checkpoint(path, state, drop_initial=False):
    """``state`` written as glassnet wrote checkpoints before they kept the first loss
    (``drop_initial``: and before histories kept epoch 0, their lists' first entry)."""
    from glassnet.files.fileio import write_npz

    save_checkpoint(path, state, "key")
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays["meta"]))
    del meta["first_loss"]
    history = meta["history"]
    if drop_initial:
        assert history["epoch"][0] == 0
        meta["history"] = {k: v[1:] if isinstance(v, list) else v for k, v in history.items()}
    arrays["meta"] = np.array(json.dumps(meta))
    write_npz(path, arrays)


def test_an_old_checkpoint_takes_its_bound_from_epoch_0_or_epoch_1(tmp_path):
    """Without the stored first loss the bound's base is epoch 0's training loss (the
    initial parameters on all rows), else epoch 1's mean loss, else none (the resumed
    run's first batch sets it); the oracle: the loss by hand."""
    whole, states = _whole_and_states(SGD(0.2))
    path = tmp_path / "old.ckpt.npz"
    _old_checkpoint(path, states[19])
    state = load_checkpoint(path, "key")
    all_rows = _half_squared_error(P0, slice(None))
    assert state.first_loss == pytest.approx(all_rows, rel=1e-12)
    _assert_same(fit(NET, P0, X, Y, _config(SGD(0.2)), resume=state), whole)
    _old_checkpoint(path, states[19], drop_initial=True)
    state = load_checkpoint(path, "key")
    assert state.history.initial is None
    epoch_1 = whole.history.records[0].loss
    assert state.first_loss == pytest.approx(epoch_1, rel=1e-12) and math.isfinite(epoch_1)
    _assert_same(fit(NET, P0, X, Y, _config(SGD(0.2)), resume=state), whole)


def test_a_checkpoint_with_a_damaged_first_loss_is_refused(tmp_path):
    from glassnet.files.checkpoint import CheckpointError
    from glassnet.files.fileio import write_npz

    _, states = _whole_and_states(SGD(0.2), epochs=3)
    path = tmp_path / "c.npz"
    save_checkpoint(path, states[-1], "key")
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    for bad in ("0.5", -1.0, True):
        meta = json.loads(str(arrays["meta"]))
        meta["first_loss"] = bad
        write_npz(path, {**arrays, "meta": np.array(json.dumps(meta))})
        with pytest.raises(CheckpointError, match="damaged checkpoint.*first_loss"):
            load_checkpoint(path, "key")


@pytest.mark.parametrize("name", ["sgd", "nesterov"])
def test_a_warm_start_given_the_first_loss_keeps_the_runs_bound(name):
    """``fit(..., opt_state=, first_loss=)`` continues a run as one: epoch by epoch
    (as partial_fit trains) it ends as the uninterrupted run; without ``first_loss`` a
    continuation's own first batch (1e-15) stops it as diverged."""
    optimizer = OPTIMIZERS[name]
    whole, _ = _whole_and_states(optimizer, epochs=30)
    cfg = _config(optimizer, epochs=1)
    result = fit(NET, P0, X, Y, cfg)
    first = result.first_loss
    assert first == pytest.approx(_first_batch_loss(P0), rel=1e-12)
    for epoch in range(2, 31):
        if epoch == 20:
            with pytest.raises(TrainingDiverged, match="in epoch 1: loss 0.5 per sample"):
                fit(NET, result.params, X, Y, cfg, opt_state=result.opt_state)
        result = fit(NET, result.params, X, Y, cfg, opt_state=result.opt_state, first_loss=first)
        assert result.first_loss == first
    for pa, pb in zip(result.params, whole.params, strict=True):
        for k in pa:
            np.testing.assert_allclose(pa[k], pb[k], rtol=0, atol=1e-12)


# ``glassnet train``: 16 rows a line separates (far from it: their loss falls to 1e-12
# and below) and two rows it cannot (the same x, both labels). With Adam at --lr 1 the
# run completes; a first batch of far rows after a resume is tiny (old glassnet stopped
# the runs resumed at 20, 30, 35, 40 and 45 of these 60 epochs as diverged).
CLI_EPOCHS = 60


@pytest.fixture(scope="module")
def memorized_csv(tmp_path_factory):
    far = np.linspace(1.0, 2.0, 8)
    rows = [(a, "pos") for a in far] + [(-a, "neg") for a in far] + [(0.0, "pos"), (0.0, "neg")]
    path = tmp_path_factory.mktemp("memorized") / "memorized.csv"
    path.write_text("x,label\n" + "".join(f"{a},{label}\n" for a, label in rows))
    return path


@pytest.fixture(scope="module")
def whole_run(memorized_csv):
    """The oracle: the run of ``CLI_EPOCHS`` epochs, never stopped."""
    out = memorized_csv.parent / "whole" / "m.npz"
    assert _train(memorized_csv, out, CLI_EPOCHS) == 0
    return _cli_run(out)


def _train(csv, out, epochs, *extra):
    from glassnet.cli import main

    argv = ["train", "--data", str(csv), "--target", "label", "--hidden", "2", "--activation",
            "identity", "--lr", "1", "--batch-size", "4", "--val-fraction", "0", "--patience",
            "0", "--progress", "off", "--epochs", str(epochs), "--out", str(out)]  # fmt: skip
    return main([*argv, *extra])


def _cli_run(out):
    from glassnet.files.modelfile import load_model

    return load_model(out).params, json.loads((out.parent / "history.json").read_text())


def _assert_same_cli_run(got, want):
    (params_a, history_a), (params_b, history_b) = got, want
    for pa, pb in zip(params_a, params_b, strict=True):
        for k in pa:
            np.testing.assert_array_equal(pa[k], pb[k])
    for key in ("epoch", "loss", "accuracy", "kept_epoch", "stop_reason", "final"):
        assert history_a[key] == history_b[key], key


@pytest.mark.parametrize("first_part", [20, 30, 45])
def test_a_cli_run_extended_with_resume_equals_the_uninterrupted_run(
    tmp_path, capsys, memorized_csv, whole_run, first_part
):
    out = tmp_path / "parts" / "m.npz"
    assert _train(memorized_csv, out, first_part) == 0
    capsys.readouterr()
    assert _train(memorized_csv, out, CLI_EPOCHS, "--resume") == 0
    said = capsys.readouterr()
    assert f"resuming from epoch {first_part} (of at most {CLI_EPOCHS})" in said.out
    assert "diverged" not in said.out + said.err and "first batch" not in said.out
    _assert_same_cli_run(_cli_run(out), whole_run)


@pytest.mark.parametrize("stop_in", [31, 41])
def test_a_cli_run_interrupted_and_resumed_equals_the_uninterrupted_run(
    tmp_path, capsys, monkeypatch, memorized_csv, whole_run, stop_in
):
    from _interrupt import stop_in_epoch

    out = tmp_path / "parts" / "m.npz"
    stop_in_epoch(monkeypatch, stop_in)
    assert _train(memorized_csv, out, CLI_EPOCHS) == 130
    monkeypatch.undo()
    capsys.readouterr()
    assert _train(memorized_csv, out, CLI_EPOCHS, "--resume") == 0
    assert f"resuming from epoch {stop_in - 1}" in capsys.readouterr().out
    _assert_same_cli_run(_cli_run(out), whole_run)


def test_a_cli_resume_of_a_checkpoint_without_any_first_loss_says_so(
    tmp_path, capsys, memorized_csv
):
    """A checkpoint whose history holds no usable loss (none such is written: an old or
    edited file) resumes with the bound of its first batch, and the run says so."""
    from glassnet.files.fileio import write_npz

    out = tmp_path / "m.npz"
    assert _train(memorized_csv, out, 3) == 0
    checkpoint = out.with_name("m.ckpt.npz")
    with np.load(checkpoint) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays["meta"]))
    del meta["first_loss"]
    meta["history"]["loss"] = [0.0] * len(meta["history"]["loss"])
    write_npz(checkpoint, {**arrays, "meta": np.array(json.dumps(meta))})
    capsys.readouterr()
    assert _train(memorized_csv, out, 4, "--resume") == 0
    assert ("the checkpoint keeps no loss of the run's first batch: the divergence bound is "
            "taken from the first batch after the resume") in capsys.readouterr().out  # fmt: skip
