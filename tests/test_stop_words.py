"""One record, one vocabulary: the estimators' ``stop_reason_`` and ``history_`` say what
the CLI's ``history.json`` says (:data:`glassnet.train.history.STOP_REASONS`), and
``history_.final`` holds the kept parameters' scores, checked against scikit-learn's
metrics on the estimator's own predictions."""

import json

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, log_loss

import glassnet
from glassnet.cli.main import main
from glassnet.train.history import STOP_REASONS


def _data(n=160, classes=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = np.digitize(X[:, 0] + 0.5 * X[:, 1], [-0.4, 0.4][: classes - 1])
    return X, y


@pytest.mark.parametrize(("max_iter", "reason"), [(3, "completed"), (5, "completed"),
                                                  (2000, "converged")])  # fmt: skip
def test_lbfgs_says_completed_for_every_iteration_and_converged_for_the_tolerance(
    max_iter, reason
):
    X, y = _data()
    est = glassnet.MLPClassifier((6,), solver="lbfgs", max_iter=max_iter, random_state=0)
    est.fit(X, y)
    assert est.stop_reason_ == reason == est.history_.stop_reason
    assert (est.n_iter_ == max_iter) == (reason == "completed")
    assert est.stop_reason_ in STOP_REASONS


def test_lbfgs_out_of_evaluations_says_max_fun():
    X, y = _data()
    est = glassnet.MLPClassifier((6,), solver="lbfgs", max_iter=300, max_fun=5, random_state=0)
    assert est.fit(X, y).stop_reason_ == "max_fun" and est.n_iter_ < 300


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_the_loop_says_completed_or_early_stopping_as_the_cli_does(solver):
    X, y = _data()
    ran = glassnet.MLPClassifier((6,), solver=solver, max_iter=4, random_state=0).fit(X, y)
    assert ran.stop_reason_ == "completed" and ran.n_iter_ == 4
    stopped = glassnet.MLPClassifier((6,), solver=solver, max_iter=500, tol=1e3,
                                     n_iter_no_change=2, random_state=0).fit(X, y)  # fmt: skip
    assert stopped.stop_reason_ == "early stopping" and stopped.n_iter_ < 500


@pytest.mark.parametrize(("patience", "reason"), [("0", "completed"), ("1", "early stopping")])
def test_the_cli_record_uses_the_same_words(tmp_path, patience, reason):
    out = tmp_path / "m.npz"
    assert main(["train", "--dataset", "moons", "--n-samples", "120", "--hidden", "4",
                 "--epochs", "60", "--lr", "0.3", "--patience", patience, "--progress", "off",
                 "--out", str(out)]) == 0  # fmt: skip
    saved = json.loads((tmp_path / "history.json").read_text())
    assert saved["stop_reason"] == reason and reason in STOP_REASONS


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_final_is_the_kept_parameters_scores_on_every_row(classes, solver):
    X, y = _data(classes=classes)
    est = glassnet.MLPClassifier((6,), solver=solver, max_iter=15, random_state=0,
                                 score_initial=True).fit(X, y)  # fmt: skip
    final = est.history_.final
    assert set(final) == {"train"}
    assert final["train"]["loss"] == pytest.approx(log_loss(y, est.predict_proba(X)), rel=1e-9)
    assert final["train"]["accuracy"] == pytest.approx(accuracy_score(y, est.predict(X)))
    assert est.history_.kept_epoch == est.n_iter_  # no early stopping: the last is kept


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_with_early_stopping_final_scores_the_kept_epoch_on_both_splits(seed):
    X, y = _data(seed=seed)
    est = glassnet.MLPClassifier((6,), max_iter=60, random_state=seed, early_stopping=True,
                                 n_iter_no_change=5, score_initial=True).fit(X, y)  # fmt: skip
    h = est.history_
    final = h.final
    assert set(final) == {"train", "validation"}
    kept = h.rows()[h.kept_epoch]  # epoch 0 first: row i is epoch i
    assert kept.epoch == h.kept_epoch == h.lowest_epoch() or h.lowest_epoch() == 0
    assert final["validation"]["loss"] == pytest.approx(kept.val_loss, rel=1e-9)
    n_val = round(0.1 * len(y))
    weighted = ((len(y) - n_val) * final["train"]["loss"] + n_val * final["validation"]["loss"])
    assert weighted / len(y) == pytest.approx(log_loss(y, est.predict_proba(X)), rel=1e-9)
    assert h.as_dict()["kept_epoch"] == h.kept_epoch and h.as_dict()["final"] == final


def test_a_regressors_final_is_in_the_targets_units():
    X, _ = _data()
    y = 1e3 * (X[:, 0] - X[:, 1] ** 2) + 5e4
    est = glassnet.MLPRegressor((6,), max_iter=20, random_state=0, score_initial=True).fit(X, y)
    half_se = 0.5 * np.mean((est.predict(X) - y) ** 2)
    assert est.history_.final["train"]["loss"] == pytest.approx(half_se, rel=1e-9)
    assert est.history_.final["train"]["accuracy"] is None
    assert est.history_.loss_unit  # its record says the unit, as the CLI's does


@pytest.mark.parametrize("early_stopping", [False, True])
def test_the_default_fit_scores_no_extra_pass(monkeypatch, early_stopping):
    """Without ``score_initial`` the fit makes no forward pass over every row at either end
    (scikit-learn's MLP makes none): ``final`` stays empty, epoch 0 absent."""
    import glassnet.data.batching as batching

    calls = []
    real = batching.evaluate
    monkeypatch.setattr(batching, "evaluate", lambda *a, **k: calls.append(1) or real(*a, **k))
    X, y = _data()
    est = glassnet.MLPClassifier((6,), max_iter=10, random_state=0,
                                 early_stopping=early_stopping).fit(X, y)  # fmt: skip
    assert calls == [] and est.history_.final == {} and est.history_.initial is None
