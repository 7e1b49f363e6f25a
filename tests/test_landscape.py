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
    assert describe_index(where) == "layer 1 W[2, 0]"


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
