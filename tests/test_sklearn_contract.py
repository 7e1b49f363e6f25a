"""Code ported from scikit-learn runs: every MLP parameter with its meaning, lbfgs, sparse X,
multilabel y, scikit-learn's ranges, partial_fit's classes, the model file's round trip and
DataFrame columns matched by name."""

import inspect
import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn import neural_network as sk  # noqa: E402
from sklearn.neural_network._stochastic_optimizers import SGDOptimizer  # noqa: E402

import glassnet  # noqa: E402
from glassnet.core.schedules import Adaptive, InverseScaling, StepDecay  # noqa: E402
from glassnet.data.tables import DataError  # noqa: E402
from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402


def _data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    return X, np.where(X[:, 0] + 0.5 * X[:, 1] > 0, "up", "down")


@pytest.mark.parametrize(
    ("ours", "theirs"), [(MLPClassifier, sk.MLPClassifier), (MLPRegressor, sk.MLPRegressor)]
)
def test_every_scikit_learn_parameter_is_accepted_with_its_default(ours, theirs):
    mine = ours().get_params()
    for name, p in inspect.signature(theirs).parameters.items():
        assert name in mine, name
        assert mine[name] == p.default, name


@pytest.mark.parametrize(("power_t", "n"), [(0.5, 100), (0.25, 37), (1.0, 8)])
def test_invscaling_is_scikit_learns_per_sample_rule(power_t, n):
    schedule, state = InverseScaling(power=power_t, per=n), None
    theirs = SGDOptimizer([np.zeros(1)], 0.1, lr_schedule="invscaling", power_t=power_t)
    state = schedule.init(0.1)
    for epoch in range(1, 6):
        state = schedule.step(state, epoch, 1.0)
        theirs.iteration_ends(epoch * n)  # scikit-learn: t_ samples seen after the epoch
        assert state.lr == pytest.approx(theirs.learning_rate, rel=1e-12)


def test_adaptive_divides_by_five_where_scikit_learn_would():
    schedule = Adaptive(patience=2, tol=0.1)
    theirs = SGDOptimizer([np.zeros(1)], 0.1, lr_schedule="adaptive")
    state, count, best = schedule.init(0.1), 0, np.inf
    for epoch, loss in enumerate([1.0, 0.5, 0.45, 0.44, 0.43, 0.2, 0.19, 0.18, 0.17], 1):
        state = schedule.step(state, epoch, loss)
        count = count + 1 if loss > best - 0.1 else 0  # scikit-learn's count, written out
        best = min(best, loss)
        if count > 2:
            theirs.trigger_stopping("", verbose=False)
            count = 0
        assert state.lr == pytest.approx(theirs.learning_rate, rel=1e-12), epoch


@pytest.mark.parametrize("learning_rate", ["constant", "invscaling", "adaptive"])
def test_sgd_learning_rate_schedules_train(learning_rate):
    X, y = _data()
    est = MLPClassifier(
        (8,),
        solver="sgd",
        learning_rate=learning_rate,
        learning_rate_init=0.1,
        power_t=0.3,
        max_iter=60,
        random_state=0,
    ).fit(X, y)
    assert est.score(X, y) > 0.85 and est.n_iter_ >= 1


def test_shuffle_false_takes_the_rows_in_order():
    from glassnet.core.network import Network
    from glassnet.core.optimizers import SGD
    from glassnet.train.loop import TrainConfig, fit

    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(30, 3)), rng.integers(0, 2, 30)
    net = Network.mlp([3, 4, 2], "tanh")
    start = net.init(rng)
    config = TrainConfig(
        epochs=2, batch_size=10, optimizer=SGD(0.1), shuffle=False, train_metrics=False
    )
    got = fit(net, start, X, y, config).params
    params = start  # the oracle: plain SGD over rows 0-9, 10-19, 20-29, twice
    for _ in range(2):
        for lo in range(0, 30, 10):
            _, grads = net.loss_and_grad(params, X[lo : lo + 10], np.eye(2)[y[lo : lo + 10]])
            params = [{k: p[k] - 0.1 * g[k] for k in p} for p, g in zip(params, grads, strict=True)]
    for a, b in zip(got, params, strict=True):
        np.testing.assert_allclose(a["W"], b["W"], rtol=1e-12)
    shuffled = fit(
        net,
        start,
        X,
        y,
        TrainConfig(epochs=2, batch_size=10, optimizer=SGD(0.1), train_metrics=False),
    ).params
    assert not np.allclose(shuffled[0]["W"], got[0]["W"])


def test_lbfgs_reaches_the_least_squares_solution():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(80, 3))
    t = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.05 * rng.normal(size=80)
    est = MLPRegressor(
        (4,),
        activation="identity",
        solver="lbfgs",
        alpha=0.0,
        tol=1e-12,
        max_iter=500,
        random_state=0,
    ).fit(X, t)
    A = np.column_stack([X, np.ones(80)])
    oracle = A @ np.linalg.lstsq(A, t, rcond=None)[0]
    np.testing.assert_allclose(est.predict(X), oracle, atol=1e-5)
    assert len(est.loss_curve_) == est.n_iter_ > 1  # one record per L-BFGS iteration


