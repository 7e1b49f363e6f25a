"""glassnet's scikit-learn estimators: the objective, weights, dtypes, files, extras."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

import sklearn.neural_network as sk  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.datasets import make_classification, make_regression  # noqa: E402

import glassnet  # noqa: E402
from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov  # noqa: E402
from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402


def _data(n_classes: int = 3, n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    return make_classification(
        n_samples=n,
        n_features=5,
        n_informative=4,
        n_redundant=0,
        n_classes=n_classes,
        random_state=seed,
    )


@pytest.mark.parametrize(
    ("kind", "n_classes"), [("classifier", 3), ("classifier", 2), ("regressor", 1)]
)
def test_one_sgd_step_matches_scikit_learn(kind, n_classes):
    """Same initial weights, one full-batch SGD step with L2: the same parameters after it.

    This pins the objective: mean loss + alpha / (2 n) ||W||^2, logistic output for two
    classes, softmax for three, identity for regression.
    """
    if kind == "classifier":
        X, y = _data(n_classes)
        ours, theirs = MLPClassifier(), sk.MLPClassifier()
        fit_kw = {"classes": np.unique(y)}
    else:
        X, y = make_regression(n_samples=60, n_features=5, noise=1.0, random_state=0)
        y = y / y.std()
        ours, theirs = MLPRegressor(standardize_target=False), sk.MLPRegressor()  # sklearn's y
        fit_kw = {}
    settings = dict(
        hidden_layer_sizes=(7, 4),
        activation="tanh",
        solver="sgd",
        momentum=0.0,
        alpha=0.3,
        learning_rate_init=0.05,
        batch_size=len(X),
        random_state=0,
    )
    ours.set_params(**settings, max_iter=1)
    theirs.set_params(**settings, shuffle=False)
    theirs.partial_fit(X, y, **fit_kw)
    ours.partial_fit(X, y, **fit_kw)  # creates the network; now give both the same weights
    theirs.coefs_ = [W.copy() for W in ours.coefs_]
    theirs.intercepts_ = [b.copy() for b in ours.intercepts_]
    ours.partial_fit(X, y)
    theirs.partial_fit(X, y)
    for a, b in zip(
        ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_, strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    assert ours.loss_curve_[-1] == pytest.approx(theirs.loss_curve_[-1], rel=1e-10)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_weighted_step_follows_the_gradient_of_the_weighted_objective(reduction):
    """One full-batch SGD step of the estimator moves by -lr times the finite-difference
    gradient of sum_i w_i L_i / S + alpha / (2 S) sum ||W||^2, written out here."""
    rng = np.random.default_rng(5)
    X, y, w = rng.normal(size=(30, 3)), rng.normal(size=30), rng.uniform(0, 3, 30)
    lr, alpha = 1e-3, 0.2
    est = MLPRegressor(
        hidden_layer_sizes=(4,), activation="tanh", solver="sgd", momentum=0.0, alpha=alpha,
        learning_rate_init=lr, batch_size=30, random_state=0, loss_reduction=reduction,
        standardize_target=False,  # the objective of y as given
    )  # fmt: skip
    est.partial_fit(X, y, sample_weight=w)
    before = [a.copy() for a in est.coefs_ + est.intercepts_]
    est.partial_fit(X, y, sample_weight=w)
    step = [(a - b) / -lr for a, b in zip(est.coefs_ + est.intercepts_, before, strict=True)]
    S = w.sum() if reduction == "mean" else 1.0

    def objective(W1, W2, b1, b2):
        Y = (np.tanh(X @ W1 + b1) @ W2 + b2)[:, 0]
        penalty = alpha / (2 * S) * ((W1**2).sum() + (W2**2).sum())
        return (w * 0.5 * (Y - y) ** 2).sum() / S + penalty

    theta = before
    for k, (param, got) in enumerate(zip(theta, step, strict=True)):
        numerical = np.zeros_like(param)
        for i in np.ndindex(param.shape):
            args = [t.copy() for t in theta]
            args[k][i] += 1e-6
            up = objective(*args)
            args[k][i] -= 2e-6
            numerical[i] = (up - objective(*args)) / 2e-6
        np.testing.assert_allclose(got, numerical, rtol=1e-5, atol=1e-8)


@pytest.mark.filterwarnings("ignore:Got `batch_size`:UserWarning")  # one full batch each
@pytest.mark.parametrize("est", [MLPClassifier(), MLPRegressor()], ids=["clf", "reg"])
def test_integer_sample_weights_equal_repeated_rows(est):
    X, y = _data(3, n=40)
    if isinstance(est, MLPRegressor):
        y = X @ np.arange(1.0, 6.0)
    w = np.random.default_rng(0).integers(0, 4, size=len(X))
    est.set_params(hidden_layer_sizes=(8,), max_iter=30, batch_size=500, random_state=3)
    weighted = clone(est).fit(X, y, sample_weight=w)
    repeated = clone(est).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    for a, b in zip(weighted.coefs_, repeated.coefs_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weighted.loss_curve_, repeated.loss_curve_, rtol=1e-9)


def test_weighted_standardizer_follows_the_weights():
    X, y = _data(2, n=30)
    w = np.arange(30) % 3
    est = MLPClassifier(standardize=True, max_iter=5, random_state=0).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(est.scaler_.mean, np.average(X, axis=0, weights=w))
    rep = MLPClassifier(standardize=True, max_iter=5, random_state=0).fit(
        np.repeat(X, w, axis=0), np.repeat(y, w)
    )
    np.testing.assert_allclose(est.scaler_.scale, rep.scaler_.scale)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"solver": "adam", "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-7},
            Adam(0.001, 0.8, 0.99, 1e-7),
        ),
        ({"solver": "sgd", "momentum": 0.0}, SGD(0.001)),
        ({"solver": "sgd", "momentum": 0.5, "nesterovs_momentum": False}, Momentum(0.001, 0.5)),
        ({"solver": "sgd", "momentum": 0.5}, Nesterov(0.001, 0.5)),
    ],
)
def test_solver_maps_to_glassnet_optimizer(params, expected):
    assert MLPClassifier(**params)._optimizer() == expected


def test_unknown_solver_is_a_clear_error():
    X, y = _data()
    with pytest.raises(ValueError, match="'solver' parameter of MLPClassifier must be"):
        MLPClassifier(solver="newton").fit(X, y)


def test_float32_inputs_keep_float32_parameters():
    X, y = _data()
    est = MLPClassifier(max_iter=5, random_state=0).fit(X.astype(np.float32), y)
    assert all(W.dtype == np.float32 for W in est.coefs_ + est.intercepts_)
    assert est.predict_proba(X).dtype == np.float32
    est64 = MLPClassifier(max_iter=5, random_state=0).fit(X, y)
    assert est64.coefs_[0].dtype == np.float64
    forced = MLPClassifier(max_iter=5, random_state=0, dtype="float32").fit(X, y)
    assert forced.coefs_[0].dtype == np.float32
    est.partial_fit(X, y)  # float64 data continues the float32 network in float32
    assert est.coefs_[0].dtype == np.float32


def test_model_files_from_glassnet_train_become_estimators(tmp_path):
    from glassnet.cli.workflow import Recipe, train_model
    from glassnet.files.modelfile import save_model

    X, y = _data(3, n=90)
    outcome = train_model(X, np.array(["a", "b", "c"])[y], Recipe(hidden=(8,), epochs=5))
    save_model(outcome.model, tmp_path / "model.npz")
    with pytest.warns(UserWarning, match="--val-fraction 0.2 --patience"):  # the CLI split
        est = MLPClassifier.from_model(glassnet.load(tmp_path / "model.npz"))
    np.testing.assert_array_equal(est.predict(X), outcome.model.predict(X))
    np.testing.assert_allclose(est.predict_proba(X), outcome.model.predict_proba(X))
    # the recipe's settings, not the defaults (NU10 #10)
    assert est.scaler_ is not None and est.get_params()["standardize"] is True
    assert est.get_params()["hidden_layer_sizes"] == (8,) and est.max_iter == 5
    with pytest.raises(ValueError, match="use MLPClassifier.from_model"):
        MLPRegressor.from_model(outcome.model)


def test_fitted_attributes_and_early_stopping():
    X, y = _data(3, n=120)
    est = MLPClassifier(hidden_layer_sizes=(16, 8), max_iter=40, random_state=0).fit(X, y)
    assert [W.shape for W in est.coefs_] == [(5, 16), (16, 8), (8, 3)]
    assert [b.shape for b in est.intercepts_] == [(16,), (8,), (3,)]
    assert est.n_iter_ == len(est.loss_curve_) <= 40
    assert est.validation_loss_curve_ is None
    assert est.best_loss_ == min(est.loss_curve_)
    es = MLPClassifier(
        early_stopping=True,
        n_iter_no_change=3,
        max_iter=500,
        learning_rate_init=0.05,
        random_state=0,
    ).fit(X, y)
    assert len(es.validation_loss_curve_) == es.n_iter_ == len(es.loss_curve_)
    assert es.best_loss_ == min(es.validation_loss_curve_)
    assert es.stop_reason_ == "early stopping"


def test_warm_start_and_partial_fit_continue_training():
    X, y = _data()
    est = MLPClassifier(max_iter=5, random_state=0, warm_start=True).fit(X, y)
    first = [W.copy() for W in est.coefs_]
    est.fit(X, y)
    assert est.n_iter_ == 5 and len(est.loss_curve_) == 10  # n_iter_: this call's, as sklearn's
    assert not np.allclose(first[0], est.coefs_[0])
    with pytest.raises(ValueError, match="classes must be passed"):
        MLPClassifier().partial_fit(X, y)
    inc = MLPClassifier(random_state=0)
    inc.partial_fit(X[:30], y[:30], classes=[0, 1, 2])
    inc.partial_fit(X[30:], y[30:])
    assert inc.n_iter_ == 1 and len(inc.loss_curve_) == 2  # n_iter_: the last call's
    with pytest.raises(ValueError, match="labels not in classes_"):
        inc.partial_fit(X, y + 5)


def test_hidden_activations():
    X, y = _data()
    est = MLPClassifier(hidden_layer_sizes=(6, 4), activation="relu", max_iter=5, random_state=0)
    est.fit(X, y)
    first, last = est.hidden_activations(X, layer=0), est.hidden_activations(X)
    assert first.shape == (len(X), 6) and last.shape == (len(X), 4)
    assert np.all(first >= 0)
    expected = np.maximum(X @ est.coefs_[0] + est.intercepts_[0], 0)
    np.testing.assert_allclose(first, expected)
    with pytest.raises(IndexError):
        est.hidden_activations(X, layer=2)


def test_predict_log_proba_is_stable_and_consistent():
    X, y = _data(2)
    est = MLPClassifier(max_iter=20, random_state=0).fit(X, y)
    np.testing.assert_allclose(np.exp(est.predict_log_proba(X)), est.predict_proba(X))
    np.testing.assert_array_equal(est.classes_[est.predict_proba(X).argmax(1)], est.predict(X))


def test_string_labels_and_feature_names_from_a_data_frame():
    pd = pytest.importorskip("pandas")
    X, y = _data()
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(5)])
    labels = np.array(["ant", "bee", "cat"])[y]
    est = MLPClassifier(max_iter=30, random_state=0).fit(frame, labels)
    assert list(est.feature_names_in_) == [f"f{j}" for j in range(5)]
    assert set(est.predict(frame)) <= {"ant", "bee", "cat"}


@pytest.mark.parametrize("standardize", [False, True])
def test_save_and_load_round_trip(tmp_path, standardize):
    X, y = _data()
    labels = np.array(["ant", "bee", "cat"])[y]
    est = MLPClassifier(max_iter=10, random_state=0, standardize=standardize).fit(X, labels)
    path = est.save(tmp_path / "model.npz")
    model = glassnet.load(path)
    np.testing.assert_array_equal(model.predict(X), est.predict(X))
    np.testing.assert_allclose(model.predict_proba(X), est.predict_proba(X))
    back = MLPClassifier.from_model(model)
    assert back.get_params() == est.get_params()
    np.testing.assert_allclose(back.predict_proba(X), est.predict_proba(X))
    assert back.score(X, labels) == est.score(X, labels)


def test_regressor_multi_output_save_and_cli_predict(tmp_path, capsys):
    from glassnet.cli.main import main

    X, y = make_regression(n_samples=50, n_features=3, n_targets=2, random_state=0)
    est = MLPRegressor(max_iter=10, random_state=0).fit(X, y / 100)
    assert est.predict(X).shape == (50, 2)
    path = est.save(tmp_path / "reg.npz")
    back = MLPRegressor.from_model(glassnet.load(path))
    np.testing.assert_allclose(back.predict(X), est.predict(X))
    np.savez(tmp_path / "data.npz", X=X, y=y[:, 0])
    assert main(["predict", "--model", str(path), "--data", str(tmp_path / "data.npz")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "prediction_0,prediction_1" and len(lines) == 51
    first = [float(v) for v in lines[1].split(",")]
    np.testing.assert_allclose(first, est.predict(X[:1])[0], rtol=1e-12)


def test_import_glassnet_stays_free_of_scikit_learn():
    import subprocess
    import sys

    code = "import sys, glassnet; print('sklearn' in sys.modules, 'onnx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    assert glassnet.MLPClassifier is MLPClassifier


def test_stopping_rule_is_scikit_learns():
    """Count epochs above best - tol (best follows every minimum); stop past n_iter_no_change."""
    from glassnet.train.stopping import judge

    def sklearn_rule(losses, n_iter_no_change, tol):  # MLPClassifier._update_no_improvement_count
        best, count, stops = np.inf, 0, []
        for loss in losses:
            count = count + 1 if loss > best - tol else 0
            best = min(best, loss)
            stops.append(count > n_iter_no_change)
        return stops

    def ours(losses, n_iter_no_change, tol):
        best, bad, stops = np.inf, 0, []
        for loss in losses:
            best, bad, _, stop = judge(loss, best, bad, tol, n_iter_no_change + 1)
            stops.append(stop)
        return stops

    losses = [1.0, 0.95, 0.92, 0.91, 0.5, 0.45, 0.44, 0.43]
    stops = ours(losses, 2, 0.1)
    wobbly = list(np.random.default_rng(0).normal(size=60).cumsum())
    for n, tol in [(2, 0.1), (0, 0.0), (3, 0.5), (1, 1e-9)]:
        assert ours(wobbly, n, tol) == sklearn_rule(wobbly, n, tol)
    # 0.95, 0.92, 0.91 are each within tol of the running best: the third one stops.
    assert stops == [False, False, False, True, False, False, False, True]
    X, y = _data(3)
    est = MLPClassifier(max_iter=500, tol=10.0, n_iter_no_change=4, random_state=0).fit(X, y)
    assert est.n_iter_ == 1 + 5 and est.stop_reason_ == "early stopping"  # epoch 1 sets best


def test_a_diverging_fit_raises_and_keeps_the_last_finite_parameters():
    from glassnet import MLPRegressor
    from glassnet.train.loop import TrainingDiverged

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    y = X[:, 0] * 1e3
    # momentum SGD that trains for seven epochs, then blows up in the eighth (on y as given)
    est = MLPRegressor(
        standardize_target=False,
        hidden_layer_sizes=(8,),
        solver="sgd",
        learning_rate_init=1e-3,
        momentum=0.9,
        batch_size=8,
        max_iter=50,
        random_state=0,
    )
    with pytest.raises(TrainingDiverged, match="training diverged in epoch 8"):
        est.fit(X, y)
    assert len(est.loss_curve_) == est.n_iter_ == 7  # the epochs before the blow-up count
    assert all(np.all(np.isfinite(W)) for W in est.coefs_ + est.intercepts_)
    assert np.all(np.isfinite(est.predict(X[:3])))


def test_reviewed_estimator_edge_cases(tmp_path):
    from glassnet import MLPClassifier, MLPRegressor
    from glassnet.train.loop import TrainingDiverged

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    est = MLPClassifier(
        hidden_layer_sizes=5, max_iter=5, random_state=np.random.RandomState(0)
    ).fit(X, y)
    path = tmp_path / "m.npz"
    with pytest.raises(ValueError, match="cannot store random_state=RandomState"):
        est.save(path)  # refused at save: a model file holds no pickles
    est.set_params(random_state=0).save(path)
    back = MLPClassifier.from_model(glassnet.load(path))
    assert back.hidden_layer_sizes == 5 and back.random_state == 0
    back.partial_fit(X, y)  # continues from the stored parameters with a fresh optimizer
    assert back.n_iter_ == 1 and len(back.loss_curve_) == 6  # the stored record continues
    assert back.loss_curve_[:5] == est.loss_curve_
    with pytest.raises(TrainingDiverged):
        MLPRegressor(
            learning_rate_init=1e6, solver="sgd", momentum=0.0, max_iter=5, random_state=0
        ).fit(X, X[:, 0] * 1e6)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_estimators_record_epoch_0_the_initialization(solver):
    """With ``score_initial`` ``history_`` starts at epoch 0; with steps too small to move
    the parameters its loss is scikit-learn's ``log_loss`` of the fitted model (an
    independent oracle); ``partial_fit`` goes on numbering the epochs and keeps the first
    epoch 0."""
    from sklearn.metrics import log_loss

    X, y = make_classification(
        80, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=1
    )
    tiny = 0.0 if solver == "lbfgs" else 1e-14
    est = MLPClassifier(
        hidden_layer_sizes=(6,), solver=solver, learning_rate_init=tiny or 1e-3,
        max_iter=3 if solver != "lbfgs" else 1, alpha=1e-3, random_state=0, score_initial=True,
    ).fit(X, y)  # fmt: skip
    rows = est.history_.rows()
    assert rows[0].epoch == 0 and [r.epoch for r in rows] == list(range(len(rows)))
    assert len(rows) == est.n_iter_ + 1 and est.history_.column("loss") == est.loss_curve_
    if solver != "lbfgs":  # one batch of 80 rows: the penalty alpha / (2 * 80) sum W^2
        penalty = 1e-3 / (2 * 80) * sum(np.sum(W**2) for W in est.coefs_)
        assert rows[0].loss == pytest.approx(log_loss(y, est.predict_proba(X)) + penalty,
                                             rel=1e-9)  # fmt: skip
        first = rows[0]
        est.partial_fit(X, y)
        assert est.history_.initial == first and est.history_.epochs == len(est.loss_curve_)
        assert est.n_iter_ == 1  # scikit-learn's: this call's epochs
    again = est.set_params(warm_start=False).fit(X, y)  # a new fit: a new record
    assert again.history_.epochs == again.n_iter_ and again.history_.initial is not None


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_score_initial_false_skips_epoch_0_and_changes_nothing_else(cls):
    """Without ``score_initial`` (the default) ``history_`` has no epoch 0 (scikit-learn
    computes none either); the fit (weights, ``loss_curve_``, ``n_iter_``) is bitwise the
    same as with it."""
    X, y = make_classification(60, 4, n_informative=3, n_redundant=0, random_state=2)
    if cls is MLPRegressor:
        y = X @ np.arange(1.0, 5.0)
    kw = dict(hidden_layer_sizes=(5,), solver="sgd", max_iter=4, random_state=0)
    scored = cls(**kw, score_initial=True).fit(X, y)
    plain = cls(**kw).fit(X, y)
    assert scored.history_.initial is not None and plain.history_.initial is None
    assert plain.loss_curve_ == scored.loss_curve_ and plain.n_iter_ == scored.n_iter_
    assert [r.epoch for r in plain.history_.rows()] == [1, 2, 3, 4]
    for a, b in zip(plain.coefs_ + plain.intercepts_, scored.coefs_ + scored.intercepts_,
                    strict=True):  # fmt: skip
        np.testing.assert_array_equal(a, b)
    plain.partial_fit(X, y)  # goes on numbering, still without epoch 0
    assert plain.history_.initial is None and plain.history_.epochs == len(plain.loss_curve_)
    assert plain.history_.epochs == 5 and plain.n_iter_ == 1


@pytest.mark.parametrize(
    "random_state", [0, 42, np.int64(7), True, None, np.random.RandomState(3)]
)
def test_the_run_seed_is_scikit_learns_first_draw(random_state):
    """Oracle: ``check_random_state(random_state).randint(2**31 - 1)``, drawn afresh (an
    int gives the same seed every fit; a RandomState moves on, so two fits differ)."""
    from sklearn.utils import check_random_state

    from glassnet.sklearn.fitting import run_seed

    if isinstance(random_state, np.random.RandomState):
        twin = np.random.RandomState()
        twin.set_state(random_state.get_state())
        assert run_seed(random_state) == twin.randint(np.iinfo(np.int32).max)
        assert run_seed(random_state) == twin.randint(np.iinfo(np.int32).max)  # moved on
    elif random_state is not None:
        expected = check_random_state(random_state).randint(np.iinfo(np.int32).max)
        assert run_seed(random_state) == run_seed(random_state) == expected
    else:
        assert 0 <= run_seed(None) < np.iinfo(np.int32).max


@pytest.mark.parametrize("Estimator", [MLPClassifier, MLPRegressor])
def test_every_parameter_is_stored_unchanged(Estimator):
    """scikit-learn's rule: ``__init__`` stores each argument as given. Each parameter gets
    its own object; ``get_params`` must give back that very object."""
    import inspect

    names = list(inspect.signature(Estimator).parameters)
    given = {name: object() for name in names}
    est = Estimator(**given)
    assert all(est.get_params()[name] is given[name] for name in names)
    assert sorted(names) == sorted(est.get_params())


def test_the_regressor_takes_the_shared_parameters_with_their_defaults_and_two_more():
    """The regressor lists the shared parameters in its own signature (scikit-learn reads
    them there); they must be ``BaseMLP``'s, in order, with the same defaults."""
    import inspect

    from glassnet.sklearn.estimator_base import BaseMLP

    shared = inspect.signature(BaseMLP).parameters
    own = inspect.signature(MLPRegressor).parameters
    assert [n for n in own if n not in ("loss", "standardize_target")] == list(shared)
    for name, p in shared.items():
        assert (own[name].default, own[name].kind) == (p.default, p.kind), name
    assert own["loss"].default == "squared_error" and own["standardize_target"].default is True


