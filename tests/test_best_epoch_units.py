"""The "best epoch" means one thing in every view (NU11 #7): the epoch of the lowest
*monitored* loss, the one early stopping compares. With target columns of different
scales that is the standardized validation loss, while the record shows its validation
losses in the targets' units, whose lowest epoch may be another: that one is said apart,
under its own label. Oracles: the saved model's standardized validation loss by hand in
NumPy, and NumPy's argmin of the record's columns."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from _report_rows import summary_rows

from glassnet.cli.main import main
from glassnet.cli.workflow import Recipe, train_model
from glassnet.data.preprocessing import LOSS_SPLIT
from glassnet.files.modelfile import load_model
from glassnet.train.history import EpochRecord, History, continued

DIFFERS, SAME = 1, 0  # data seeds: the lowest epoch in units is another / the same epoch


def _data(seed: int, n: int = 160):
    """Two noisy target columns of scales 1 and 1e6."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    base = np.column_stack([np.sin(X[:, 0]) + X[:, 1] + rng.normal(size=n),
                            X[:, 1] * X[:, 2] + 0.5 * rng.normal(size=n)])  # fmt: skip
    return X, base * [1.0, 1e6] + [0.0, 5e6]


def _standardized(P, Y, scale):
    """The oracle of the monitored loss: half the squared error of each column over its
    scale squared, averaged over rows and columns."""
    return 0.5 * np.mean(((np.asarray(P, dtype=np.float64) - Y) / scale) ** 2)


def _argmin(values) -> int:
    return int(np.argmin(np.asarray(values, dtype=np.float64)))  # epoch = index (epoch 0 first)


@pytest.mark.parametrize("seed", [DIFFERS, SAME])
def test_the_best_epoch_is_the_lowest_standardized_validation_loss(seed):
    X, Y = _data(seed)
    recipe = Recipe(hidden=(8,), epochs=60, val_size=0.25, task="regression",
                    dtype="float64", patience=20)  # fmt: skip
    outcome = train_model(X, Y, recipe)
    h, model = outcome.result.history, outcome.model
    assert h.loss_unit == LOSS_SPLIT
    rows, val = h.rows(), outcome.rows["validation"]
    monitored = [r.monitored_loss for r in rows]
    kept = h.kept_epoch
    assert monitored[kept] == pytest.approx(
        _standardized(model.predict(X[val]), Y[val], model.target_scaler.scale), rel=1e-9
    )
    assert h.lowest_epoch() == _argmin(monitored) == kept  # default patience: best == kept
    in_units = _argmin([r.val_loss for r in rows])
    assert h.lowest_in_units() == in_units
    assert (in_units != kept) == (seed == DIFFERS)


