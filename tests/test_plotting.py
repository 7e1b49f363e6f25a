"""Figures are checked for being valid, non-blank images of the right size."""

import io

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
from matplotlib.image import imread  # noqa: E402

from glassnet.views import plotting  # noqa: E402


def _pixels(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    buf.seek(0)
    return imread(buf)


def _assert_drawn(img, size):
    assert img.shape[:2] == size
    # Not blank: many distinct colours, not a single flat background.
    flat = img[..., :3].reshape(-1, 3)
    assert len(np.unique(flat, axis=0)) > 50
    assert flat.std() > 0.05


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    t = (np.hypot(*X.T) < 1).astype(int)
    return X, t


def test_dataset(data):
    _assert_drawn(_pixels(plotting.plot_dataset(*data)), (500, 500))


def test_loss_curve():
    fig = plotting.plot_loss(list(np.exp(-np.linspace(0, 5, 50))), [0.5] * 50)
    _assert_drawn(_pixels(fig), (400, 700))


def test_decision_boundary_colours_both_regions(data):
    X, t = data
    fig = plotting.plot_decision_boundary(lambda P: (P[:, 0] > 0).astype(int), X, t, resolution=50)
    img = _pixels(fig)
    _assert_drawn(img, (500, 500))
    with pytest.raises(ValueError, match="needs 2-D inputs"):
        plotting.plot_decision_boundary(lambda P: P[:, 0], np.zeros((3, 3)), t[:3])


@pytest.mark.parametrize("units", [1, 2, 3, 6])
def test_hidden_projection(units, data):
    rng = np.random.default_rng(1)
    H = rng.uniform(size=(40, units))
    fig = plotting.plot_hidden_projection(H, data[1])
    _assert_drawn(_pixels(fig), (500, 600))
    assert ("PCA" in fig.axes[0].get_title()) == (units > 3)


def test_pca_against_covariance_eigenvectors():
    rng = np.random.default_rng(2)
    A = rng.normal(size=(200, 4)) @ np.diag([5.0, 2.0, 1.0, 0.1])
    P, explained = plotting.pca(A, 2)
    evals, evecs = np.linalg.eigh(np.cov(A.T))
    order = np.argsort(evals)[::-1]
    np.testing.assert_allclose(explained, evals[order][:2] / evals.sum(), rtol=1e-10)
    first = (A - A.mean(axis=0)) @ evecs[:, order[0]]
    assert abs(abs(np.corrcoef(P[:, 0], first)[0, 1]) - 1) < 1e-10


def test_pca_pads_when_there_are_fewer_samples_than_axes():
    P, explained = plotting.pca(np.array([[0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 2.0, 5.0]]), 3)
    assert P.shape == (2, 3) and explained.shape == (3,)
    np.testing.assert_allclose(P[:, 1:], 0, atol=1e-12)
    assert explained[0] == pytest.approx(1.0) and explained[2] == 0
