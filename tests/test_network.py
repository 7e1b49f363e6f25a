import numpy as np
import pytest
from _targets import random_targets

from glassnet.core.gradcheck import check_network
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, apply_updates


@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu", "identity"])
@pytest.mark.parametrize("output", ["softmax", "logistic", "identity"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_gradients_match_finite_differences(activation, output, reduction, rng):
    net = Network.mlp([3, 5, 4, 2], activation, output, reduction)
    params = net.init(rng)
    for p in params:  # non-zero biases exercise the bias gradients
        p["b"] = rng.normal(scale=0.5, size=p["b"].shape)
    X = rng.normal(size=(8, 3))
    report = check_network(net, params, X, random_targets(output, rng, 8, 2))
    assert report.passed, report.format()


@pytest.mark.parametrize("sizes", [[2, 2], [4, 1], [2, 3, 2], [3, 7, 1, 6, 2]])
def test_any_depth_and_width(sizes, rng):
    net = Network.mlp(sizes, "tanh", "softmax" if sizes[-1] > 1 else "logistic")
    params = net.init(rng)
    X = rng.normal(size=(5, sizes[0]))
    hidden = net.hidden_activations(params, X)
    assert [A.shape for A in hidden] == [(5, h) for h in sizes[1:-1]]
    assert net.predict_proba(params, X).shape == (5, sizes[-1])
    report = check_network(net, params, X, random_targets(net.head.name, rng, 5, sizes[-1]))
    assert report.passed, report.format()


def test_hand_worked_single_step():
    """A 1-2-1 network, logistic hidden units, identity output, squared error, worked by hand.

    x = 1, t = 1; W1 = [[0.5, -1]], b1 = [0, 0.5]; W2 = [[2], [1]], b2 = 0.1.
    z1 = [0.5, -0.5]; h = sigma(z1) = [0.6224593312, 0.3775406688] (they sum to 1).
    y = 2 (0.6224593312) + 0.3775406688 + 0.1 = 1.7224593312; loss = (y - t)^2 / 2 = 0.2609737426.
    Eo = y - t = 0.7224593312; dW2 = h * Eo = [0.4497015521, 0.2727577791]; db2 = 0.7224593312.
    sigma'(+-0.5) = 0.6224593312 * 0.3775406688 = 0.2350037122.
    Eh = sigma' * (Eo * W2^T) = [0.3395612495, 0.1697806247] = dW1 (x = 1) = db1.
    One SGD step with mu = 0.1 subtracts a tenth of each gradient.
    """
    net = Network.mlp([1, 2, 1], "logistic", "identity", "sum")
    params = [
        {"W": np.array([[0.5, -1.0]]), "b": np.array([[0.0, 0.5]])},
        {"W": np.array([[2.0], [1.0]]), "b": np.array([[0.1]])},
    ]
    X, T = np.array([[1.0]]), np.array([[1.0]])
    np.testing.assert_allclose(
        net.hidden_activations(params, X)[0], [[0.6224593312, 0.3775406688]], rtol=1e-10
    )
    loss, grads = net.loss_and_grad(params, X, T)
    assert loss == pytest.approx(0.2609737426, rel=1e-9)
    np.testing.assert_allclose(grads[1]["W"], [[0.4497015521], [0.2727577791]], rtol=1e-9)
    np.testing.assert_allclose(grads[1]["b"], [[0.7224593312]], rtol=1e-9)
    np.testing.assert_allclose(grads[0]["W"], [[0.3395612495, 0.1697806247]], rtol=1e-9)
    np.testing.assert_allclose(grads[0]["b"], [[0.3395612495, 0.1697806247]], rtol=1e-9)

    opt = SGD(0.1)
    updates, _ = opt.update(grads, opt.init(params), params)
    new = apply_updates(params, updates)
    np.testing.assert_allclose(new[1]["W"], [[2 - 0.04497015521], [1 - 0.02727577791]], rtol=1e-9)
    np.testing.assert_allclose(new[0]["b"], [[-0.03395612495, 0.5 - 0.01697806247]], rtol=1e-9)
    assert params[1]["W"][0, 0] == 2.0  # the old parameters are untouched


def _hand_worked():
    """The 1-2-1 network of :func:`test_hand_worked_single_step`."""
    net = Network.mlp([1, 2, 1], "logistic", "identity", "sum")
    params = [
        {"W": np.array([[0.5, -1.0]]), "b": np.array([[0.0, 0.5]])},
        {"W": np.array([[2.0], [1.0]]), "b": np.array([[0.1]])},
    ]
    return net, params, np.array([[1.0]]), np.array([[1.0]])


def test_backprop_keeps_every_number_of_the_hand_worked_pass():
    """``Network.backprop``: the numbers worked by hand above, each layer's input,
    pre-activations and error; its loss and gradients are ``loss_and_grad``'s."""
    net, params, X, T = _hand_worked()
    bp = net.backprop(params, X, T)
    assert bp.inputs[0] is X
    np.testing.assert_allclose(bp.inputs[1], [[0.6224593312, 0.3775406688]], rtol=1e-10)
    np.testing.assert_allclose(bp.Z[0], [[0.5, -0.5]], rtol=1e-15)
    np.testing.assert_allclose(bp.Z[1], [[1.7224593312]], rtol=1e-10)
    np.testing.assert_allclose(bp.errors[1], [[0.7224593312]], rtol=1e-9)  # Eo = y - t
    np.testing.assert_allclose(bp.errors[0], [[0.3395612495, 0.1697806247]], rtol=1e-9)  # Eh
    assert bp.loss == pytest.approx(0.2609737426, rel=1e-9)
    loss, grads = net.loss_and_grad(params, X, T)
    assert bp.loss == loss
    for got, expected in zip(bp.grads, grads, strict=True):
        for k in ("W", "b"):
            np.testing.assert_array_equal(got[k], expected[k])


@pytest.mark.parametrize("sizes", [[3, 2], [3, 5, 2], [3, 5, 4, 2]])
def test_backprop_has_one_entry_per_layer_and_checks_its_inputs(sizes, rng):
    from glassnet.core.validation import DataError

    net = Network.mlp(sizes, "tanh", "softmax", "mean")
    params, X = net.init(rng), rng.normal(size=(6, 3))
    T = random_targets("softmax", rng, 6, 2)
    bp = net.backprop(params, X, T)
    assert [Z.shape for Z in bp.Z] == [(6, n) for n in sizes[1:]]
    assert [E.shape for E in bp.errors] == [(6, n) for n in sizes[1:]]
    assert [A.shape for A in bp.inputs] == [(6, n) for n in sizes[:-1]]
    np.testing.assert_array_equal(bp.Z[-1], net.logits(params, X))
    X[0, 0] = np.nan
    with pytest.raises(DataError):
        net.backprop(params, X, T)


def test_predict(rng):
    net = Network.mlp([2, 3, 3], "tanh", "softmax")
    params = net.init(rng)
    X = rng.normal(size=(10, 2))
    np.testing.assert_array_equal(
        net.predict(params, X), np.argmax(net.predict_proba(params, X), axis=1)
    )
    binary = Network.mlp([2, 3, 1], "tanh", "logistic")
    bp = binary.init(rng)
    np.testing.assert_array_equal(
        binary.predict(bp, X), (binary.predict_proba(bp, X)[:, 0] >= 0.5).astype(int)
    )
    reg = Network.mlp([2, 2], output="identity")
    rp = reg.init(rng)
    np.testing.assert_allclose(reg.predict(rp, X), X @ rp[0]["W"] + rp[0]["b"])


def test_float32_stays_float32(rng):
    net = Network.mlp([4, 6, 3], "relu", "softmax")
    params = net.init(rng, dtype=np.float32)
    X = rng.normal(size=(5, 4)).astype(np.float32)
    T = np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 1]]
    _, grads = net.loss_and_grad(params, X, T)
    assert all(g.dtype == np.float32 for layer in grads for g in layer.values())
    assert net.predict_proba(params, X).dtype == np.float32


