"""MLPRegressor.score at any scale of the targets (NU13 #8): R^2 has no unit, so targets of
1e300 (whose squares overflow) and of 1e-300 (whose squares underflow) score as the same
targets of unit scale do. The oracle: scikit-learn's ``r2_score`` on the values divided by
the scale, where its sums stay in float range."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.metrics import r2_score  # noqa: E402

import glassnet  # noqa: E402
from glassnet.sklearn.estimators import MLPRegressor  # noqa: E402
from glassnet.sklearn.scores import r2  # noqa: E402
from glassnet.views.metrics import RegressionScores  # noqa: E402

SCALES = [1e300, 1e-300, 1e200, 3e-250, 1.0, 1e9]
MIXED = np.array([1e300, 1e-300, 1.0])  # one scale per target column


def _pair(k: int = 1, n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Targets ``(n, k)`` of unit scale and imperfect predictions of them."""
    rng = np.random.default_rng(seed)
    T = rng.normal(size=(n, k)) + 3.0
    return T, T + 0.4 * rng.normal(size=(n, k))


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("weighted", [False, True])
def test_r2_at_any_scale_is_r2_score_of_the_unscaled_values(scale, weighted):
    T, Y = _pair()
    w = np.random.default_rng(1).uniform(0.1, 3.0, len(T)) if weighted else None
    expected = r2_score(T[:, 0], Y[:, 0], sample_weight=w)
    got = r2(T[:, 0] * scale, Y[:, 0] * scale, w)
    assert got == pytest.approx(expected, rel=1e-12)
    assert 0.0 < got < 1.0  # neither nan (overflow) nor 1 (underflow)


@pytest.mark.parametrize("weighted", [False, True])
def test_columns_of_different_scales_average_uniformly(weighted):
    T, Y = _pair(k=3)
    w = np.arange(1.0, len(T) + 1) if weighted else None
    per_column = r2_score(T, Y, sample_weight=w, multioutput="raw_values")
    got = r2(T * MIXED, Y * MIXED, w)
    assert got == pytest.approx(np.mean(per_column), rel=1e-12)
    assert got == pytest.approx(r2_score(T, Y, sample_weight=w), rel=1e-12)
    assert not np.allclose(per_column, per_column[0])  # the columns do differ


def test_r2_keeps_scikit_learns_rules():
    T, Y = _pair()
    t, y = T[:, 0] * 1e300, Y[:, 0] * 1e300
    assert r2(np.full(5, 7e300), np.full(5, 7e300)) == 1.0  # constant, fitted exactly
    assert r2(np.full(5, 7e300), np.full(5, 6e300)) == 0.0  # constant, missed
    assert r2(t, t) == 1.0
    assert r2(t.reshape(-1, 1), y) == pytest.approx(r2_score(T[:, 0], Y[:, 0]), rel=1e-12)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert np.isnan(r2(t[:1], y[:1]))  # one sample: undefined, as scikit-learn
    assert caught
    with pytest.raises(ValueError):
        r2(np.r_[t[:-1], np.nan], y)
    with pytest.raises(ValueError):
        r2(t, y, sample_weight=np.ones(3))


@pytest.mark.parametrize("scale", [1e300, 1e-300, 1.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_score_of_a_fitted_regressor_at_any_scale(scale, weighted):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = X @ np.array([1.0, 2.0, -1.0]) + 0.3 * rng.normal(size=80)
    w = rng.uniform(0.5, 2.0, size=80) if weighted else None
    est = MLPRegressor((4,), max_iter=30, learning_rate_init=1e-2, random_state=0).fit(X, y * scale)
    pred = est.predict(X)
    expected = r2_score(y, pred / scale, sample_weight=w)
    assert est.score(X, y * scale, sample_weight=w) == pytest.approx(expected, rel=1e-9)
    assert 0.2 < expected < 1.0


def test_score_of_mixed_scale_columns_and_from_model_agree_with_evaluate(tmp_path):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(90, 4))
    base = np.column_stack([X[:, 0] - X[:, 1], X[:, 2] * 2.0, X[:, 3] + X[:, 0]])
    Yt = (base + 0.2 * rng.normal(size=base.shape)) * MIXED
    est = MLPRegressor((6,), max_iter=40, random_state=0).fit(X, Yt)
    pred = est.predict(X)
    expected = r2_score(Yt / MIXED, pred / MIXED)
    assert est.score(X, Yt) == pytest.approx(expected, rel=1e-9)
    est.save(tmp_path / "m.npz")
    again = MLPRegressor.from_model(glassnet.load(tmp_path / "m.npz"))
    assert again.score(X, Yt) == pytest.approx(expected, rel=1e-9)
    # glassnet evaluate's R^2 per target, averaged, is the same number
    assert float(np.mean(RegressionScores.of(pred, Yt).r2)) == pytest.approx(expected, rel=1e-9)
