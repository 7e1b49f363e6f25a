"""Regression losses in the targets' units when the target columns have different scales
(issue 11 item 5). Each column is standardized by its own scale for training; the loss in
units is ``mean_k s_k**2 L_k``. The oracle: half the squared error of the saved model's
predictions in the targets' units, averaged over rows and columns, in NumPy. The training
losses stay those of the standardized targets (the step gives one number), and the record
says so (``LOSS_SPLIT``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.cli.workflow import Recipe, train_model
from glassnet.core.network import Network
from glassnet.data.batching import evaluate, evaluate_columns
from glassnet.data.preprocessing import LOSS_SPLIT, LOSS_STANDARDIZED, fit_target_scaler
from glassnet.files.modelfile import load_model
from glassnet.train.history import EpochRecord, History
from glassnet.train.target_units import in_target_units, loss_axes

SCALES = np.array([1.0, 1e6])


def _five(value: float) -> str:
    """Five significant digits, as the console prints a loss (no trailing decimal point)."""
    return f"{value:#.5g}".removesuffix(".")


def _data(n: int = 160):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 3))
    base = np.column_stack([np.sin(X[:, 0]) + X[:, 1], X[:, 1] * X[:, 2]])
    return X, base * SCALES + [0.0, 5e6]


def _by_hand(P, Y):
    """The oracle: half the squared error in the targets' units, mean over rows and columns."""
    return 0.5 * np.mean((np.asarray(P, dtype=np.float64) - Y) ** 2)


def _standardized(P, Y, scale):
    return 0.5 * np.mean(((np.asarray(P, dtype=np.float64) - Y) / scale) ** 2)


@pytest.mark.parametrize("epochs", [0, 6])
def test_the_cli_workflow_reports_validation_and_final_losses_in_units(epochs):
    X, Y = _data()
    recipe = Recipe(hidden=(8,), epochs=epochs, val_size=0.25, task="regression",
                    dtype="float64", patience=None)  # fmt: skip
    outcome = train_model(X, Y, recipe)
    h, model = outcome.result.history, outcome.model
    assert h.loss_unit == LOSS_SPLIT
    scale = model.target_scaler.scale
    assert scale[1] / scale[0] > 1e5  # two scales: no single factor
    val, train = outcome.rows["validation"], outcome.rows["train"]
    kept = h.rows()[h.kept_epoch]
    at_val = _by_hand(model.predict(X[val]), Y[val])
    assert kept.val_loss == pytest.approx(at_val, rel=1e-9)  # the curve, at the kept epoch
    assert h.final["validation"]["loss"] == pytest.approx(at_val, rel=1e-9)
    assert h.final["train"]["loss"] == pytest.approx(
        _by_hand(model.predict(X[train]), Y[train]), rel=1e-9
    )
    if epochs == 0:  # epoch 0's training loss stays standardized, as every epoch's
        assert kept.loss == pytest.approx(
            _standardized(model.predict(X[train]), Y[train], scale), rel=1e-9
        )
    assert all(r.val_losses is None for r in h.rows())  # consumed by the conversion


