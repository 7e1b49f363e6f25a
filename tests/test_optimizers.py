import numpy as np
import pytest

from glassnet.core.optimizers import (
    OPTIMIZERS,
    SGD,
    Adam,
    Momentum,
    Nesterov,
    apply_updates,
    get_optimizer,
)


def _tree(*values):
    return [{"W": np.array(values, dtype=float)}]


def test_sgd_step():
    opt = SGD(0.5)
    step, _ = opt.update(_tree(2.0, -4.0), opt.init(_tree(0.0, 0.0)), _tree(0.0, 0.0))
    np.testing.assert_array_equal(step[0]["W"], [-1.0, 2.0])


def test_momentum_is_the_tutorials_formula():
    # M(1) = 0.9 * 0 - 0.02 * g; M(2) = 0.9 * M(1) - 0.02 * g2; theta += M each time.
    opt = Momentum(learning_rate=0.02, momentum=0.9)
    theta = _tree(1.0)
    state = opt.init(theta)
    M1, state = opt.update(_tree(10.0), state, theta)
    assert M1[0]["W"][0] == pytest.approx(-0.2)
    theta = apply_updates(theta, M1)
    M2, state = opt.update(_tree(5.0), state, theta)
    assert M2[0]["W"][0] == pytest.approx(0.9 * -0.2 - 0.02 * 5.0)
    assert apply_updates(theta, M2)[0]["W"][0] == pytest.approx(1.0 - 0.2 - 0.28)


def test_nesterov_step():
    opt = Nesterov(learning_rate=0.1, momentum=0.5)
    state = opt.init(_tree(0.0))
    step, state = opt.update(_tree(1.0), state, _tree(0.0))
    # M = 0.5 * 0 - 0.1 = -0.1; step = 0.5 * M - 0.1 * g = -0.15
    assert step[0]["W"][0] == pytest.approx(-0.15)
    assert state.M[0]["W"][0] == pytest.approx(-0.1)
    step, state = opt.update(_tree(1.0), state, _tree(0.0))
    # M = 0.5 * -0.1 - 0.1 = -0.15; step = 0.5 * -0.15 - 0.1 = -0.175
    assert step[0]["W"][0] == pytest.approx(-0.175)


def test_adam_steps_follow_the_paper():
    b1, b2, mu, eps = 0.9, 0.999, 0.01, 1e-8
    opt = Adam(mu, b1, b2, eps)
    state = opt.init(_tree(0.0))
    g1, g2 = 3.0, -1.0
    step1, state = opt.update(_tree(g1), state, _tree(0.0))
    # After one step the bias-corrected moments are g and g^2: the step is -mu * sign(g).
    assert step1[0]["W"][0] == pytest.approx(-mu * g1 / (abs(g1) + eps))
    step2, state = opt.update(_tree(g2), state, _tree(0.0))
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    m_hat, v_hat = m / (1 - b1**2), v / (1 - b2**2)
    assert step2[0]["W"][0] == pytest.approx(-mu * m_hat / (np.sqrt(v_hat) + eps), rel=1e-12)
    assert state.t == 2


def _minimise(opt, grad_fn, theta0, steps):
    params = [{"W": np.array(theta0, dtype=float)}]
    state = opt.init(params)
    for _ in range(steps):
        updates, state = opt.update([{"W": grad_fn(params[0]["W"])}], state, params)
        params = apply_updates(params, updates)
    return params[0]["W"]


CONFIGS = {
    "sgd": (SGD(0.1), SGD(1e-3), 20000),
    "momentum": (Momentum(0.05, 0.9), Momentum(2e-4, 0.9), 20000),
    "nesterov": (Nesterov(0.05, 0.9), Nesterov(2e-4, 0.9), 20000),
    "adam": (Adam(0.1), Adam(0.02), 20000),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_converges_on_a_quadratic(name):
    A = np.diag([1.0, 10.0])
    target = np.array([3.0, -2.0])
    theta = _minimise(CONFIGS[name][0], lambda x: A @ (x - target), [0.0, 0.0], 2000)
    np.testing.assert_allclose(theta, target, atol=1e-3)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_converges_on_rosenbrock(name):
    def grad(p):
        x, y = p
        return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])

    _, opt, steps = CONFIGS[name]
    theta = _minimise(opt, grad, [-1.0, 1.5], steps)
    np.testing.assert_allclose(theta, [1.0, 1.0], atol=0.05)


def test_update_is_pure():
    opt = Adam(0.1)
    params = _tree(1.0, 2.0)
    grads = _tree(0.5, -0.5)
    state = opt.init(params)
    first = opt.update(grads, state, params)
    second = opt.update(grads, state, params)
    np.testing.assert_array_equal(first[0][0]["W"], second[0][0]["W"])
    assert state.t == 0 and np.all(state.m[0]["W"] == 0)
    np.testing.assert_array_equal(params[0]["W"], [1.0, 2.0])


def test_float32_stays_float32():
    params = [{"W": np.ones(3, dtype=np.float32)}]
    grads = [{"W": np.full(3, 0.5, dtype=np.float32)}]
    for name in OPTIMIZERS:
        opt = get_optimizer(name)
        updates, state = opt.update(grads, opt.init(params), params)
        assert updates[0]["W"].dtype == np.float32, name
        assert apply_updates(params, updates)[0]["W"].dtype == np.float32


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SGD(0.0), "learning_rate must be a positive"),
        (lambda: Momentum(0.1, 1.0), r"momentum must be in \[0, 1\)"),
        (lambda: Adam(0.1, beta2=-0.1), r"beta2 must be in \[0, 1\)"),
        (lambda: Adam(float("nan")), "learning_rate must be a positive"),
        (lambda: get_optimizer("rmsprop"), "unknown optimizer 'rmsprop'"),
    ],
)
def test_bad_hyperparameters(make, message):
    with pytest.raises(ValueError, match=message):
        make()
