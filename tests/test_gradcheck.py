import dataclasses

import numpy as np
import pytest

from glassnet.core.activations import Logistic
from glassnet.core.gradcheck import (
    GradientCheckError,
    check_gradients,
    check_network,
    check_vjp,
    numerical_gradient,
)
from glassnet.core.network import Network


@dataclasses.dataclass(frozen=True)
class ForgetfulLogistic(Logistic):
    """A deliberate bug: the backward pass forgets the factor H (1 - H)."""

    def backward(self, dA, A):
        return dA


def _problem(rng):
    net = Network.mlp([2, 3, 2], "logistic", "softmax", "sum")
    X = rng.normal(size=(20, 2))
    T = np.eye(2)[rng.integers(0, 2, 20)]
    params = net.init(rng)
    return net, params, X, T


def test_numerical_gradient_of_a_known_function():
    theta = np.array([[1.0, -2.0, 0.5]])
    grad = numerical_gradient(lambda: float(np.sum(theta**3)), theta, 1e-5)
    np.testing.assert_allclose(grad, 3 * theta**2, rtol=1e-9)
    np.testing.assert_array_equal(theta, [[1.0, -2.0, 0.5]])  # restored


def test_a_correct_network_passes_with_a_report_per_parameter(rng):
    net, params, X, T = _problem(rng)
    report = check_network(net, params, X, T, raise_on_failure=True)
    assert report.passed
    assert [(c.layer, c.name, c.shape) for c in report.checks] == [
        (0, "W", (2, 3)),
        (0, "b", (1, 3)),
        (1, "W", (3, 2)),
        (1, "b", (1, 2)),
    ]
    assert 0 < report.max_relative_error < 1e-6
    assert "gradient check passed" in report.format()


def test_a_wrong_hidden_gradient_is_caught(rng):
    net, params, X, T = _problem(rng)
    broken = dataclasses.replace(net, activations=(ForgetfulLogistic(),))
    _, wrong_grads = broken.loss_and_grad(params, X, T)
    report = check_gradients(lambda ps: net.loss(ps, X, T), params, wrong_grads)
    assert not report.passed
    verdicts = {(c.layer, c.name): c.passed for c in report.checks}
    # Only the hidden layer is wrong; the output layer's gradients are still right.
    assert verdicts == {(0, "W"): False, (0, "b"): False, (1, "W"): True, (1, "b"): True}
    assert report.max_relative_error > 0.1
    assert "FAILED" in report.format() and "NO" in report.format()
    with pytest.raises(GradientCheckError, match="gradient check failed"):
        check_gradients(lambda ps: net.loss(ps, X, T), params, wrong_grads, raise_on_failure=True)


def test_a_single_wrong_element_is_located(rng):
    net, params, X, T = _problem(rng)
    _, grads = net.loss_and_grad(params, X, T)
    grads[1]["W"] = grads[1]["W"].copy()
    grads[1]["W"][2, 1] += 1e-3
    report = check_gradients(lambda ps: net.loss(ps, X, T), params, grads)
    bad = [c for c in report.checks if not c.passed]
    assert [(c.layer, c.name, c.worst_index) for c in bad] == [(1, "W", (2, 1))]
    assert bad[0].max_abs_error == pytest.approx(1e-3, rel=1e-3)


def test_shape_mismatch_is_reported(rng):
    net, params, X, T = _problem(rng)
    _, grads = net.loss_and_grad(params, X, T)
    grads[0]["b"] = grads[0]["b"].ravel()
    with pytest.raises(ValueError, match=r"gradient of layer 1 b has shape \(3,\)"):
        check_gradients(lambda ps: net.loss(ps, X, T), params, grads)


def test_check_vjp_catches_a_wrong_backward(rng):
    x = rng.normal(size=(4, 3))
    rel, ok = check_vjp(np.sin, lambda G: G * np.cos(x), x, rng)
    assert ok and rel < 1e-6
    _, ok = check_vjp(np.sin, lambda G: G * np.sin(x), x, rng)
    assert not ok


def test_params_are_not_modified(rng):
    net, params, X, T = _problem(rng)
    before = [{k: v.copy() for k, v in p.items()} for p in params]
    check_network(net, params, X, T)
    for b, p in zip(before, params, strict=True):
        for k in b:
            np.testing.assert_array_equal(b[k], p[k])


def test_report_as_dict(rng):
    net, params, X, T = _problem(rng)
    d = check_network(net, params, X, T).as_dict()
    assert d["passed"] is True and len(d["parameters"]) == 4
    assert d["parameters"][0]["shape"] == [2, 3]


def test_a_capped_check_samples_elements_and_still_finds_a_wrong_one(rng):
    net = Network.mlp([6, 20, 3], "tanh")
    params = net.init(rng)
    X = rng.normal(size=(10, 6))
    T = np.eye(3)[rng.integers(0, 3, 10)]
    report = check_network(net, params, X, T, max_elements=15)
    assert report.passed
    assert [c.n_checked for c in report.checks] == [15, 15, 15, 3]
    assert "layer 1 W: 15 of 120" in report.format()
    _, grads = net.loss_and_grad(params, X, T)
    grads[0]["W"] = grads[0]["W"] + 1e-2  # every element wrong: any sample finds it
    bad = check_gradients(lambda ps: net.loss(ps, X, T), params, grads, max_elements=15)
    assert not bad.checks[0].passed and bad.checks[1].passed


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relu_kinks_are_reported_not_failed(seed):
    """XOR at zero biases: inputs of 0 and 1 put ReLU inputs exactly at the kink Z = 0."""
    from glassnet.core.gradcheck import check_network

    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    T = np.eye(2)[[0, 1, 1, 0]]
    net = Network.mlp([2, 4, 2], "relu", "softmax", "mean")
    params = net.init(np.random.default_rng(seed))
    params = [{"W": p["W"], "b": np.zeros_like(p["b"])} for p in params]
    report = check_network(net, params, X, T)
    assert report.passed
    assert sum(c.n_kinks for c in report.checks) > 0  # the first row is 0: Z = 0 exactly
    assert "kinks (not judged" in report.format()
    assert report.as_dict()["parameters"][0]["kinks"] == report.checks[0].n_kinks
    # a wrong gradient away from the kinks still fails
    loss, grads = net.loss_and_grad(params, X, T)
    grads[1]["W"] = grads[1]["W"] + 1e-3
    from glassnet.core.gradcheck import check_gradients, relu_pattern

    wrong = check_gradients(lambda ps: net.loss(ps, X, T), params, grads,
                            pattern=relu_pattern(net, X))
    assert not wrong.passed and not wrong.checks[2].passed


def test_smooth_networks_have_no_kinks():
    from glassnet.core.gradcheck import check_network

    X = np.random.default_rng(0).normal(size=(5, 3))
    T = np.eye(2)[[0, 1, 1, 0, 1]]
    net = Network.mlp([3, 4, 2], "tanh", "softmax", "mean")
    report = check_network(net, net.init(np.random.default_rng(0)), X, T)
    assert report.passed and all(c.n_kinks == 0 for c in report.checks)
