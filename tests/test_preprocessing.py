import numpy as np

from glassnet.data.preprocessing import fit_standardizer


def test_matches_numpy_in_blocks_and_subsets(rng):
    X = rng.normal(loc=1e6, scale=3.0, size=(1001, 4))
    X[:, 2] = 7.0  # a constant column gets scale 1
    s = fit_standardizer(X, block=97)
    np.testing.assert_allclose(s.mean, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(s.scale[[0, 1, 3]], X[:, [0, 1, 3]].std(axis=0), rtol=1e-9)
    assert s.scale[2] == 1.0
    rows = np.arange(0, 1001, 3)
    sub = fit_standardizer(X, rows, block=50)
    np.testing.assert_allclose(sub.mean, X[rows].mean(axis=0), rtol=1e-12)
    Z = s.transform(X)
    np.testing.assert_allclose(Z[:, [0, 1, 3]].mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(s.inverse(Z), X, rtol=1e-12)


def test_transform_keeps_the_requested_dtype(rng):
    X = rng.normal(size=(10, 3))
    s = fit_standardizer(X)
    assert s.transform(X, np.float32).dtype == np.float32
    assert s.transform(X.astype(np.float32)).dtype == np.float32
    assert s.transform(X).dtype == np.float64


def test_memmap_is_read_in_blocks(tmp_path, rng):
    X = rng.normal(size=(500, 3))
    np.save(tmp_path / "x.npy", X)
    mm = np.load(tmp_path / "x.npy", mmap_mode="r")
    s = fit_standardizer(mm, block=64)
    np.testing.assert_allclose(s.mean, X.mean(axis=0), rtol=1e-12)


SCALES = [1e300, 1e-300, 2.0**1000, 1e-150, 1e150, 1.0]


def test_any_finite_scale_standardizes_as_the_unit_one(rng):
    """Oracle: the statistics of the same column at scale 1, times the scale (no overflow
    in ``x**2`` at 1e300, no underflow to a constant at 1e-300); mixed columns at once."""
    base = rng.normal(loc=0.3, size=(1001, len(SCALES)))
    X = base * SCALES
    ref = fit_standardizer(base, block=97)
    for block in (97, 4096):
        s = fit_standardizer(X, block=block)
        np.testing.assert_allclose(s.mean, ref.mean * SCALES, rtol=1e-12)
        np.testing.assert_allclose(s.scale, ref.scale * SCALES, rtol=1e-12)
        Z = s.transform(X)
        np.testing.assert_allclose(Z, ref.transform(base), rtol=1e-9, atol=1e-12)


def test_values_near_the_float_limit_stay_finite():
    X = np.array([[1.7e308, 1e-320], [-1.7e308, 0.0], [0.0, 3e-320]])
    s = fit_standardizer(X)
    assert np.all(np.isfinite(s.scale)) and np.all(s.scale > 0)
    Z = s.transform(X)
    np.testing.assert_allclose(Z[:, 0], [np.sqrt(1.5), -np.sqrt(1.5), 0.0], rtol=1e-12)
    assert np.all(np.isfinite(Z))


def test_target_scaler_at_any_scale(rng):
    from glassnet.data.preprocessing import fit_target_scaler

    y = rng.normal(loc=2.0, size=(500, 1))
    ref = fit_target_scaler(y)
    for scale in SCALES:
        s = fit_target_scaler(y * scale)
        np.testing.assert_allclose(s.mean, ref.mean * scale, rtol=1e-12)
        np.testing.assert_allclose(s.scale, ref.scale * scale, rtol=1e-12)
