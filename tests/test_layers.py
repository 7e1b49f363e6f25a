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


def test_first_layer_can_skip_the_input_gradient(rng):
    layer = Dense(2, 3)
    p = layer.init(rng)
    X = rng.normal(size=(4, 2))
    Z, cache = layer.forward(p, X)
    dX, grads = layer.backward(np.ones_like(Z), cache, p, input_grad=False)
    assert dX is None and grads["W"].shape == (2, 3) and grads["b"].shape == (1, 3)


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
