"""A model file that ``glassnet train`` (or ``glassnet sweep``) wrote keeps the record of every
epoch, as an estimator's ``save`` does (``settings["history"]``, what ``history.json``
holds), so that ``from_model`` gives the curves back: ``loss_curve_``,
``validation_loss_curve_``, ``validation_scores_``, ``best_loss_``, ``n_iter_``. The oracle
is the ``history.json`` written beside the model. Files without the record load as before."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import glassnet
from glassnet.cli.main import main
from glassnet.files.modelfile import load_model, save_model
from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor


def _table(path, y):
    X = np.random.default_rng(0).normal(size=(len(y), 3))
    rows = ["a,b,c,target"] + [",".join(map(str, [*r, t])) for r, t in zip(X, y, strict=True)]
    path.write_text("\n".join(rows) + "\n")


def _train(tmp_path, y, *extra, epochs=12):
    _table(tmp_path / "d.csv", y)
    out = tmp_path / "run" / "model.npz"
    args = ["train", "--data", str(tmp_path / "d.csv"), "--target", "target", "--progress", "off"]
    assert main([*args, "--out", str(out), "--epochs", str(epochs), "--hidden", "5", *extra]) == 0
    return out, json.loads((out.parent / "history.json").read_text())


def _from_model(cls, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # recipe settings without an argument
        return cls.from_model(glassnet.load(path))


def _trained(saved):
    """history.json's columns of the trained epochs (its first row is epoch 0)."""
    assert saved["epoch"][0] == 0
    return {k: saved[k][1:] for k in ("epoch", "loss", "val_loss", "accuracy", "val_accuracy")}


@pytest.mark.parametrize("extra", [(), ("--optimizer", "momentum", "--lr", "0.05"),
                                   ("--batch-size", "8",)])  # fmt: skip
def test_classifier_with_validation_gives_every_curve_back(tmp_path, capsys, extra):
    out, saved = _train(tmp_path, np.arange(60) % 3, *extra)
    est = _from_model(MLPClassifier, out)
    rows = _trained(saved)
    assert est.loss_curve_ == rows["loss"] and len(est.loss_curve_) == 12
    assert est.validation_loss_curve_ == rows["val_loss"]
    assert est.validation_scores_ == rows["val_accuracy"]
    assert est.best_loss_ == min(rows["val_loss"])
    assert est.best_validation_score_ == max(rows["val_accuracy"])
    assert est.n_iter_ == len(est.loss_curve_) == saved["epoch"][-1]
    assert est.loss_ == rows["loss"][-1]  # scikit-learn's loss_: the last epoch's
    assert est.t_ == 12 * 48  # scikit-learn's t_: epochs times the 60 - 12 training rows
    history = est.history_.as_dict()
    assert {k: v for k, v in saved.items() if k != "model"} == history


def test_classifier_without_validation(tmp_path, capsys):
    out, saved = _train(tmp_path, np.arange(40) % 2, "--val-fraction", "0", epochs=7)
    est = _from_model(MLPClassifier, out)
    rows = _trained(saved)
    assert est.loss_curve_ == rows["loss"] and len(rows["loss"]) == 7
    assert est.validation_loss_curve_ is None and est.validation_scores_ is None
    assert est.best_validation_score_ is None
    assert est.best_loss_ == min(rows["loss"]) and est.n_iter_ == 7
    assert est.t_ == 7 * 40  # every row trains


def test_early_stopped_run_counts_the_epochs_it_ran(tmp_path, capsys):
    out, saved = _train(tmp_path, np.arange(60) % 3, "--lr", "0.5", "--patience", "2",
                        epochs=60)  # fmt: skip
    est = _from_model(MLPClassifier, out)
    ran = saved["epoch"][-1]
    assert est.n_iter_ == ran == len(est.loss_curve_)
    assert est.t_ == ran * 48  # the epochs it ran, not the 60 it was given
    assert est.validation_loss_curve_ == saved["val_loss"][1:]
    assert est.history_.kept_epoch == saved["kept_epoch"]


