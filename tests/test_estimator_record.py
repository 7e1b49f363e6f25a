"""scikit-learn's fitted attributes ``loss_``, ``t_``, ``validation_scores_`` and
``best_validation_score_`` (NU7 10), and the run's record through ``save`` ->
``glassnet.load`` -> ``from_model`` and ``glassnet report`` (NU7 15)."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier as SkClassifier
from sklearn.neural_network import MLPRegressor as SkRegressor

import glassnet
from glassnet import MLPClassifier, MLPRegressor
from glassnet.sklearn.fitting import run_seed, split_rows


def _data(rng: np.random.Generator, n: int = 120) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(n, 4))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def _pair(kind: str, **kw: object) -> tuple[object, object]:
    mine, theirs = (MLPClassifier, SkClassifier) if kind == "clf" else (MLPRegressor, SkRegressor)
    settings = {"max_iter": 7, "random_state": 0, "n_iter_no_change": 100, **kw}
    return mine(**settings), theirs(**settings)


def _fit(est: object, X: np.ndarray, y: np.ndarray) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["clf", "reg"])
@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_attributes_as_scikit_learn_sets_them(
    rng: np.random.Generator, kind: str, early_stopping: bool, solver: str
) -> None:
    X, y = _data(rng)
    target = y if kind == "clf" else X[:, 0] * 3.0 + 1.0
    mine, theirs = _pair(kind, early_stopping=early_stopping, solver=solver)
    ours, ref = _fit(mine, X, target), _fit(theirs, X, target)
    assert ours.n_iter_ == ref.n_iter_ == 7
    assert ours.t_ == ref.t_  # training rows (without the validation split) times epochs
    assert ours.loss_ == ours.loss_curve_[-1] and ref.loss_ == ref.loss_curve_[-1]
    if early_stopping:
        assert len(ours.validation_scores_) == len(ref.validation_scores_) == 7
        assert ours.best_validation_score_ == max(ours.validation_scores_)
    else:
        assert ours.validation_scores_ is ref.validation_scores_ is None
        assert ours.best_validation_score_ is ref.best_validation_score_ is None


def test_lbfgs_leaves_t_zero_as_scikit_learn(rng: np.random.Generator) -> None:
    X, y = _data(rng)
    ours, ref = (_fit(e, X, y) for e in _pair("clf", solver="lbfgs", max_iter=5))
    assert ours.t_ == ref.t_ == 0
    assert ours.loss_ == ours.loss_curve_[-1]
    assert ours.validation_scores_ is None and ours.best_validation_score_ is None


def test_partial_fit_counts_samples(rng: np.random.Generator) -> None:
    X, y = _data(rng, 50)
    ours, ref = _pair("clf")
    for _ in range(3):
        ours.partial_fit(X, y, classes=[0, 1])  # type: ignore[attr-defined]
        ref.partial_fit(X, y, classes=[0, 1])  # type: ignore[attr-defined]
    assert ours.t_ == ref.t_ == 150


@pytest.mark.parametrize(
    "kind, scale, outputs", [("clf", 1.0, 1), ("reg", 1.0, 1), ("reg", 1e6, 1), ("reg", 1.0, 2)]
)
def test_validation_scores_are_accuracy_or_r2(
    rng: np.random.Generator, kind: str, scale: float, outputs: int
) -> None:
    """The kept epoch's validation score equals accuracy_score / r2_score of the fitted
    estimator's predictions on the validation rows (for two targets: the variance-weighted
    R^2 of the standardized targets)."""
    X, y = _data(rng)
    target = y if kind == "clf" else scale * np.c_[X[:, 0] * 3.0 + 1.0, X[:, 1]][:, :outputs]
    target = target[:, 0] if kind == "reg" and outputs == 1 else target
    est = _fit(_pair(kind, early_stopping=True, max_iter=15)[0], X, target)
    _, val = split_rows(est, len(X), target, run_seed(0), False)
    kept = est.history_.kept_epoch
    predicted = est.predict(X[val])
    if kind == "clf":
        expected = accuracy_score(target[val], predicted)
    elif outputs == 1:
        expected = r2_score(target[val], predicted)
    else:
        s = est.target_scaler_
        expected = r2_score(
            s.transform(target[val]), s.transform(predicted), multioutput="variance_weighted"
        )
    assert est.validation_scores_[kept - 1] == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("kind", ["clf", "reg"])
@pytest.mark.parametrize("early_stopping", [False, True])
def test_save_load_from_model_gives_back_the_record(
    tmp_path: Path, rng: np.random.Generator, kind: str, early_stopping: bool
) -> None:
    X, y = _data(rng)
    target = y if kind == "clf" else X[:, 0] * 2.0
    est = _fit(_pair(kind, early_stopping=early_stopping, max_iter=9)[0], X, target)
    path = est.save(tmp_path / "m.npz")
    meta = json.loads(str(np.load(path)["meta"].item()))
    run = meta["settings"]["run"]
    assert run["epochs"] == est.n_iter_ == 9
    assert run["kept_epoch"] == est.history_.kept_epoch
    assert run["stop_reason"] == est.stop_reason_
    back = type(est).from_model(glassnet.load(path))
    names = ("n_iter_", "t_", "loss_curve_", "validation_loss_curve_", "best_loss_",
             "validation_scores_", "best_validation_score_", "stop_reason_", "loss_")  # fmt: skip
    for name in names:
        assert getattr(back, name) == getattr(est, name), name
    assert back.history_ == est.history_
    # a second save of the rebuilt estimator keeps the same record
    again = json.loads(str(np.load(back.save(tmp_path / "again.npz"))["meta"].item()))
    assert again["settings"]["run"] == run
    assert again["settings"]["fitted"] == meta["settings"]["fitted"]


def test_partial_fit_record_survives_the_file(
    tmp_path: Path, rng: np.random.Generator
) -> None:
    X, y = _data(rng, 40)
    est = MLPClassifier(random_state=0)
    for _ in range(4):
        est.partial_fit(X, y, classes=[0, 1])
    back = MLPClassifier.from_model(glassnet.load(est.save(tmp_path / "p.npz")))
    assert back.n_iter_ == est.n_iter_ == 1 and back.t_ == 160  # n_iter_: the last call's
    assert back.loss_curve_ == est.loss_curve_ and len(back.loss_curve_) == 4


def test_loss_missing_before_fit_and_without_record(rng: np.random.Generator) -> None:
    assert not hasattr(MLPClassifier(), "loss_")
    X, y = _data(rng, 30)
    est = _fit(MLPClassifier(max_iter=2, random_state=0), X, y)
    model = est.to_model()
    for key in ("run", "history", "fitted"):
        model.settings.pop(key)  # a file written before 0.2
    back = MLPClassifier.from_model(model)
    assert back.n_iter_ == 0 and back.loss_curve_ == [] and not hasattr(back, "loss_")


@pytest.mark.parametrize("score_initial", [False, True])
def test_report_of_a_saved_estimator_names_its_epochs(
    tmp_path: Path, rng: np.random.Generator, score_initial: bool
) -> None:
    import pandas as pd

    from glassnet.cli.main import main

    X, y = _data(rng, 60)
    frame = pd.DataFrame(X, columns=list("abcd")).assign(t=y)
    frame.to_csv(tmp_path / "d.csv", index=False)
    est = _fit(MLPClassifier(max_iter=6, random_state=0, score_initial=score_initial),
               frame[list("abcd")], y)  # fmt: skip
    est.save(tmp_path / "est.npz")
    out = tmp_path / "r.html"
    args = ["report", "--model", str(tmp_path / "est.npz"), "--data", str(tmp_path / "d.csv"),
            "--target", "t", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    text = " ".join(re.sub(r"<[^>]+>", " ", out.read_text()).split())
    if score_initial:  # the whole record: curves from epoch 0, the initial loss
        assert "epochs 6 initial loss (epoch 0, before training)" in text
        assert f"{est.history_.initial.loss:.6g}" in text
    else:  # the record from epoch 1 (no epoch 0 was scored)
        assert "epochs 6 loss in epoch 1 (the first recorded; epoch 0 was not scored)" in text
        assert f"{est.loss_curve_[0]:.6g}" in text and "n/a (no history)" not in text