def test_glassnet_train_writes_the_losses_in_units_and_says_which(tmp_path, capsys):
    X, Y = _data()
    np.savez(tmp_path / "data.npz", X=X, y=Y)
    out = tmp_path / "run" / "m.npz"
    argv = ["train", "--data", str(tmp_path / "data.npz"), "--task", "regression",
            "--hidden", "8", "--epochs", "5", "--val-fraction", "0.25", "--patience", "0",
            "--progress", "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    console = capsys.readouterr().out
    history = json.loads((out.parent / "history.json").read_text())
    assert history["loss_unit"] == LOSS_SPLIT and "val_losses" not in history
    final = history["final"]
    kept = history["kept_epoch"]
    assert final["validation"]["loss"] == pytest.approx(history["val_loss"][kept], rel=1e-9)
    # the oracle over all rows: the splits' losses weighted by their rows
    model = load_model(out)
    n_val = round(0.25 * len(Y))
    whole = (final["train"]["loss"] * (len(Y) - n_val) + final["validation"]["loss"] * n_val)
    assert whole / len(Y) == pytest.approx(_by_hand(model.predict(X), Y), rel=1e-6)
    assert history["val_loss"][0] > 1e9  # in units² of the 1e6 column
    assert history["loss"][0] < 100  # standardized
    assert "in their square for validation and the final scores" in console
    initial = f"loss {_five(history['loss'][0])} (standardized), validation "
    assert initial + f"{_five(history['val_loss'][0])} (the initial parameters)" in console
    report = (out.parent / "report.html").read_text()
    assert "validation and final losses: half squared error (target units²)" in report


@pytest.mark.parametrize("solver", ["adam", "sgd"])  # lbfgs ignores early_stopping (NU10 #7)
def test_the_estimator_reports_validation_and_final_losses_in_units(solver):
    pytest.importorskip("sklearn")
    from glassnet.sklearn.estimators import MLPRegressor
    from glassnet.sklearn.fitting import run_seed, split_rows

    X, Y = _data(200)
    est = MLPRegressor(hidden_layer_sizes=(8,), max_iter=15, early_stopping=True,
                       score_initial=True, random_state=0, solver=solver)  # fmt: skip
    est.fit(X, Y)
    h = est.history_
    assert h.loss_unit == LOSS_SPLIT
    train, val = split_rows(est, len(X), Y, run_seed(0), False)
    at_val = _by_hand(est.predict(X[val]), Y[val])
    assert h.final["validation"]["loss"] == pytest.approx(at_val, rel=1e-9)
    assert h.final["train"]["loss"] == pytest.approx(
        _by_hand(est.predict(X[train]), Y[train]), rel=1e-9
    )
    assert est.validation_loss_curve_[h.kept_epoch - 1] == pytest.approx(at_val, rel=1e-9)
    assert est.validation_loss_curve_ == [r.val_loss for r in h.records]
    assert est.loss_curve_ == [r.loss for r in h.records] and max(est.loss_curve_) < 100
    best = int(np.argmin([r.monitored_loss for r in h.records]))  # as compared (NU11 #7)
    assert est.best_loss_ == est.validation_loss_curve_[best]  # the curve in units


def test_evaluate_columns_sums_the_heads_terms_per_column():
    X, Y = _data(50)
    net = Network.mlp([3, 4, 2], "tanh", "identity", "mean")
    params = net.init(np.random.default_rng(0))
    score, columns = evaluate_columns(net, params, X, Y, batch_size=16)
    P = net.predict(params, X)
    np.testing.assert_allclose(columns, 0.5 * np.mean((P - Y) ** 2, axis=0), rtol=1e-12)
    assert score == evaluate(net, params, X, Y, batch_size=16)  # the same bits
    assert np.mean(columns) == pytest.approx(score.loss, rel=1e-12)
    one = Network.mlp([3, 4, 1], "tanh", "identity", "mean")
    assert evaluate_columns(one, one.init(np.random.default_rng(0)), X, Y[:, 0])[1] is None
    clf = Network.mlp([3, 4, 2], "tanh", "softmax", "mean")
    codes = (Y[:, 0] > 0).astype(int)
    assert evaluate_columns(clf, clf.init(np.random.default_rng(0)), X, codes)[1] is None


def _record(epoch, val_losses):
    val = None if val_losses is None else float(np.mean(val_losses))
    return EpochRecord(epoch, 0.5, val, None, None, 0.01, 0.0, val_losses)


def test_per_column_losses_round_trip_and_older_files_load():
    h = History([_record(1, (0.2, 0.4))], 1, "completed", _record(0, (0.3, 0.5)))
    back = History.from_dict(h.as_dict())  # a checkpoint's record, as trained
    assert back.rows() == h.rows() and back.by_column()
    old = {k: v for k, v in h.as_dict().items() if k != "val_losses"}  # a file from before
    loaded = History.from_dict(old)
    assert loaded.rows()[1].val_loss == pytest.approx(0.3) and not loaded.by_column()
    assert "val_losses" not in History([_record(1, None)]).as_dict()  # no new column


def test_a_record_without_columns_stays_standardized_and_says_so():
    scaler = fit_target_scaler(_data()[1])
    h = History([_record(1, (0.2, 0.4))], 1, "completed", _record(0, (0.3, 0.5)))
    units = in_target_units(h, scaler)
    factors = scaler.scale**2
    assert units.loss_unit == LOSS_SPLIT
    assert units.records[0].val_loss == pytest.approx(np.mean(factors * [0.2, 0.4]), rel=1e-12)
    assert units.records[0].loss == 0.5  # the training loss as trained
    old = History.from_dict({k: v for k, v in h.as_dict().items() if k != "val_losses"})
    kept = in_target_units(old, scaler)  # an older checkpoint resumed: no columns to convert
    assert kept.loss_unit == LOSS_STANDARDIZED and kept.records[0].val_loss == pytest.approx(0.3)
    with pytest.raises(ValueError, match="no per-column losses"):
        old.in_units(factors, LOSS_SPLIT)


def test_a_loss_figure_of_two_units_has_two_axes():
    pytest.importorskip("matplotlib")
    from glassnet.cli.run_outputs import loss_figure

    h = History([_record(e, (0.2 / e, 0.4 / e)) for e in range(1, 5)], 4, "completed",
                _record(0, (0.3, 0.5)))  # fmt: skip
    fig = loss_figure(in_target_units(h, fit_target_scaler(_data()[1])))
    assert len(fig.axes) == 2
    left, right = loss_axes(LOSS_SPLIT)
    assert "standardized" in left and right is not None and "units" in right
    labels = [" ".join(ax.get_ylabel().split()) for ax in fig.axes]
    assert labels == [left, right]


def test_a_resumed_run_keeps_its_validation_losses_in_units(tmp_path, capsys):
    """The checkpoint keeps each epoch's per-column losses (as trained), so a run resumed
    to more epochs has the record of the run given those epochs at once, in units."""
    X, Y = _data()
    np.savez(tmp_path / "data.npz", X=X, y=Y)
    base = ["train", "--data", str(tmp_path / "data.npz"), "--task", "regression", "--hidden",
            "6", "--val-fraction", "0.25", "--patience", "0", "--progress", "off"]  # fmt: skip

    def run(out, epochs, *extra):
        assert main([*base, "--epochs", str(epochs), "--out", str(out), *extra]) == 0
        return json.loads((out.parent / "history.json").read_text())

    whole = run(tmp_path / "whole" / "m.npz", 6)
    run(tmp_path / "parts" / "m.npz", 3)
    resumed = run(tmp_path / "parts" / "m.npz", 6, "--resume")
    capsys.readouterr()
    assert resumed["loss_unit"] == whole["loss_unit"] == LOSS_SPLIT
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(resumed[key], whole[key], rtol=1e-12)
    assert resumed["val_loss"][0] > 1e9  # the checkpoint's epochs converted too
