import numpy as np
import pytest

from glassnet.data.datasets import make_circles, one_hot


def test_layout_without_noise():
    X, t = make_circles(np.random.default_rng(0), n_samples=10, factor=0.3, noise=None)
    np.testing.assert_array_equal(t, [0] * 5 + [1] * 5)
    np.testing.assert_allclose(np.hypot(*X[:5].T), 1.0)
    np.testing.assert_allclose(np.hypot(*X[5:].T), 0.3)
    angles = np.arctan2(X[:5, 1], X[:5, 0]) % (2 * np.pi)
    np.testing.assert_allclose(angles, np.linspace(0, 2 * np.pi, 5, endpoint=False), atol=1e-12)


def test_matches_scikit_learn_on_the_same_stream():
    datasets = pytest.importorskip("sklearn.datasets")
    for n, factor, noise in [(100, 0.3, 0.1), (37, 0.5, 0.2)]:
        ours = make_circles(np.random.RandomState(1), n, factor, noise)
        theirs = datasets.make_circles(
            n_samples=n,
            shuffle=False,
            factor=factor,
            noise=noise,
            random_state=np.random.RandomState(1),
        )
        np.testing.assert_array_equal(ours[0], theirs[0])
        np.testing.assert_array_equal(ours[1], theirs[1])


def test_seeded_generator_is_reproducible_and_shuffles():
    a = make_circles(np.random.default_rng(5), 50, shuffle=True)
    b = make_circles(np.random.default_rng(5), 50, shuffle=True)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[1], np.sort(a[1]))
    assert np.sum(a[1] == 1) == 25


def test_bad_arguments():
    with pytest.raises(ValueError, match="factor must be in"):
        make_circles(np.random.default_rng(0), factor=1.5)
    with pytest.raises(ValueError, match="n_samples must be at least 2"):
        make_circles(np.random.default_rng(0), n_samples=1)


def test_one_hot():
    np.testing.assert_array_equal(one_hot(np.array([0, 2, 1])), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert one_hot(np.array([0, 1]), 4).shape == (2, 4)
    with pytest.raises(ValueError, match=r"class labels must lie in \[0, 2\)"):
        one_hot(np.array([0, 2]), 2)
    with pytest.raises(ValueError, match="must be 1-D"):
        one_hot(np.zeros((2, 2), dtype=int))


@pytest.mark.parametrize("name", ["circles", "moons", "spirals", "xor"])
def test_synthetic_sets_are_seeded_and_balanced(name):
    from glassnet.data.datasets import load_dataset

    X1, t1 = load_dataset(name, np.random.default_rng(4))
    X2, t2 = load_dataset(name, np.random.default_rng(4))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(t1, t2)
    assert X1.shape == (len(t1), 2) and np.all(np.isfinite(X1))
    counts = np.bincount(t1)
    assert counts.min() >= counts.max() - 1 or name == "xor"
    X3, _ = load_dataset(name, np.random.default_rng(5))
    assert not np.array_equal(X1, X3)


def test_geometry_of_the_synthetic_sets():
    from glassnet.data.datasets import make_moons, make_spirals, make_xor

    X, t = make_moons(np.random.default_rng(0), 100, noise=0.0)
    np.testing.assert_allclose(np.hypot(*X[t == 0].T), 1.0)  # upper moon on the unit circle
    np.testing.assert_allclose(np.hypot(X[t == 1, 0] - 1, X[t == 1, 1] - 0.5), 1.0)
    X, t = make_spirals(np.random.default_rng(0), 90, arms=3, noise=0.0)
    assert set(t) == {0, 1, 2} and np.hypot(*X.T).max() == pytest.approx(1.0)
    X, t = make_xor(np.random.default_rng(0), 400, noise=0.0)
    np.testing.assert_array_equal(t, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    with pytest.raises(ValueError, match="at least 2 arms"):
        make_spirals(np.random.default_rng(0), arms=1)


def test_digits_come_from_scikit_learns_copy():
    pytest.importorskip("sklearn")
    from glassnet.data.datasets import load_dataset, load_digits

    X, t = load_digits()
    assert X.shape == (1797, 64) and X.min() == 0 and X.max() == 16
    assert np.bincount(t).sum() == 1797 and set(t) == set(range(10))
    with pytest.raises(ValueError, match="unknown data set 'mnist'"):
        load_dataset("mnist", np.random.default_rng(0))