NOT_NUMBERS = {
    "dates": np.array(["2020-01-01", "2020-02-01"] * 10, dtype="datetime64[D]"),
    "time deltas": np.array([1, 2] * 10, dtype="timedelta64[s]"),
    "byte strings": np.array([b"1", b"2"] * 10),
}


def _fitted(Estimator):
    X, y = np.arange(20.0)[:, None], np.array([0, 1] * 10)
    return Estimator(max_iter=2).fit(X, y if Estimator is MLPClassifier else y + 0.5)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("as_list", [False, True])
@pytest.mark.parametrize("kind", sorted(NOT_NUMBERS))
@pytest.mark.parametrize("Estimator", [MLPClassifier, MLPRegressor])
def test_x_that_is_not_numbers_gets_the_error_the_cli_gives(Estimator, kind, as_list):
    """Dates, time deltas and byte strings, which a cast to float takes as numbers: every
    method refuses them with the message of ``glassnet.load(p).predict`` (complex numbers
    get scikit-learn's own "Complex data not supported", which its checks require)."""
    from glassnet.core.validation import DataError, as_features

    X = NOT_NUMBERS[kind].reshape(-1, 1)
    with pytest.raises(DataError) as expected:
        as_features(X)  # the check the CLI and Model.predict run
    given = list(X) if as_list else X
    y = np.array([0, 1] * 10) if Estimator is MLPClassifier else np.array([0.5, 1.5] * 10)
    calls = {
        "fit": lambda: Estimator(max_iter=2).fit(given, y),
        "partial_fit": lambda: Estimator().partial_fit(given, y, **(
            {"classes": [0, 1]} if Estimator is MLPClassifier else {})),
        "predict": lambda: _fitted(Estimator).predict(given),
        "score": lambda: _fitted(Estimator).score(given, y),
    }  # fmt: skip
    if Estimator is MLPClassifier:
        calls["predict_proba"] = lambda: _fitted(Estimator).predict_proba(given)
    for name, call in calls.items():
        with pytest.raises(DataError) as got:
            call()
        assert str(got.value) == str(expected.value), name


@pytest.mark.parametrize("kind", ["dates", "time deltas", "byte strings"])
def test_class_labels_that_are_dates_or_bytes_get_the_error_the_cli_gives(kind):
    from glassnet.core.validation import DataError, as_targets

    y = NOT_NUMBERS[kind]
    with pytest.raises(DataError) as expected:
        as_targets(y, len(y))
    with pytest.raises(DataError) as got:
        MLPClassifier(max_iter=2).fit(np.arange(20.0)[:, None], y)
    assert str(got.value) == str(expected.value)