@pytest.mark.parametrize("n_classes", [2, 3])
def test_lbfgs_classifier_matches_scikit_learns_objective(n_classes):
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(150, 4))
    y = np.digitize(X[:, 0] + X[:, 1], [-0.5, 0.5][: n_classes - 1])
    kw = {
        "hidden_layer_sizes": (6,),
        "solver": "lbfgs",
        "alpha": 1e-3,
        "max_iter": 300,
        "random_state": 0,
    }
    ours, theirs = MLPClassifier(**kw).fit(X, y), sk.MLPClassifier(**kw).fit(X, y)
    assert ours.loss_curve_[-1] < 1.5 * theirs.loss_ + 0.02  # both minimize the same objective
    assert ours.score(X, y) >= theirs.score(X, y) - 0.05
    few = MLPClassifier(**{**kw, "max_fun": 5}).fit(X, y)
    assert few.n_iter_ < ours.n_iter_ and few.stop_reason_ == "max_fun"


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_x_trains_and_predicts_as_dense(fmt):
    sparse = pytest.importorskip("scipy.sparse")
    X, y = _data()
    X[np.abs(X) < 0.8] = 0
    Xs = sparse.csr_matrix(X) if fmt == "csr" else sparse.csc_matrix(X)
    kw = {"hidden_layer_sizes": (5,), "max_iter": 20, "random_state": 0}
    dense, spr = MLPClassifier(**kw).fit(X, y), MLPClassifier(**kw).fit(Xs, y)
    np.testing.assert_array_equal(dense.coefs_[0], spr.coefs_[0])
    np.testing.assert_array_equal(spr.predict_proba(Xs), dense.predict_proba(X))
    reg = MLPRegressor(**kw).fit(Xs, X[:, 0])
    np.testing.assert_allclose(reg.predict(Xs), reg.predict(X))


@pytest.mark.parametrize("n_labels", [2, 4])
def test_multilabel_indicator_trains_logistic_units(n_labels):
    rng = np.random.default_rng(n_labels)
    X = rng.normal(size=(200, 5))
    Y = (X[:, :n_labels] > 0).astype(int)  # label j: feature j is positive
    est = MLPClassifier((16,), learning_rate_init=0.01, max_iter=300, random_state=0).fit(X, Y)
    assert est.predict(X).shape == Y.shape and est.predict_proba(X).shape == Y.shape
    assert set(np.unique(est.predict(X))) <= {0, 1}
    assert est.network_.head.name == "logistic"
    assert np.mean(est.predict(X) == Y) > 0.9
    np.testing.assert_array_equal(est.classes_, np.arange(n_labels))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns that 5 iterations are few
        theirs = sk.MLPClassifier((4,), max_iter=5).fit(X, Y)
    assert theirs.predict(X).shape == est.predict(X).shape  # the same contract


@pytest.mark.parametrize(
    ("setting", "name"),
    [
        ({"n_iter_no_change": -1}, "n_iter_no_change"),
        ({"tol": -1.0}, "tol"),
        ({"alpha": -1.0}, "alpha"),
        ({"momentum": 2.0}, "momentum"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"power_t": -0.5}, "power_t"),
        ({"max_fun": 0}, "max_fun"),
        ({"beta_1": 1.0}, "beta_1"),
        ({"learning_rate": "fast"}, "learning_rate"),
        ({"batch_size": 0}, "batch_size"),
        ({"shuffle": "yes"}, "shuffle"),
    ],
)
def test_settings_out_of_scikit_learns_range_are_refused_by_name(setting, name):
    X, y = _data(40)
    with pytest.raises(ValueError, match=f"'{name}' parameter"):
        MLPClassifier(max_iter=2, **setting).fit(X, y)


def test_alpha_inf_is_a_clear_error_and_n_iter_no_change_inf_never_stops():
    X, y = _data(40)
    with pytest.raises(ValueError, match="'alpha' parameter of MLPClassifier must be a float"):
        MLPClassifier(alpha=np.inf, max_iter=2).fit(X, y)
    est = MLPClassifier((3,), n_iter_no_change=np.inf, tol=1e9, max_iter=7).fit(X, y)
    assert est.n_iter_ == 7  # tol 1e9 would stop at once with a finite n_iter_no_change
    kw = {"hidden_layer_sizes": (3,), "n_iter_no_change": 2, "tol": 1e9, "max_iter": 7}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = sk.MLPClassifier(**kw).fit(X, y).n_iter_  # scikit-learn's count: 4
    assert MLPClassifier(**kw).fit(X, y).n_iter_ == expected


