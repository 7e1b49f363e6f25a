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