def test_forward_passes_do_not_interfere(rng):
    net = Network.mlp([2, 4, 2], "logistic")
    params = net.init(rng)
    X1, X2 = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    T = np.eye(2)[[0, 1, 0]]
    first = net.loss_and_grad(params, X1, T)
    net.loss_and_grad(params, X2, T)
    again = net.loss_and_grad(params, X1, T)
    assert first[0] == again[0]


def test_architecture_errors():
    with pytest.raises(ValueError, match="sizes needs an input and an output"):
        Network.mlp([3])
    with pytest.raises(ValueError, match="do not chain"):
        from glassnet.core.layers import Dense

        Network(
            (Dense(2, 3), Dense(4, 1)),
            (Network.mlp([2, 3, 2]).activations[0],),
            Network.mlp([2, 2]).head,
        )
    net = Network.mlp([2, 3, 2])
    with pytest.raises(ValueError, match="expected parameters for 2 layers, got 1"):
        net.loss(
            [{"W": np.zeros((2, 3)), "b": np.zeros((1, 3))}], np.zeros((1, 2)), np.zeros((1, 2))
        )


def test_parameter_count():
    assert Network.mlp([2, 3, 2]).n_params == 17
    assert Network.mlp([64, 20, 20, 10]).n_params == 64 * 20 + 20 + 20 * 20 + 20 + 20 * 10 + 10


@pytest.mark.parametrize("output", ["softmax", "logistic", "identity"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_weighted_gradient_is_the_gradient_of_the_weighted_per_row_losses(output, reduction, rng):
    """The oracle weighs per-row losses (one-row batches, unweighted) by hand."""
    from glassnet.core.gradcheck import numerical_gradient

    net = Network.mlp([3, 4, 2], "tanh", output, reduction)
    params = net.init(rng)
    X, T, w = rng.normal(size=(9, 3)), random_targets(output, rng, 9, 2), rng.uniform(0, 3, 9)
    # the identity head's mean is over every output element: its 2 columns too
    S = w.sum() * (2 if output == "identity" else 1) if reduction == "mean" else 1.0
    single = Network.mlp([3, 4, 2], "tanh", output, "sum")

    def weighted_loss():
        return sum(w[i] * single.loss(params, X[i : i + 1], T[i : i + 1]) for i in range(9)) / S

    loss, grads = net.loss_and_grad(params, X, T, sample_weight=w)
    assert loss == pytest.approx(weighted_loss(), rel=1e-12)
    for p, g in zip(params, grads, strict=True):
        for k in ("W", "b"):
            num = numerical_gradient(weighted_loss, p[k], 1e-6)
            np.testing.assert_allclose(g[k], num, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_integer_weights_equal_repeated_rows_at_the_seam(reduction, rng):
    net = Network.mlp([3, 5, 3], "relu", "softmax", reduction)
    params = net.init(rng)
    X, T = rng.normal(size=(12, 3)), random_targets("softmax", rng, 12, 3)
    w = rng.integers(0, 4, 12)
    loss, grads = net.loss_and_grad(params, X, T, sample_weight=w)
    loss_r, grads_r = net.loss_and_grad(params, np.repeat(X, w, 0), np.repeat(T, w, 0))
    assert loss == pytest.approx(loss_r, rel=1e-12)
    for g, r in zip(grads, grads_r, strict=True):
        np.testing.assert_allclose(g["W"], r["W"], rtol=1e-12, atol=1e-14)