def _cli(tmp_path, capsys, seed, columns=2):
    X, Y = _data(seed)
    np.savez(tmp_path / "data.npz", X=X, y=Y[:, :columns] if columns > 1 else Y[:, 1])
    out = tmp_path / "run" / "m.npz"
    argv = ["train", "--data", str(tmp_path / "data.npz"), "--task", "regression",
            "--hidden", "8", "--epochs", "60", "--val-fraction", "0.25",
            "--progress", "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    console = capsys.readouterr().out
    saved = json.loads((out.parent / "history.json").read_text())
    page = summary_rows((out.parent / "report.html").read_text())
    return out, console, saved, page


def _marks(history: History) -> dict[str, float]:
    from glassnet.cli.run_outputs import loss_figure

    ax = loss_figure(history).axes[0]
    return {ln.get_label(): ln.get_xdata()[0] for ln in ax.lines if len(ln.get_xdata()) == 2}


@pytest.mark.parametrize("seed", [DIFFERS, SAME])
def test_every_cli_view_calls_the_monitored_lowest_the_best_epoch(tmp_path, capsys, seed):
    out, console, saved, page = _cli(tmp_path, capsys, seed)
    best, kept = saved["best_epoch"], saved["kept_epoch"]
    assert saved["best_epoch_of"] == "monitored_loss"
    assert best == _argmin(saved["monitored_loss"]) == kept  # default --patience 20
    units = _argmin(saved["val_loss"])
    assert saved["lowest_val_loss_epoch"] == units and (units != best) == (seed == DIFFERS)
    # the console: the best is the kept; the lowest in units said apart, only when another
    assert "the lowest monitored loss was at" not in console
    said = f"the lowest validation loss in the targets' units was at epoch {units}"
    assert (said in console) == (units != best)
    # the report: the best epoch row, the units row apart, every loss row with its unit
    assert page["best epoch (lowest monitored loss: the validation loss of the standardized "
                "targets)"] == str(best)  # fmt: skip
    units_row = "epoch of the lowest validation loss in the targets' units"
    assert page.get(units_row) == (str(units) if units != best else None)
    loss_rows = [k for k in page if re.match(r"(initial|final) loss|loss in the last", k)]
    assert len(loss_rows) >= 2
    for label in loss_rows:
        assert label.endswith(("training loss of the standardized targets)",
                               "in target units²)"))  # fmt: skip
    assert "in target units²)" in next(k for k in loss_rows if k.startswith("final"))
    # loss.png: the best and kept epoch, and the units' lowest as its own mark
    marks = _marks(History.from_dict(saved))
    assert marks[f"best and kept epoch ({best})"] == best
    assert marks.get(f"lowest validation loss in target units ({units})") == (
        units if units != best else None
    )
    # the model file's run summary and the estimator made from it
    model = load_model(out)
    assert model.settings["run"]["best_epoch"] == best
    pytest.importorskip("sklearn")
    from glassnet.sklearn.estimators import MLPRegressor

    with pytest.warns(UserWarning):  # settings with no estimator argument
        est = MLPRegressor.from_model(model)
    assert est.history_.lowest_epoch() == best
    assert est.best_loss_ == pytest.approx(saved["val_loss"][best], rel=1e-12)


@pytest.mark.parametrize("seed", [1, 5, 0])  # 1, 5: the lowest in units is another epoch
def test_the_estimators_best_loss_is_the_best_epochs(seed):
    pytest.importorskip("sklearn")
    from glassnet.sklearn.estimators import MLPRegressor
    from glassnet.sklearn.fitting import run_seed, split_rows

    X, Y = _data(seed)
    est = MLPRegressor(hidden_layer_sizes=(8,), max_iter=150, learning_rate_init=0.02,
                       early_stopping=True, n_iter_no_change=100, random_state=seed)  # fmt: skip
    est.fit(X, Y)
    h, curve = est.history_, est.validation_loss_curve_
    best = h.lowest_epoch()
    assert best == h.best_epoch == h.kept_epoch  # patience never ran out: best == kept
    assert est.best_loss_ == curve[best - 1]  # epoch e is the curve's point e - 1
    _, val = split_rows(est, len(X), Y, run_seed(seed), False)
    monitored = [r.monitored_loss for r in h.records]
    assert monitored[best - 1] == pytest.approx(
        _standardized(est.predict(X[val]), Y[val], est.target_scaler_.scale), rel=1e-9
    )
    assert best == _argmin(monitored) + 1
    assert h.lowest_in_units() == _argmin(curve) + 1
    assert (est.best_loss_ == min(curve)) == (seed == 0)
    again = History.from_dict(json.loads(json.dumps(h.as_dict())))  # as est.save keeps it
    assert (again.lowest_epoch(), again.lowest_in_units()) == (best, h.lowest_in_units())


def _trained(val_losses: list[tuple[float, float]]) -> History:
    """A record as trained on two columns: each epoch's validation loss per column."""
    rows = [EpochRecord(e, 1.0 / (e + 1), float(np.mean(c)), None, None, 0.1, 0.0, c)
            for e, c in enumerate(val_losses)]  # fmt: skip
    return History(rows[1:], 1, "completed", rows[0])


def test_in_units_keeps_the_order_early_stopping_compared():
    # standardized means 1.0, 0.3, 0.4; in units (factors 1, 100): 50.5, 30.25, 20.2
    h = _trained([(1.0, 1.0), (0.3, 0.3), (0.6, 0.2)]).in_units([1.0, 100.0], LOSS_SPLIT)
    assert [r.val_loss for r in h.rows()] == pytest.approx([50.5, 15.15, 10.3])
    assert (h.lowest_epoch(), h.lowest_in_units()) == (1, 2)
    d = h.as_dict()
    assert (d["best_epoch"], d["best_epoch_of"], d["lowest_val_loss_epoch"]) == (
        1,
        "monitored_loss",
        2,
    )
    assert d["monitored_loss"] == pytest.approx([1.0, 0.3, 0.4])
    assert History.from_dict(d).lowest_epoch() == 1
    # a continued run (warm_start, partial_fit) keeps comparing the monitored losses
    later = _trained([(0.35, 0.35), (0.32, 0.33), (0.5, 0.15)]).in_units([1.0, 100.0], LOSS_SPLIT)
    both = continued(h, later)
    assert (both.lowest_epoch(), both.lowest_in_units()) == (1, 4)


def test_one_scale_and_older_files_are_as_before():
    # one factor keeps the order: no monitored column, best_epoch of val_loss
    h = _trained([(1.0, 1.0), (0.3, 0.3), (0.6, 0.2)]).in_units(4.0, "units")
    d = h.as_dict()
    assert d["best_epoch_of"] == "val_loss" and "monitored_loss" not in d
    assert "lowest_val_loss_epoch" not in d and h.lowest_in_units() is None
    assert h.lowest_epoch() == 1
    # a file written before the monitored column: its val_loss column is read as before
    old = {k: v for k, v in d.items() if k != "best_epoch_of"}
    old["val_loss"] = [50.5, 15.15, 10.3]
    back = History.from_dict(old)
    assert (back.lowest_epoch(), back.lowest_in_units(), back.kept_epoch) == (2, None, 1)
    # training loss only: the best epoch is the training loss's
    plain = History([EpochRecord(1, 0.5, None, None, None, 0.1, 0.0)], 1)
    assert plain.as_dict()["best_epoch_of"] == "loss" and plain.lowest_epoch() == 1


def test_one_target_column_has_no_units_rows(tmp_path, capsys):
    _, console, saved, page = _cli(tmp_path, capsys, SAME, columns=1)
    assert saved["best_epoch_of"] == "val_loss" and "monitored_loss" not in saved
    assert saved["best_epoch"] == _argmin(saved["val_loss"])
    assert "best epoch (lowest monitored loss)" in page
    assert "initial loss (epoch 0, before training)" in page
    assert not any("standardized targets" in k or "units²)" in k for k in page)
    assert "targets' units was at" not in console


def test_a_classifier_is_as_before(tmp_path, capsys):
    out = tmp_path / "run" / "m.npz"
    argv = ["train", "--dataset", "moons", "--hidden", "6", "--epochs", "8", "--lr", "0.3",
            "--val-fraction", "0.3", "--patience", "2", "--progress", "off",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    console = capsys.readouterr().out
    saved = json.loads((out.parent / "history.json").read_text())
    page = summary_rows((out.parent / "report.html").read_text())
    assert saved["best_epoch_of"] == "val_loss" and "monitored_loss" not in saved
    assert saved["best_epoch"] == _argmin(saved["val_loss"])
    assert page["best epoch (lowest monitored loss)"] == str(saved["best_epoch"])
    assert not any("standardized targets" in k or "units" in k for k in page)
    assert "targets' units" not in console
    h = History.from_dict(saved)
    assert h.lowest_in_units() is None and h.lowest_epoch() == saved["best_epoch"]


@pytest.mark.parametrize("lr", ["3", "30"])  # training only makes the validation loss worse
def test_a_run_whose_initialization_scores_best_says_so(tmp_path, capsys, lr):
    """The lowest monitored loss at epoch 0 (the initialization) is named as before training,
    and the kept epoch is the trained epoch of lowest validation loss (history.json)."""
    out = tmp_path / "m.npz"
    argv = ["train", "--dataset", "moons", "--n-samples", "80", "--epochs", "4", "--lr", lr,
            "--progress", "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    record = json.loads((tmp_path / "history.json").read_text())
    val = record["val_loss"]
    assert record["best_epoch"] == int(np.argmin(val)) == 0
    assert record["kept_epoch"] == 1 + int(np.argmin(val[1:]))
    stop = next(line for line in capsys.readouterr().out.splitlines() if "stopped after" in line)
    assert stop.endswith("lowest monitored loss was at epoch 0, before training "
                         "(a trained epoch is kept)")  # fmt: skip
