"""The update fused into the weight products (``fused.py``, ``blas.py``) computes what the
pure step computes; without NumPy's cblas the step keeps its unfused update and agrees."""

from dataclasses import replace

import numpy as np
import pytest
from _targets import random_targets

from glassnet.core import blas, fast, fused, program
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov

OPTIMIZERS = [SGD(0.05), Momentum(0.05, 0.9), Nesterov(0.05, 0.9), Adam(0.01)]
EXTRAS = {"plain": (False, 0.0), "weights": (True, 0.0), "l2": (False, 0.3),
          "weights+l2": (True, 0.05)}  # fmt: skip


def _run(net, params, opt, X, T, w, l2, rates, ws=None):
    state, losses = opt.init(params), []
    for lr in rates:
        loss, params, state = fast.step(net, params, replace(opt, learning_rate=lr), state, X, T,
                                        ws, sample_weight=w, l2_scale=l2)  # fmt: skip
        losses.append(loss)
    return np.array(losses), [{k: v.copy() for k, v in p.items()} for p in params]


@pytest.mark.parametrize("extra", sorted(EXTRAS))
@pytest.mark.parametrize("opt", OPTIMIZERS, ids=lambda o: type(o).__name__)
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_the_fused_step_equals_the_pure_step(opt, reduction, extra, monkeypatch):
    """The affine rules (SGD, momentum) fused into the weight products, for 12 steps with a
    changing rate: the pure step's numbers to 1e-12."""
    if blas.gemm_of(np.float64) is None:
        pytest.skip("this NumPy ships no cblas library to call")
    monkeypatch.setattr(program, "FUSE_MIN", 0)
    rng = np.random.default_rng(5)
    net = Network.mlp([4, 7, 5, 3], "tanh", "softmax", reduction)
    params = net.init(rng)
    X, T = rng.normal(size=(16, 4)), random_targets("softmax", rng, 16, 3)
    weighted, l2 = EXTRAS[extra]
    w = rng.uniform(0.0, 2.0, 16) if weighted else None
    base = opt.learning_rate / (16 if reduction == "sum" else 1)
    rates = base * (1.0 + 0.5 * np.sin(np.arange(12)))
    expected = _run(net, params, opt, X, T, w, l2, rates)
    ws = fast.Workspace(net, 16)
    got = _run(net, params, opt, X, T, w, l2, rates, ws)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-12, atol=1e-14)
    for g, e in zip(got[1], expected[1], strict=True):
        for k in ("W", "b"):
            np.testing.assert_allclose(g[k], e[k], rtol=1e-12, atol=1e-14)
    products = ws.programs[16].products
    assert len(products) == 3
    affine = fused.affine_rule(opt, 1)
    assert (affine is not None) == isinstance(opt, SGD | Momentum)


def test_the_probed_coefficients_are_the_rules():
    assert fused.affine_rule(Momentum(0.05, 0.8), 1) == fused.AffineRule(0, -0.05, 0.8)
    assert fused.affine_rule(SGD(0.3), 1) == fused.AffineRule(None, -0.3, 1.0)
    assert fused.affine_rule(Nesterov(0.05, 0.8), 1) is None  # its update is not M
    assert fused.affine_rule(Adam(0.01), 3) is None  # not affine


def test_without_numpys_cblas_the_update_is_unfused_and_the_numbers_agree(monkeypatch):
    monkeypatch.setattr(program, "FUSE_MIN", 0)
    rng = np.random.default_rng(6)
    net = Network.mlp([4, 6, 3], "relu", "softmax", "mean")
    params = net.init(rng)
    X, T = rng.normal(size=(9, 4)), random_targets("softmax", rng, 9, 3)
    opt, rates = Momentum(0.1, 0.9), [0.1] * 5
    fused_run = _run(net, params, opt, X, T, None, 0.01, rates, fast.Workspace(net, 9))
    monkeypatch.setattr(program, "gemm_of", lambda dtype: None)  # another NumPy build
    ws = fast.Workspace(net, 9)
    plain = _run(net, params, opt, X, T, None, 0.01, rates, ws)
    assert ws.programs[9].products == []
    np.testing.assert_allclose(plain[0], fused_run[0], rtol=1e-12)
    for g, e in zip(plain[1], fused_run[1], strict=True):
        np.testing.assert_allclose(g["W"], e["W"], rtol=1e-12, atol=1e-14)


def test_a_product_reads_transposed_views_in_place_and_adds_beta_c():
    gemm = blas.gemm_of(np.float32)
    if gemm is None:
        pytest.skip("this NumPy ships no cblas library to call")
    rng = np.random.default_rng(7)
    X, dZ, C = (rng.standard_normal(s).astype(np.float32) for s in [(6, 4), (6, 3), (4, 3)])
    expected = 0.5 * C.astype(np.float64) - 2.0 * (X.T.astype(np.float64) @ dZ)
    blas.Product(gemm, X.T, dZ).into(C, -2.0, 0.5)
    np.testing.assert_allclose(C, expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError):
        blas.Product(gemm, X[:, ::2], dZ[:2])  # strided both ways: would need a copy


@pytest.mark.parametrize("opt", [SGD(0.05), Momentum(0.05, 0.9)], ids=lambda o: type(o).__name__)
@pytest.mark.parametrize("l2", [0.0, 0.2])
def test_fused_steps_over_batches_of_two_sizes_equal_the_pure_steps(opt, l2, monkeypatch):
    """An epoch's full batches and its short last one (two programs, each with its own
    products), alternating: the pure step's numbers to 1e-12."""
    if blas.gemm_of(np.float64) is None:
        pytest.skip("this NumPy ships no cblas library to call")
    monkeypatch.setattr(program, "FUSE_MIN", 0)
    rng = np.random.default_rng(8)
    net = Network.mlp([5, 8, 4], "relu", "softmax", "mean")
    params = net.init(rng)
    X, T = rng.normal(size=(11, 5)), random_targets("softmax", rng, 11, 4)
    ws, p_fast, p_pure = fast.Workspace(net, 8), params, params
    s_fast, s_pure = opt.init(params), opt.init(params)
    for cut in [slice(0, 8), slice(8, 11)] * 3:
        l_fast, p_fast, s_fast = fast.step(net, p_fast, opt, s_fast, X[cut], T[cut], ws,
                                           l2_scale=l2)  # fmt: skip
        l_pure, p_pure, s_pure = fast.pure_step(net, p_pure, opt, s_pure, X[cut], T[cut],
                                                l2_scale=l2)  # fmt: skip
        assert l_fast == pytest.approx(l_pure, rel=1e-12)
    for g, e in zip(p_fast, p_pure, strict=True):
        for k in ("W", "b"):
            np.testing.assert_allclose(g[k], e[k], rtol=1e-12, atol=1e-14)
    assert all(len(ws.programs[n].products) == 2 for n in (8, 3))