def test_partial_fit_checks_classes_on_every_call():
    X, y = _data(40)
    est = MLPClassifier((3,)).partial_fit(X, y, classes=["down", "up"])
    est.partial_fit(X, y, classes=["up", "down"])  # the same set: fine
    est.partial_fit(X, y)  # none: fine
    for other in (["down", "up", "left"], ["up"], ["a", "b"]):
        with pytest.raises(ValueError, match="not the same as on the first call"):
            est.partial_fit(X, y, classes=other)
    theirs = sk.MLPClassifier((3,)).partial_fit(X, y, classes=["down", "up"])
    with pytest.raises(ValueError):  # scikit-learn refuses too
        theirs.partial_fit(X, y, classes=["down", "up", "left"])


@pytest.mark.parametrize(
    "params",
    [
        {"dtype": np.float32, "hidden_layer_sizes": [6, 3]},
        {"schedule": StepDecay(every=3, gamma=0.5), "n_iter_no_change": np.inf},
        {"random_state": 7, "learning_rate": "invscaling", "solver": "sgd", "power_t": 0.25},
        {"hidden_layer_sizes": (4,), "dtype": "float64", "max_fun": 99, "shuffle": False},
    ],
)
def test_constructor_arguments_survive_the_model_file_exactly(tmp_path, params):
    X, y = _data()
    est = MLPClassifier(max_iter=3, **params).fit(X, y)
    est.save(tmp_path / "m.npz")
    back = MLPClassifier.from_model(glassnet.load(tmp_path / "m.npz"))
    for key, value in est.get_params().items():
        got = back.get_params()[key]
        assert type(got) is type(value) and (got == value or (got != got and value != value)), key
    MLPClassifier(**back.get_params()).fit(X, y)  # and the refit works


@pytest.mark.parametrize(
    "sizes",
    [np.array([6, 3]), np.array([5], dtype=np.int32), [np.int64(6), np.int32(3)], (np.int16(4),)],
)
def test_array_like_arguments_survive_the_model_file(tmp_path, sizes):
    X, y = _data()  # scikit-learn takes array-likes for hidden_layer_sizes: so does save
    est = MLPClassifier(sizes, max_iter=3, random_state=0).fit(X, y)
    est.save(tmp_path / "m.npz")
    back = MLPClassifier.from_model(glassnet.load(tmp_path / "m.npz"))
    got = back.get_params()["hidden_layer_sizes"]
    assert type(got) is type(sizes) and np.array_equal(got, sizes)
    assert not isinstance(sizes, np.ndarray) or got.dtype == sizes.dtype  # scalars: plain ints
    refit = MLPClassifier(**back.get_params()).fit(X, y)  # and the refit works
    np.testing.assert_array_equal(refit.predict(X), est.predict(X))  # the same seed, same run


@pytest.mark.parametrize(
    ("value", "name", "hint"),
    [
        (np.random.RandomState(0), "random_state", "pass random_state as an int seed or None"),
        (object(), "schedule", "pass schedule as a name or one of glassnet's schedules"),
        (len, "schedule", "pass schedule as a name"),
        (np.array(["a"]), "hidden_layer_sizes", "pass hidden_layer_sizes as a number, a string"),
    ],
)
def test_arguments_that_need_pickle_are_refused_at_save(tmp_path, value, name, hint):
    X, y = _data(40)
    est = MLPClassifier((3,), max_iter=2, random_state=0).fit(X, y)
    est.set_params(**{name: value})
    with pytest.raises(ValueError, match=f"cannot store {name}=") as refused:
        est.save(tmp_path / "m.npz")
    assert hint in str(refused.value)
    assert name == "random_state" or "random_state" not in str(refused.value)
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize("order", [["a", "b", "c"], ["c", "a", "b"], ["b", "c", "a"]])
def test_a_loaded_model_reads_dataframe_columns_by_name(tmp_path, order):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "b", "c"])
    y = np.where(df["a"] - df["c"] > 0, "x", "y")
    MLPClassifier((5,), max_iter=30, random_state=0).fit(df, y).save(tmp_path / "m.npz")
    model = glassnet.load(tmp_path / "m.npz")
    expected = model.predict(df.to_numpy())  # by position, in the training order
    np.testing.assert_array_equal(model.predict(df[order]), expected)
    extra = df[order].assign(unused=1.0)
    np.testing.assert_array_equal(model.predict(extra), expected)  # extra columns ignored
    with pytest.raises(DataError, match="'b'"):
        model.predict(df.drop(columns="b"))


def test_a_loss_glassnet_cannot_train_is_refused():
    X, _ = _data(40)
    with pytest.raises(ValueError, match="loss='poisson' is not available"):
        MLPRegressor(loss="poisson", max_iter=2).fit(X, np.abs(X[:, 0]))
    with pytest.raises(ValueError, match="'loss' parameter"):
        MLPRegressor(loss="huber", max_iter=2).fit(X, X[:, 0])
