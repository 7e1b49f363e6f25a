"""The report's numerical checks within their budgets (views/report_budget.py), and still right:
the gradient check from the perturbed layer on equals the whole-network check, the
landscape's grid equals ``Network.loss`` at every point, the hidden layers' PCA equals the SVD's."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.core import layered_loss
from glassnet.core.gradcheck import check_gradients, check_network, relu_pattern
from glassnet.core.network import Network
from glassnet.views import report_budget as rb
from glassnet.views.landscape import grid_loss, random_direction
from glassnet.views.plotting import pca

NETS = [[2, 3, 1], [2, 3, 2], [30, 64, 2], [100, 200, 200, 10], [784, 512, 512, 10],
        [4096, 4096, 4096, 1000], [10, 1]]  # fmt: skip


def _plan_flops(net: Network, plan: rb.CheckPlan) -> float:
    total = 0.0
    for i, (layer, cap) in enumerate(zip(net.layers, plan.elements, strict=True)):
        for size in (layer.n_in * layer.n_out, layer.n_out):
            n = size if cap is None else min(size, cap)
            total += 2 * n * plan.rows * rb.forward_flops(net, i)
    return total


@pytest.mark.parametrize("sizes", NETS)
def test_the_check_plan_fits_its_budget_and_checks_every_array(sizes):
    net = Network.mlp(sizes, "relu", "softmax" if sizes[-1] > 1 else "logistic")
    plan = rb.check_plan(net, 1000)
    assert len(plan.elements) == len(net.layers)  # every array of every layer
    assert all(c is None or c >= rb.MIN_ELEMENTS for c in plan.elements)
    at_floor = plan.rows == 1 and all(c == rb.MIN_ELEMENTS for c in plan.elements[:1])
    assert _plan_flops(net, plan) <= rb.CHECK_FLOPS or at_floor
    if net.n_params <= 500:  # a small network: every element, on CHECK_ROWS samples
        assert plan.elements == (None,) * len(net.layers) and plan.rows == rb.CHECK_ROWS
    assert 1 <= rb.check_plan(net, 3).rows <= 3


def test_a_large_check_counts_no_more_losses_than_planned(monkeypatch):
    rng = np.random.default_rng(0)
    net = Network.mlp([100, 200, 200, 10], "relu")
    params = net.init(rng)
    plan = rb.check_plan(net, 64, budget=2e7)
    assert plan.elements[0] is not None  # sampled: the test is about a capped check
    X = rng.normal(size=(plan.rows, 100))
    T = np.eye(10)[rng.integers(0, 10, plan.rows)]
    calls = []
    real = layered_loss.LayerLoss._forward

    def counted(self):
        calls.append(self.layer)
        return real(self)

    monkeypatch.setattr(layered_loss.LayerLoss, "_forward", counted)
    report = check_network(net, params, X, T, max_elements=plan.elements)
    # two losses per element, plus one pattern per array at the unperturbed parameters
    assert len(calls) <= plan.loss_evaluations(net) + 2 * len(net.layers)
    assert [c.n_checked for c in report.checks] == [
        min(size, cap) if cap else size
        for layer, cap in zip(net.layers, plan.elements, strict=True)
        for size in (layer.n_in * layer.n_out, layer.n_out)
    ]
    assert report.passed


@pytest.mark.parametrize(
    ("sizes", "activation", "cap"),
    [([3, 5, 2], "tanh", None), ([4, 6, 5, 3], "relu", 7), ([3, 4, 4, 1], "logistic", (None, 5, 2)),
     ([5, 2], "relu", None)],
)  # fmt: skip
def test_the_check_from_the_perturbed_layer_equals_the_whole_network_check(sizes, activation, cap):
    rng = np.random.default_rng(3)
    net = Network.mlp(sizes, activation, "softmax" if sizes[-1] > 1 else "logistic", "mean")
    params = net.init(rng)
    X = rng.normal(size=(9, sizes[0]))
    T = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 9)] if sizes[-1] > 1 else (X[:, :1] > 0) * 1.0
    if isinstance(cap, tuple):
        _compare_per_layer(net, check_network(net, params, X, T, max_elements=cap), cap)
        return
    grads = _grads(net, params, X, T)
    ours = check_network_with(net, params, X, T, grads, cap)
    pattern = relu_pattern(net, X) if activation == "relu" else None
    theirs = check_gradients(lambda ps: net.loss(ps, X, T), params, grads, max_elements=cap,
                             pattern=pattern)  # fmt: skip
    assert not ours.checks[-2].passed  # the wrong array
    for a, b in zip(ours.checks, theirs.checks, strict=True):
        assert (a.n_checked, a.n_kinks, a.worst_index) == (b.n_checked, b.n_kinks, b.worst_index)
        np.testing.assert_allclose(a.max_abs_error, b.max_abs_error, rtol=1e-9, atol=1e-15)
    assert [c.passed for c in ours.checks[:-2]] == [True] * (len(ours.checks) - 2)


def _grads(net, params, X, T):
    """The true gradients, with one wrong array (the last W): both checks must find it alone."""
    grads = net.loss_and_grad(params, X, T)[1]
    grads[-1]["W"] = grads[-1]["W"] + 1e-3
    return grads


def _compare_per_layer(net, ours, caps):
    """Per-layer caps: each array checks min(size, its layer's cap) elements."""
    sizes = [(layer.n_in * layer.n_out, layer.n_out) for layer in net.layers]
    expected = [s if c is None else min(s, c) for (w, b), c in zip(sizes, caps, strict=True)
                for s in (w, b)]  # fmt: skip
    assert [c.n_checked for c in ours.checks] == expected


def test_a_wrong_gradient_is_caught_in_every_layer():
    rng = np.random.default_rng(5)
    net = Network.mlp([4, 6, 5, 3], "relu", "softmax", "mean")
    params = net.init(rng)
    X, T = rng.normal(size=(8, 4)), np.eye(3)[rng.integers(0, 3, 8)]
    for layer in range(3):
        _, grads = net.loss_and_grad(params, X, T)
        grads[layer]["W"] = grads[layer]["W"] * 1.01 + 1e-3
        report = check_network_with(net, params, X, T, grads)
        verdict = [c.passed for c in report.checks]
        assert verdict[2 * layer] is False and sum(verdict) == len(verdict) - 1


def check_network_with(net, params, X, T, grads, cap=None):
    """check_network's own path (LayerLoss from each layer) with the given gradients."""
    from unittest import mock

    with mock.patch.object(Network, "_loss_and_grad", lambda self, p, X_, T_: (0.0, grads)):
        return check_network(net, params, X, T, max_elements=cap)


@pytest.mark.parametrize(
    ("sizes", "activation"),
    [([2, 5, 2], "tanh"), ([3, 6, 4, 2], "relu"), ([3, 1], "relu"), ([2, 4, 1], "logistic")],
)
def test_the_landscape_grid_is_the_loss_at_every_point(sizes, activation):
    rng = np.random.default_rng(1)
    head = "logistic" if sizes[-1] == 1 else "softmax"
    net = Network.mlp(sizes, activation, head, "sum")
    centre = net.init(rng)
    X = rng.normal(size=(12, sizes[0])).astype(np.float32)
    T = (np.eye(sizes[-1])[rng.integers(0, sizes[-1], 12)] if sizes[-1] > 1
         else (X[:, :1] > 0).astype(np.float64))  # fmt: skip
    d1, d2 = random_direction(rng, centre), random_direction(rng, centre)
    alphas, betas = np.linspace(-1, 1, 4), np.linspace(-0.5, 2, 3)
    grid = grid_loss(net, centre, X, T, d1, d2, alphas, betas)
    for j, b in enumerate(betas):
        for i, a in enumerate(alphas):
            point = [{k: p[k] + a * u[k] + b * v[k] for k in p} for p, u, v in
                     zip(centre, d1, d2, strict=True)]  # fmt: skip
            point = [{k: np.asarray(w, np.float64) for k, w in p.items()} for p in point]
            expected = net.loss(point, np.asarray(X, np.float64), T)
            np.testing.assert_allclose(grid[j, i], expected, rtol=1e-10)


@pytest.mark.parametrize("sizes", NETS)
def test_the_landscape_plan_fits_its_budget(sizes):
    net = Network.mlp(sizes, "relu", "softmax" if sizes[-1] > 1 else "logistic")
    rows, resolution = rb.landscape_plan(net, 1000)
    assert resolution in rb.RESOLUTIONS and 1 <= rows <= rb.LANDSCAPE_ROWS
    cost = rows * resolution**2 * rb.point_flops(net)
    floor = resolution == rb.RESOLUTIONS[-1] and rows == rb.FEWEST_ROWS
    assert cost <= rb.LANDSCAPE_FLOPS or floor
    if net.n_params < 1000:  # a small network: the finest grid on every row (to 256)
        assert (rows, resolution) == (rb.LANDSCAPE_ROWS, rb.RESOLUTIONS[0])
        assert rb.landscape_plan(net, 100) == (100, rb.RESOLUTIONS[0])


@pytest.mark.parametrize("shape", [(50, 4), (200, 30), (5, 40), (3, 3)])
def test_the_hidden_projection_is_the_svds(shape):
    A = np.random.default_rng(2).normal(size=shape) * np.arange(1, shape[1] + 1)
    P, explained = pca(A, 3)
    C = A - A.mean(axis=0)
    _, s, Vt = np.linalg.svd(C, full_matrices=False)
    k = min(3, len(s))
    np.testing.assert_allclose(explained[:k], (s**2 / np.sum(s**2))[:k], rtol=1e-8, atol=1e-12)
    expected = C @ Vt[:k].T
    for i in range(k):  # each axis up to its sign
        sign = np.sign(P[:, i] @ expected[:, i])
        np.testing.assert_allclose(P[:, i] * sign, expected[:, i], atol=1e-8 * np.abs(C).max())


@pytest.mark.parametrize(("sizes", "rows"), [([2, 3, 2], 100), ([20, 64, 64, 3], 300)])
def test_the_report_says_what_was_checked_and_on_how_many_rows(sizes, rows):
    from glassnet.files.modelfile import Model
    from glassnet.views.report import build_report
    from glassnet.views.run_report import report_data

    rng = np.random.default_rng(4)
    net = Network.mlp(sizes, "relu", "softmax" if sizes[-1] > 1 else "logistic")
    model = Model(net, net.init(rng), np.arange(sizes[-1]))
    X, codes = rng.normal(size=(rows, sizes[0])), rng.integers(0, sizes[-1], rows)
    d = report_data("t", model, X, codes, np.arange(rows))
    plan = rb.check_plan(net, rows)
    notes = dict(d.notes)
    assert f"on {plan.rows} samples" in notes["gradient check"]
    every = plan.elements == (None,) * len(net.layers)
    assert ("every element" in notes["gradient check"]) == every
    assert [c.n_checked for c in d.gradient_report.checks] == [
        size if cap is None else min(size, cap)
        for layer, cap in zip(net.layers, plan.elements, strict=True)
        for size in (layer.n_in * layer.n_out, layer.n_out)
    ]
    page, _ = build_report(d)
    n, resolution = rb.landscape_plan(net, rows)
    assert f"measured on {n} of the {rows} samples shown" in page
    assert f"{resolution} x {resolution} grid" in page
