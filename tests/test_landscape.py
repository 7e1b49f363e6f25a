"""The loss slice, directions and the projected path."""

import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.views.landscape import (
    describe_index,
    flatten,
    loss_slice,
    param_direction,
    project_path,
    random_direction,
    unflatten,
)


@pytest.fixture
def problem(rng):
    net = Network.mlp([2, 4, 2], "tanh")
    X = rng.normal(size=(30, 2))
    T = np.eye(2)[(X[:, 0] > 0).astype(int)]
    return net, net.init(rng), X, T


def test_flatten_round_trip(problem):
    _, params, _, _ = problem
    back = unflatten(flatten(params), params)
    for p, q in zip(params, back, strict=True):
        for k in p:
            np.testing.assert_array_equal(p[k], q[k])


def test_param_direction_slice_moves_one_element(problem):
    net, params, X, T = problem
    where = (1, "W", (2, 0))
    d1, d2 = param_direction(params, where), param_direction(params, (0, "b", (0, 1)))
    assert flatten(d1).sum() == 1.0 and d1[1]["W"][2, 0] == 1.0
    s = loss_slice(net, params, X, T, d1, d2, resolution=5, extent=0.5)
    assert s.loss.shape == (5, 5) and s.path.shape == (0, 2)
    shifted = [dict(p) for p in params]
    shifted[1] = {**params[1], "W": params[1]["W"].copy()}
    shifted[1]["W"][2, 0] += s.alphas[0]
    shifted[0] = {**params[0], "b": params[0]["b"].copy()}
    shifted[0]["b"][0, 1] += s.betas[-1]
    assert s.loss[-1, 0] == pytest.approx(net.loss(shifted, X, T), rel=1e-12)
    assert describe_index(where) == "layer 2 W[2, 0]"


def test_random_direction_is_filter_normalised(problem, rng):
    _, params, _, _ = problem
    d = random_direction(rng, params)
    for p, q in zip(params, d, strict=True):
        np.testing.assert_allclose(np.linalg.norm(q["W"], axis=0), np.linalg.norm(p["W"], axis=0))


def test_path_projection_recovers_plane_coordinates(problem, rng):
    _, params, _, _ = problem
    d1, d2 = random_direction(rng, params), random_direction(rng, params)
    c, u, v = flatten(params), flatten(d1), flatten(d2)
    coords = np.array([[0.0, 0.0], [1.0, -2.0], [0.5, 0.25]])
    snaps = [unflatten(c + a * u + b * v, params) for a, b in coords]
    np.testing.assert_allclose(project_path(snaps, params, d1, d2), coords, atol=1e-10)


def test_slice_grid_covers_the_path(problem, rng):
    net, params, X, T = problem
    d1, d2 = random_direction(rng, params), random_direction(rng, params)
    far = unflatten(flatten(params) + 3 * flatten(d1), params)
    s = loss_slice(net, params, X, T, d1, d2, [far, params], resolution=7)
    assert s.alphas.min() < 0 < 3 < s.alphas.max()
    assert np.all(np.isfinite(s.loss)) and s.loss.shape == (7, 7)


def _trained_path(epochs=25):
    """Snapshots of a real run: a 20-32-3 network (771 parameters) trained with Adam."""
    from glassnet.train.loop import TrainConfig, fit

    rng = np.random.default_rng(5)
    X = rng.normal(size=(150, 20))
    y = np.argmax(X[:, :3] + 0.3 * rng.normal(size=(150, 3)), axis=1)
    net = Network.mlp([20, 32, 3], "relu")
    snapshots = [net.init(rng)]
    config = TrainConfig(epochs=epochs, batch_size=16)
    result = fit(net, snapshots[0], X, y, config, on_epoch_end=lambda s: snapshots.append(s.params))
    return net, result.params, snapshots, X, np.eye(3)[y]


def test_pca_directions_are_the_principal_directions_of_the_path():
    from glassnet.views.landscape import pca_directions

    _, centre, snapshots, _, _ = _trained_path()
    d1, d2, share = pca_directions(snapshots, centre)
    u, v = flatten(d1), flatten(d2)
    assert abs(u @ u - 1) < 1e-12 and abs(v @ v - 1) < 1e-12 and abs(u @ v) < 1e-12
    offsets = np.stack([flatten(s) - flatten(centre) for s in snapshots])
    # oracle: the leading eigenvectors of the offsets' scatter matrix, by eigh
    _, vecs = np.linalg.eigh(offsets.T @ offsets)
    assert abs(abs(u @ vecs[:, -1]) - 1) < 1e-6 and abs(abs(v @ vecs[:, -2]) - 1) < 1e-6
    assert 0 < share[1] <= share[0] <= 1 and share.sum() > 0.8


@pytest.mark.parametrize("epochs", [8, 25])
def test_the_path_shows_on_the_pca_plane_and_collapses_on_random_directions(epochs):
    from glassnet.views.landscape import pca_directions

    net, centre, snapshots, X, T = _trained_path(epochs)
    d1, d2, _ = pca_directions(snapshots, centre)
    on_pca = loss_slice(net, centre, X, T, d1, d2, snapshots, resolution=5, extent=1e-6)
    rng = np.random.default_rng(0)
    r1, r2 = random_direction(rng, centre), random_direction(rng, centre)
    on_random = loss_slice(net, centre, X, T, r1, r2, snapshots, resolution=5)

    def spread(s):  # start-to-end distance as a share of the grid's width
        return np.linalg.norm(s.path[0] - s.path[-1]) / (s.alphas[-1] - s.alphas[0])

    assert spread(on_pca) > 0.4 and spread(on_random) < 0.05
    # the start's loss on the plane is the loss of the initial parameters: the plane holds it
    start = flatten(centre) + on_pca.path[0] @ np.stack([flatten(d1), flatten(d2)])
    assert np.linalg.norm(start - flatten(snapshots[0])) < 0.3 * np.linalg.norm(
        flatten(snapshots[0]) - flatten(centre)
    )


def test_pca_needs_a_path_of_two_directions(problem):
    from glassnet.views.landscape import pca_directions

    _, params, _, _ = problem
    with pytest.raises(ValueError, match="snapshots"):
        pca_directions([], params)
    with pytest.raises(ValueError, match="fewer than two"):
        pca_directions([params, params], params)
