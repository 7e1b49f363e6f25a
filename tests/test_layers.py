import numpy as np
import pytest

from glassnet.core.gradcheck import check_vjp
from glassnet.core.layers import Dense


def test_forward_is_affine(rng):
    layer = Dense(3, 2)
    p = {"W": rng.normal(size=(3, 2)), "b": rng.normal(size=(1, 2))}
    X = rng.normal(size=(5, 3))
    Z, cache = layer.forward(p, X)
    expected = np.array(
        [
            [sum(X[n, i] * p["W"][i, j] for i in range(3)) + p["b"][0, j] for j in range(2)]
            for n in range(5)
        ]
    )
    np.testing.assert_allclose(Z, expected, rtol=1e-13)
    assert cache is X


def test_backward_matches_finite_differences(rng):
    layer = Dense(4, 3)
    p = {"W": rng.normal(size=(4, 3)), "b": rng.normal(size=(1, 3))}
    X = rng.normal(size=(6, 4))
    _, cache = layer.forward(p, X)

    def grads(G):
        return layer.backward(G, cache, p)

    rel, ok = check_vjp(lambda x: layer.forward(p, x)[0], lambda G: grads(G)[0], X, rng)
    assert ok, rel
    for name in ("W", "b"):

        def f(theta, name=name):
            return layer.forward({**p, name: theta}, X)[0]

        rel, ok = check_vjp(f, lambda G, name=name: grads(G)[1][name], p[name], rng)
        assert ok, (name, rel)


def test_param_grads_are_backwards_gradients_and_match_finite_differences(rng):
    """``param_grads``: the first layer's gradients alone, the numbers ``backward`` gives."""
    layer = Dense(3, 4)
    p = {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=(1, 4))}
    X = rng.normal(size=(5, 3))
    _, cache = layer.forward(p, X)
    G = rng.normal(size=(5, 4))
    grads = layer.param_grads(G, cache)
    _, expected = layer.backward(G, cache, p)
    for name in ("W", "b"):
        np.testing.assert_array_equal(grads[name], expected[name])

        def f(theta, name=name):
            return layer.forward({**p, name: theta}, X)[0]

        rel, ok = check_vjp(f, lambda G, name=name: layer.param_grads(G, cache)[name], p[name], rng)
        assert ok, (name, rel)
    np.testing.assert_allclose(grads["W"], X.T @ G, rtol=1e-13)  # hand-written oracle
    np.testing.assert_allclose(grads["b"], G.sum(axis=0, keepdims=True), rtol=1e-13)


def test_buffers_receive_the_results(rng):
    layer = Dense(2, 3)
    p = layer.init(rng)
    X, G = rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    out, dX_out = {"W": np.empty((2, 3)), "b": np.empty((1, 3))}, np.empty((4, 2))
    dX, grads = layer.backward(G, X, p, out=out, dX_out=dX_out)
    assert dX is dX_out and grads["W"] is out["W"] and grads["b"] is out["b"]
    np.testing.assert_allclose(dX, G @ p["W"].T, rtol=1e-13)
    only = {"W": np.empty((2, 3)), "b": np.empty((1, 3))}
    assert layer.param_grads(G, X, only)["W"] is only["W"]
    np.testing.assert_array_equal(only["W"], out["W"])


@pytest.mark.parametrize("positional", [False, True])
@pytest.mark.parametrize("input_grad", [False, True])
def test_the_input_grad_flag_still_works_and_warns(rng, input_grad, positional):
    """``backward(..., input_grad=False)`` (deprecated) still returns ``(None, grads)``;
    ``True`` the input error, as ``backward`` without it; both with the same numbers."""
    layer = Dense(2, 3)
    p = layer.init(rng)
    X, G = rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    with pytest.warns(DeprecationWarning, match="param_grads"):
        if positional:
            dX, grads = layer.backward(G, X, p, input_grad)
        else:
            dX, grads = layer.backward(G, X, p, input_grad=input_grad)
    expected_dX, expected = layer.backward(G, X, p)
    if input_grad:
        np.testing.assert_array_equal(dX, expected_dX)
    else:
        assert dX is None
    for name in ("W", "b"):
        np.testing.assert_array_equal(grads[name], expected[name])


def test_init_scales():
    rng = np.random.default_rng(0)
    glorot = Dense(300, 200).init(rng, "glorot")
    bound = np.sqrt(6 / 500)
    assert np.abs(glorot["W"]).max() <= bound
    assert np.isclose(glorot["W"].std(), bound / np.sqrt(3), rtol=0.02)
    he = Dense(300, 200).init(rng, "he")
    assert np.isclose(he["W"].std(), np.sqrt(2 / 300), rtol=0.02)
    assert np.all(he["b"] == 0) and he["b"].shape == (1, 200)
    assert Dense(3, 2).init(rng, dtype=np.float32)["W"].dtype == np.float32


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_sizes_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match="n_in must be a positive integer"):
        Dense(bad, 3)


def test_unknown_init_method():
    with pytest.raises(ValueError, match="unknown init method 'xavier'"):
        Dense(2, 2).init(np.random.default_rng(0), "xavier")  # type: ignore[arg-type]
