import numpy as np
import pytest

from glassnet.datasets import make_circles, one_hot


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