@pytest.mark.parametrize("val", ["0.25", "0"])
def test_regressor_gives_its_curves_back(tmp_path, capsys, val):
    y = np.linspace(0.0, 3.0, 40)
    out, saved = _train(tmp_path, y, "--task", "regression", "--val-fraction", val, epochs=5)
    est = _from_model(MLPRegressor, out)
    rows = _trained(saved)
    assert est.loss_curve_ == rows["loss"] and est.n_iter_ == 5
    assert est.t_ == 5 * (40 if val == "0" else 30)
    if val == "0":
        assert est.validation_loss_curve_ is None and est.best_loss_ == min(rows["loss"])
    else:
        assert est.validation_loss_curve_ == rows["val_loss"]
        assert est.best_loss_ == min(rows["val_loss"])
    assert est.validation_scores_ is None  # R^2 per epoch: not in the record


def test_the_cli_file_keeps_its_record_as_the_estimators_does(tmp_path, capsys):
    out, saved = _train(tmp_path, np.arange(40) % 2, epochs=3)
    cli = load_model(out).settings
    X, y = np.random.default_rng(1).normal(size=(30, 3)), np.arange(30) % 2
    fitted = MLPClassifier((4,), max_iter=3, random_state=0).fit(X, y)
    est = load_model(fitted.save(tmp_path / "est.npz")).settings
    conditional = {"loss_unit", "loss_penalty"}  # (the estimator's alpha; no weight decay here)
    assert set(cli["history"]) >= set(est["history"]) - conditional
    assert cli["history"] == {k: v for k, v in saved.items() if k != "model"}
    assert cli["run"]["epochs"] == 3 and cli["run"]["kept_epoch"] == saved["kept_epoch"]


def test_an_older_cli_file_without_the_record_loads_as_before(tmp_path, capsys):
    out, _ = _train(tmp_path, np.arange(40) % 2, epochs=4)
    model = load_model(out)
    del model.settings["history"]  # as glassnet train wrote it before
    del model.settings["run"]["train_rows"]
    old = save_model(model, tmp_path / "old.npz")
    est = _from_model(MLPClassifier, old)
    assert est.loss_curve_ == [] and est.validation_loss_curve_ is None
    assert est.n_iter_ == 4 and not hasattr(est, "history_") and not hasattr(est, "t_")
    assert [w.shape for w in est.coefs_] == [(3, 5), (5, 2)]


def test_a_record_too_long_for_the_file_is_left_out(tmp_path, capsys, monkeypatch):
    import glassnet.files.kept_run as kept_run

    monkeypatch.setattr(kept_run, "HISTORY_BUDGET", 200)  # characters of JSON
    out, saved = _train(tmp_path, np.arange(40) % 2, epochs=4)
    settings = load_model(out).settings
    assert "history" not in settings and settings["run"]["epochs"] == 4
    assert len(saved["epoch"]) == 5  # history.json beside it keeps every epoch
    assert _from_model(MLPClassifier, out).loss_curve_ == []


def test_a_diverged_run_keeps_its_record(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    np.savez(tmp_path / "r.npz", X=X, y=X[:, 0] * 1e3)
    out = tmp_path / "m.npz"
    argv = ["train", "--data", str(tmp_path / "r.npz"), "--target", "y", "--task",
            "regression", "--optimizer", "sgd", "--lr", "50", "--epochs", "30", "--progress",
            "off", "--out", str(out)]  # fmt: skip
    with np.errstate(all="ignore"):
        assert main(argv) != 0
    settings = load_model(out).settings
    assert settings["run"]["stop_reason"] == "diverged"
    history = settings["history"]
    assert history["stop_reason"] == "diverged" and history["epoch"][0] == 0
    assert len(history["epoch"]) == settings["run"]["epochs"] + 1


def test_a_sweeps_best_model_keeps_its_record(tmp_path, capsys):
    out = tmp_path / "sw"
    argv = ["sweep", "--dataset", "moons", "--lr", "1e-3,3e-2", "--seeds", "1", "--hidden", "4",
            "--epochs", "3", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    saved = json.loads((out / "history.json").read_text())
    stored = load_model(out / "best.npz").settings["history"]
    assert stored == {k: v for k, v in saved.items() if k in stored}
    assert stored["loss"] == saved["loss"] and len(stored["epoch"]) == 4
