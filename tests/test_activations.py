import numpy as np
import pytest

from glassnet.core.activations import ACTIVATIONS, Logistic, ReLU, Tanh, get_activation, logistic
from glassnet.core.gradcheck import check_vjp


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_backward_matches_finite_differences(name, rng):
    act = get_activation(name)
    Z = rng.normal(size=(7, 4))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep away from the ReLU kink
    rel, ok = check_vjp(act.forward, lambda G: act.backward(G, act.forward(Z)), Z, rng)
    assert ok, rel


def test_formulas_against_scalar_math():
    z = np.array([[-2.0, 0.0, 0.7]])
    expected_logistic = [1 / (1 + np.exp(2.0)), 0.5, 1 / (1 + np.exp(-0.7))]
    np.testing.assert_allclose(Logistic().forward(z)[0], expected_logistic, rtol=1e-15)
    np.testing.assert_allclose(Tanh().forward(z)[0], np.tanh([-2.0, 0.0, 0.7]))
    np.testing.assert_array_equal(ReLU().forward(z)[0], [0.0, 0.0, 0.7])
    np.testing.assert_array_equal(get_activation("identity").forward(z), z)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_slope_is_one_above_zero_and_zero_at_and_below_the_kink(dtype):
    """``dZ = dA [A > 0]``, by hand: the kink (``A = 0``) passes nothing; with buffers
    (the compiled step's way) the numbers are the same as without."""
    Z = np.array([[-2.0, -0.0, 0.0, 1e-30, 3.5]], dtype)
    dA = np.array([[1.5, -2.0, 4.0, -0.25, 7.0]], dtype)
    A = ReLU().forward(Z)
    expected = np.array([[0.0, 0.0, 0.0, -0.25, 7.0]], dtype)
    got = ReLU().backward(dA, A)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expected)
    out, scratch = np.full_like(dA, np.nan), np.full_like(dA, np.nan)
    assert ReLU().backward(dA, A, out, scratch) is out
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(scratch, [[0.0, 0.0, 0.0, 1.0, 1.0]])


def test_logistic_is_stable_for_huge_inputs():
    z = np.array([-1e4, -745.0, 0.0, 745.0, 1e4])
    h = logistic(z)  # the errstate fixture turns any overflow into an error
    assert np.all(np.isfinite(h))
    assert h[0] == 0.0 and h[-1] == 1.0 and h[2] == 0.5


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_float32_stays_float32(name):
    act = get_activation(name)
    Z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    A = act.forward(Z)
    assert A.dtype == np.float32
    assert act.backward(np.ones_like(Z), A).dtype == np.float32


def test_unknown_activation_is_named():
    with pytest.raises(ValueError, match="unknown activation 'softsign'"):
        get_activation("softsign")
