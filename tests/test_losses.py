import numpy as np
import pytest
from _targets import random_targets

from glassnet.core.gradcheck import numerical_gradient
from glassnet.core.losses import HEADS, get_head, log_softmax, softmax


def _targets(name, rng, N=6, C=3):
    return random_targets(name, rng, N, C)


def _naive_loss(name, Z, T):
    """The textbook formulas, computed from the output Y (fine for moderate Z)."""
    if name == "softmax":
        Y = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        return -(T * np.log(Y)).sum()
    if name == "logistic":
        Y = 1 / (1 + np.exp(-Z))
        return -(T * np.log(Y) + (1 - T) * np.log(1 - Y)).sum()
    return 0.5 * ((Z - T) ** 2).sum()


@pytest.mark.parametrize("name", sorted(HEADS))
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_loss_matches_textbook_formula(name, reduction, rng):
    Z = rng.normal(size=(6, 3))
    T = _targets(name, rng)
    # the identity head's mean is over every output element (scikit-learn's squared_loss)
    per = 6 * (3 if name == "identity" else 1)
    expected = _naive_loss(name, Z, T) / (per if reduction == "mean" else 1)
    assert np.isclose(get_head(name, reduction).loss(Z, T), expected, rtol=1e-12)


def _naive_per_row(name, Z, T):
    """Each sample's loss by the textbook formulas, one row at a time (N,)."""
    return np.array([_naive_loss(name, Z[i : i + 1], T[i : i + 1]) for i in range(len(Z))])


@pytest.mark.parametrize("C", [1, 3])
@pytest.mark.parametrize("name", sorted(HEADS))
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_weighted_loss_and_error_match_the_rows_textbook_losses(name, reduction, C, rng):
    # heads may hand the reduction their per-unit terms (N, C) instead of row sums (N, 1):
    # the weights still count once per sample, never once per output unit
    if name == "softmax" and C == 1:
        C = 2
    Z, T = rng.normal(size=(7, C)), random_targets(name, rng, 7, C)
    w = rng.uniform(0.2, 3.0, size=7)
    S = w.sum() * (C if name == "identity" else 1) if reduction == "mean" else 1.0
    head = get_head(name, reduction)
    loss, Eo = head.loss_and_error(Z, T, w)
    assert loss == pytest.approx((w * _naive_per_row(name, Z, T)).sum() / S, rel=1e-12)
    num = numerical_gradient(lambda: head.loss(Z, T, w), Z, 1e-6)
    np.testing.assert_allclose(Eo, num, rtol=1e-6, atol=1e-9)
    K = 2  # a population: members on a leading axis, the same weights for each
    ZK, TK = np.stack([Z, -Z]), np.stack([T, T])
    losses, _ = head.loss_and_error(ZK, TK, w)
    expected = [(w * _naive_per_row(name, z, T)).sum() / S for z in (Z, -Z)]
    np.testing.assert_allclose(losses, expected, rtol=1e-12)
    assert losses.shape == (K,)


@pytest.mark.parametrize("name", sorted(HEADS))
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_output_error_matches_finite_differences(name, reduction, rng):
    head = get_head(name, reduction)
    Z = rng.normal(size=(6, 3))
    T = _targets(name, rng)
    loss, Eo = head.loss_and_error(Z, T)
    assert loss == pytest.approx(head.loss(Z, T), rel=1e-14)
    num = numerical_gradient(lambda: head.loss(Z, T), Z, 1e-6)
    np.testing.assert_allclose(Eo, num, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(HEADS))
def test_huge_logits_give_finite_loss_and_error(name, dtype, rng):
    Z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]], dtype=dtype)
    T = _targets(name, rng, N=2).astype(dtype)
    if name == "identity":
        T = np.zeros_like(Z)
    loss, Eo = get_head(name).loss_and_error(Z, T)
    assert np.isfinite(loss) and np.all(np.isfinite(Eo)) and Eo.dtype == dtype


def test_softmax_cross_entropy_of_confident_mistake_is_the_logit_gap():
    # -log softmax([1e4, -1e4])[1] = 2e4 exactly; naive code gives inf.
    Z = np.array([[1e4, -1e4]])
    assert get_head("softmax").loss(Z, np.array([[0.0, 1.0]])) == pytest.approx(2e4)
    np.testing.assert_allclose(softmax(Z), [[1.0, 0.0]])
    np.testing.assert_allclose(log_softmax(Z), [[0.0, -2e4]])


def test_outputs():
    Z = np.array([[0.0, np.log(3.0)]])
    np.testing.assert_allclose(get_head("softmax").output(Z), [[0.25, 0.75]])
    np.testing.assert_allclose(get_head("logistic").output(Z), [[0.5, 0.75]])
    np.testing.assert_array_equal(get_head("identity").output(Z), Z)


def test_bad_names():
    with pytest.raises(ValueError, match="unknown reduction 'avg'"):
        get_head("softmax", "avg")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown output 'tanh'"):
        get_head("tanh")
