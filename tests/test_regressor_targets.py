"""MLPRegressor's target standardization: targets of any scale and offset train alike,
predictions and every reported loss come back in the targets' units, and the scaling
travels with the model file."""

from __future__ import annotations

import re

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.datasets import make_friedman1  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.utils import check_random_state  # noqa: E402

import glassnet  # noqa: E402
from glassnet.data.preprocessing import LOSS_SPLIT, fit_target_scaler, loss_unit  # noqa: E402
from glassnet.sklearn.estimators import MLPRegressor  # noqa: E402

SCALES = [(1.0, 0.0), (1e3, 0.0), (1e9, 0.0), (1e9, 5e9), (1e-6, 1.0), (1e6, -3e7)]


def _data(n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_friedman1(n_samples=n, random_state=0)
    return X, (y - 14.0) / 5.0  # roughly unit scale: the reference run


def _fit(X, Y, **kw) -> MLPRegressor:
    kw = {"hidden_layer_sizes": (32,), "max_iter": 60, "learning_rate_init": 0.01,
          "random_state": 0, **kw}  # fmt: skip
    return MLPRegressor(standardize=True, **kw).fit(X, Y)


@pytest.mark.parametrize(("scale", "offset"), SCALES)
def test_targets_of_any_scale_train_as_unit_targets_do(scale, offset):
    X, y = _data()
    ref = _fit(X[:200], y[:200])
    est = _fit(X[:200], y[:200] * scale + offset)
    pred = est.predict(X[200:])
    np.testing.assert_allclose(pred, ref.predict(X[200:]) * scale + offset, rtol=1e-6,
                               atol=1e-6 * scale)  # fmt: skip
    r2 = r2_score(y[200:] * scale + offset, pred)  # the oracle: scikit-learn's R^2
    assert r2 == pytest.approx(r2_score(y[200:], ref.predict(X[200:])), abs=1e-6)
    assert r2 > 0.8
    # the reported losses are those of the targets' units: scale**2 times the reference's
    np.testing.assert_allclose(est.loss_curve_, np.multiply(ref.loss_curve_, scale**2),
                               rtol=1e-6)  # fmt: skip
    assert est.best_loss_ == pytest.approx(ref.best_loss_ * scale**2, rel=1e-6)


@pytest.mark.parametrize(("scale", "offset"), SCALES[1:])
def test_several_targets_of_any_scale_train_alike(scale, offset):
    X, y = _data()
    Y = np.column_stack([y, -2 * y + 0.5 * X[:, 0]])
    ref = _fit(X[:200], Y[:200])
    est = _fit(X[:200], Y[:200] * scale + offset)
    assert est.target_scaler_.mean.shape == (2,)
    np.testing.assert_allclose(est.predict(X[200:]), ref.predict(X[200:]) * scale + offset,
                               rtol=1e-6, atol=1e-6 * scale)  # fmt: skip
    r2 = est.score(X[200:], Y[200:] * scale + offset)
    assert r2 == pytest.approx(ref.score(X[200:], Y[200:]), abs=1e-6) and r2 > 0.7


@pytest.mark.parametrize(("scale", "offset"), [(1.0, 0.0), (1e9, 2e9), (1e-3, 7.0)])
def test_validation_losses_are_in_the_targets_units(scale, offset):
    """best_loss_ with early stopping is the validation loss of the kept parameters: half
    the mean squared error of ``predict`` on the validation rows, computed here by hand."""
    X, y = _data()
    Y = y * scale + offset
    est = _fit(X, Y, early_stopping=True, validation_fraction=0.2, max_iter=40)
    seed = int(check_random_state(0).randint(np.iinfo(np.int32).max))
    _, val = train_test_split(np.arange(len(Y)), test_size=0.2, random_state=seed)
    by_hand = 0.5 * np.mean((est.predict(X[val]) - Y[val]) ** 2)
    assert est.best_loss_ == pytest.approx(by_hand, rel=1e-6)
    assert min(est.validation_loss_curve_) == est.best_loss_


def test_without_standardization_the_targets_train_as_given():
    """On targets already of mean 0 and standard deviation 1 the scaling is the identity:
    both settings give the same run; elsewhere standardize_target=False trains on y."""
    X, y = _data()
    y = (y - y.mean()) / y.std()
    on, off = _fit(X, y), _fit(X, y, standardize_target=False)
    assert off.target_scaler_ is None
    np.testing.assert_allclose(on.predict(X), off.predict(X), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(on.loss_curve_, off.loss_curve_, rtol=1e-7)
    shifted = _fit(X, y + 100.0, standardize_target=False)
    assert shifted.loss_curve_[0] > 100 * on.loss_curve_[0]  # the offset is in its loss


def test_unstandardized_huge_targets_do_not_stop_on_an_absolute_bound():
    """Divergence is judged relative to the run's own first loss: targets of 1e9 trained
    as given (scikit-learn's objective) run all their epochs."""
    X, y = _data()
    est = _fit(X, y * 1e9 + 5e9, standardize_target=False, max_iter=5)
    assert est.n_iter_ == 5 and np.all(np.isfinite(est.loss_curve_))


def test_the_target_scaling_is_weighted_as_repeated_rows():
    X, y = _data(60)
    Y = y * 1e6 + 3e6
    w = np.random.default_rng(0).integers(0, 4, size=len(Y))
    weighted = MLPRegressor((8,), max_iter=3, random_state=0).fit(X, Y, sample_weight=w)
    repeated = fit_target_scaler(np.repeat(Y, w))
    np.testing.assert_allclose(weighted.target_scaler_.mean, repeated.mean, rtol=1e-12)
    np.testing.assert_allclose(weighted.target_scaler_.scale, repeated.scale, rtol=1e-12)


def test_each_column_its_own_scale_and_the_loss_unit():
    """The oracle: scikit-learn's StandardScaler (population standard deviation)."""
    from sklearn.preprocessing import StandardScaler

    from glassnet.data.preprocessing import LOSS_IN_UNITS, LOSS_STANDARDIZED, loss_name

    Y = np.column_stack([np.arange(10.0), 3 * np.arange(10.0) + 1e9, np.full(10, 4.0)])
    s = fit_target_scaler(Y)
    oracle = StandardScaler().fit(Y)
    np.testing.assert_allclose(s.mean, oracle.mean_, rtol=1e-15)
    np.testing.assert_allclose(s.scale, oracle.scale_, rtol=1e-12)  # 1 for the constant one
    assert loss_unit(s) == 1.0 and loss_name(s) == LOSS_STANDARDIZED  # no single factor
    one = fit_target_scaler(Y[:, 1])
    assert loss_unit(one) == pytest.approx(Y[:, 1].var(), rel=1e-12)
    assert loss_name(one) == LOSS_IN_UNITS and loss_unit(None) == 1.0
    assert fit_target_scaler(np.full((5, 2), 7.0)).scale.tolist() == [1.0, 1.0]
    huge = fit_target_scaler(np.column_stack([np.arange(4.0) * 1e300, np.arange(4.0)]))
    np.testing.assert_allclose(huge.scale, [np.std(np.arange(4.0)) * 1e300, 1.118033988749895])


@pytest.mark.parametrize("standardize_target", [True, False])
def test_the_target_scaling_travels_with_the_model_file(tmp_path, standardize_target):
    X, y = _data(120)
    Y = np.column_stack([y, y * 2]) * 1e8 + 4e9
    est = _fit(X, Y, max_iter=5, standardize_target=standardize_target)
    path = est.save(tmp_path / "reg.npz")
    model = glassnet.load(path)
    np.testing.assert_allclose(model.predict(X), est.predict(X), rtol=1e-12)
    back = MLPRegressor.from_model(model)
    assert back.get_params() == est.get_params()
    np.testing.assert_allclose(back.predict(X), est.predict(X), rtol=1e-12)
    if standardize_target:
        np.testing.assert_array_equal(back.target_scaler_.scale, est.target_scaler_.scale)
        np.testing.assert_array_equal(back.target_scaler_.mean, est.target_scaler_.mean)
    else:
        assert model.target_scaler is None and back.target_scaler_ is None
    before = back.score(X, Y)
    back.set_params(warm_start=True, max_iter=2).fit(X, Y)  # continues in the same units
    if standardize_target:
        assert back.score(X, Y) > before - 0.1


def test_partial_fit_and_warm_start_keep_the_first_scaling():
    X, y = _data(120)
    Y = y * 1e7 + 1e8
    est = MLPRegressor((8,), random_state=0)
    est.partial_fit(X[:60], Y[:60])
    first = est.target_scaler_
    est.partial_fit(X[60:], Y[60:] + 1e9)
    assert est.target_scaler_ is first
    warm = MLPRegressor((8,), max_iter=3, random_state=0, warm_start=True).fit(X, Y)
    kept = warm.target_scaler_
    warm.fit(X, Y * 2)
    assert warm.target_scaler_ is kept


def test_a_model_file_of_one_common_scale_keeps_loading(tmp_path):
    """Files written while all columns shared one scale (0.2 before per-column scaling)
    load with that scaling and the same predictions, and train on."""
    from glassnet.data.preprocessing import Standardizer

    X, y = _data(120)
    Y = np.column_stack([y * 1e6 + 3e7, y * 10.0 - 1.0])
    est = _fit(X, Y, max_iter=5)
    model = est.to_model()
    common = np.sqrt((2e6**2 + 20.0**2) / 2)
    model.target_scaler = Standardizer(np.array([3e7, -1.0]), np.array([common, common]))
    for key in ("run", "history", "fitted"):  # such files kept no record of the fit
        model.settings.pop(key)
    before = model.predict(X)
    path = glassnet.files.modelfile.save_model(model, tmp_path / "old.npz")
    back = MLPRegressor.from_model(glassnet.load(path))
    np.testing.assert_allclose(back.predict(X), before, rtol=1e-12)
    np.testing.assert_array_equal(back.target_scaler_.scale, [common, common])
    back.set_params(warm_start=True, max_iter=2).fit(X, Y)
    assert len(back.loss_curve_) == 2 and np.all(np.isfinite(back.loss_curve_))


MIXED = [(1e7, 3e9, 0.01, 3.0), (1e9, 0.0, 1e-6, 0.0), (1.0, 0.0, 1e4, -5e4), (3e-3, 1.0, 2e5, 0.0)]


@pytest.mark.parametrize(("a1", "b1", "a2", "b2"), MIXED)
def test_target_columns_of_different_scales_each_train_alike(a1, b1, a2, b2):
    """Two columns that are the same target in different units standardize to the same
    numbers: each predicts as the run on ``[y, y]`` does (scikit-learn's R^2 per column
    equal; before, one common scale gave R^2 -1.5e16 for the small column)."""
    X, y = _data()
    ref = _fit(X[:200], np.column_stack([y[:200], y[:200]]))
    Y = np.column_stack([y * a1 + b1, y * a2 + b2])
    est = _fit(X[:200], Y[:200])
    r2 = r2_score(Y[200:], est.predict(X[200:]), multioutput="raw_values")
    r2_ref = r2_score(np.column_stack([y[200:]] * 2), ref.predict(X[200:]),
                      multioutput="raw_values")  # fmt: skip
    np.testing.assert_allclose(r2, r2_ref, atol=1e-6)
    assert np.all(r2 > 0.7)
    assert est.history_.loss_unit == LOSS_SPLIT  # the training loss standardized
    unit = loss_unit(ref.target_scaler_)  # [y, y]: one scale, the losses in y's units
    np.testing.assert_allclose(est.loss_curve_, np.divide(ref.loss_curve_, unit), rtol=1e-6)


@pytest.mark.parametrize("scales", [(1e9, 1.0), (1e-4, 50.0, 1e6)])
def test_several_columns_as_scikit_learns_standard_scaler_around_the_fit(scales):
    """The oracle: ``TransformedTargetRegressor(StandardScaler())`` around glassnet's
    unscaled fit; the same predictions, and loss_curve_ that of the standardized fit."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.preprocessing import StandardScaler

    X, y = _data()
    rng = np.random.default_rng(4)
    Y = np.column_stack([(y + rng.normal(0, 0.3, len(y)) * k) * s
                         for k, s in enumerate(scales)])  # fmt: skip
    est = _fit(X[:200], Y[:200])
    oracle = TransformedTargetRegressor(
        _fit(X[:1], Y[:1], standardize_target=False), transformer=StandardScaler()
    ).fit(X[:200], Y[:200])
    np.testing.assert_allclose(est.predict(X[200:]) / scales, oracle.predict(X[200:]) / scales,
                               rtol=1e-6, atol=1e-6)  # fmt: skip
    np.testing.assert_allclose(est.loss_curve_, oracle.regressor_.loss_curve_, rtol=1e-6)


def test_verbose_lines_print_the_loss_curve(capsys):
    X, y = _data(80)
    est = _fit(X, y * 1e8 + 1e9, max_iter=3, verbose=True)
    printed = [float(v) for v in re.findall(r"loss = ([\d.e+]+)", capsys.readouterr().out)]
    np.testing.assert_allclose(printed, est.loss_curve_, rtol=1e-8)


@pytest.mark.parametrize(("scale", "offset"), [(1e6, 0.0), (1e-6, 0.0), (1e7, 3e9), (250.0, -1.0)])
@pytest.mark.parametrize("data", ["friedman", "diabetes"])
def test_lbfgs_runs_are_unit_free(scale, offset, data):
    """300 L-BFGS iterations of an overfitting network amplify rounding error: targets in
    other units (standardized to the same numbers up to 1e-16) once gave test R^2 of -0.85
    and -1.14 for the same run. The oracle: the run on the targets in their first units;
    predictions agree up to the change of units, the losses up to ``scale**2``."""
    from sklearn.datasets import load_diabetes

    X, y = _data(300) if data == "friedman" else load_diabetes(return_X_y=True)
    kw = {"solver": "lbfgs", "max_iter": 300, "hidden_layer_sizes": (32,)}
    ref = _fit(X[:250], y[:250], **kw)
    assert ref.n_iter_ > 100  # a long run, where rounding error had grown
    est = _fit(X[:250], y[:250] * scale + offset, **kw)
    assert est.n_iter_ == ref.n_iter_
    np.testing.assert_allclose((est.predict(X[250:]) - offset) / scale, ref.predict(X[250:]),
                               rtol=1e-9, atol=1e-9 * np.std(y))  # fmt: skip
    np.testing.assert_allclose(est.loss_curve_, np.multiply(ref.loss_curve_, scale**2),
                               rtol=1e-9)  # fmt: skip


def test_standardized_targets_lie_on_the_grid():
    from glassnet.data.preprocessing import TARGET_GRID, scaled_targets

    rng = np.random.default_rng(3)
    for y in (rng.normal(5, 2, 50), rng.normal(size=(40, 3)) * [1e9, 1, 1e-9]):
        s = fit_target_scaler(y)
        z = scaled_targets(s, y)
        assert z.shape == y.shape
        np.testing.assert_array_equal(np.round(z / TARGET_GRID) * TARGET_GRID, z)
        exact = (y - s.mean) / s.scale if y.ndim == 2 else (y - s.mean[0]) / s.scale[0]
        assert np.max(np.abs(z - exact)) <= TARGET_GRID / 2
