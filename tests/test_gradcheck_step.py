"""A gradient check's step (NU11 #16): an ``eps`` that cannot move the parameters is refused,
naming eps and their float64 resolution; one whose round-off (too small) or truncation (too
large) error exceeds the tolerance is *inconclusive*, never "FAILED", for correct gradients;
wrong gradients still fail. Oracles: NumPy's ``np.spacing`` and ``theta + eps == theta``,
and a fourth-order Richardson derivative computed here, independent of glassnet's checker,
that confirms the analytical gradients are right."""

import re

import numpy as np
import pytest

from glassnet.cli.main import EXIT_CODES, main
from glassnet.core.gradcheck import (
    GradientCheckError,
    GradientCheckInconclusive,
    ParamCheck,
    StepTooSmall,
    check_gradients,
    check_network,
    check_vjp,
)
from glassnet.core.network import Network
from glassnet.train.tutorial import TutorialConfig, draw_params, tutorial_data

SMALL = "inconclusive: eps too small for float64 round-off; try 1e-5..1e-7"
LARGE = "inconclusive: eps too large"


def _tutorial():
    config = TutorialConfig()
    rs, X, _, T, net = tutorial_data(config)
    return net, draw_params(rs, net.sizes, config.check_init_scale), X, T


def _random(seed, hidden, loss):
    rng = np.random.default_rng(seed)
    net = Network.mlp([3, *hidden, 2], "tanh", "softmax", loss)
    X = rng.normal(size=(30, 3))
    return net, net.init(rng), X, np.eye(2)[rng.integers(0, 2, 30)]


PROBLEMS = {
    "tutorial": _tutorial,
    "tanh-sum": lambda: _random(1, [4], "sum"),
    "tanh-mean-2": lambda: _random(2, [5, 3], "mean"),
}


def _reference(net, params, X, T, h=1e-3):
    """Each element's derivative by Richardson's fourth-order formula,
    ``(4 D(h/2) - D(h)) / 3`` of central differences D, in float64 (written here)."""
    out = []
    for layer, p in enumerate(params):
        grads = {}
        for name, theta in p.items():
            g = np.zeros(theta.shape)
            for idx in np.ndindex(theta.shape):
                def d(step, layer=layer, name=name, idx=idx):
                    work = [{k: np.array(v, dtype=np.float64) for k, v in q.items()}
                            for q in params]  # fmt: skip
                    work[layer][name][idx] += step
                    up = net.loss(work, X, T)
                    work[layer][name][idx] -= 2 * step
                    return (up - net.loss(work, X, T)) / (2 * step)

                g[idx] = (4 * d(h / 2) - d(h)) / 3
            grads[name] = g
        out.append(grads)
    return out


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_the_gradients_are_right_by_an_independent_derivative(problem):
    net, params, X, T = PROBLEMS[problem]()
    _, grads = net.loss_and_grad(params, X, T)
    for ours, ref in zip(grads, _reference(net, params, X, T), strict=True):
        for name in ours:
            np.testing.assert_allclose(ours[name], ref[name], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("eps", [1e-300, 1e-17, 1e-16])
@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_a_step_that_cannot_move_the_parameters_is_refused(problem, eps):
    net, params, X, T = PROBLEMS[problem]()
    values = np.concatenate([v.ravel() for p in params for v in p.values()])
    stuck = (values + eps == values) | (values - eps == values)
    if not stuck.any():
        pytest.skip("every element moves at this eps")
    biggest = np.max(np.abs(values[stuck]))
    expected = (f"eps={eps:g} cannot move the parameters: theta + eps == theta in float64 for "
                f"{int(stuck.sum())} of {len(values)} elements checked (float64 numbers near "
                f"|theta| = {biggest:.3g} are {np.spacing(biggest):.2g} apart); try 1e-5..1e-7")
    with pytest.raises(StepTooSmall, match=f"^{re.escape(expected)}$"):
        check_network(net, params, X, T, eps=eps)
    _, grads = net.loss_and_grad(params, X, T)
    with pytest.raises(ValueError, match="cannot move the parameters"):
        check_gradients(lambda ps: net.loss(ps, X, T), params, grads, eps=eps)


@pytest.mark.parametrize("eps", [0, -1e-5, np.nan, np.inf, 5e-324])
def test_eps_must_be_a_positive_finite_normal_number(eps):
    net, params, X, T = PROBLEMS["tanh-sum"]()
    with pytest.raises(ValueError, match="eps"):
        check_network(net, params, X, T, eps=eps)
    with pytest.raises(ValueError, match="eps"):
        check_vjp(np.tanh, lambda G: G, np.ones(3), np.random.default_rng(0), eps=eps)


@pytest.mark.parametrize("eps", [1e-9, 1e-12, 1e-14])
@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_too_small_a_step_is_inconclusive_not_failed(problem, eps):
    net, params, X, T = PROBLEMS[problem]()
    report = check_network(net, params, X, T, eps=eps)
    assert not report.failed
    if report.passed:  # a small loss may leave round-off under the tolerance
        assert eps >= 1e-9 or problem != "tutorial"
        return
    assert report.inconclusive and report.verdict == "inconclusive"
    assert report.diagnosis() == SMALL
    text = report.format()
    assert "FAILED" not in text and " NO" not in text
    assert text.splitlines()[-1].startswith(f"gradient check {SMALL} (central differences")
    assert sum(c.n_unresolved for c in report.checks) == sum(c.n_off for c in report.checks) > 0
    with pytest.raises(GradientCheckInconclusive, match=re.escape(SMALL)):
        check_network(net, params, X, T, eps=eps, raise_on_failure=True)
    assert check_network(net, params, X, T).passed  # the same gradients, the default step


@pytest.mark.parametrize("eps", [1.0, 0.3])
@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_too_large_a_step_is_inconclusive_not_failed(problem, eps):
    net, params, X, T = PROBLEMS[problem]()
    report = check_network(net, params, X, T, eps=eps)
    assert report.verdict == "inconclusive" and report.diagnosis().startswith(LARGE)
    assert "truncation error" in report.diagnosis() and "try 1e-5..1e-7" in report.diagnosis()
    assert max(c.truncation for c in report.checks) > 0
    assert report.as_dict()["verdict"] == "inconclusive"
    assert "Gradient check inconclusive" in report._repr_html_()


def test_a_zero_tolerance_names_the_tolerance_not_the_step():
    net, params, X, T = PROBLEMS["tutorial"]()
    report = check_network(net, params, X, T, rtol=0, atol=0)
    assert report.inconclusive
    assert "the tolerance (rtol=0, atol=0) is below" in report.diagnosis()


@pytest.mark.parametrize("eps", [1e-5, 1e-7, 1e-12, 1.0])
@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_wrong_gradients_still_fail(problem, eps):
    """A gradient off by far more than the differences' own error is FAILED at any step
    (one element doubled; at eps=1 a bigger bug)."""
    net, params, X, T = PROBLEMS[problem]()
    _, grads = net.loss_and_grad(params, X, T)
    layer, name = (0, "W")
    wrong = [dict(g) for g in grads]
    bug = np.zeros_like(grads[layer][name])
    bug[0, 0] = 5 * max(1.0, np.abs(grads[layer][name]).max())  # a big error: judged at any eps
    wrong[layer][name] = grads[layer][name] + bug
    report = check_gradients(lambda ps: net.loss(ps, X, T), params, wrong, eps=eps)
    assert report.failed and report.verdict == "FAILED"
    assert {(c.layer, c.name): c.failed for c in report.checks}[layer, name]
    assert report.checks[0].worst_index == (0, 0)
    with pytest.raises(GradientCheckError):
        check_gradients(lambda ps: net.loss(ps, X, T), params, wrong, eps=eps,
                        raise_on_failure=True)  # fmt: skip


def test_the_default_step_judges_as_before():
    """At the default eps nothing is unresolved: the check passes the right gradients and
    fails a slightly wrong one (1e-4 relative), as it always did."""
    net, params, X, T = PROBLEMS["tutorial"]()
    report = check_network(net, params, X, T)
    assert report.passed and all(c.n_unresolved == 0 for c in report.checks)
    _, grads = net.loss_and_grad(params, X, T)
    wrong = [{k: v * (1 + 1e-4) for k, v in g.items()} for g in grads]
    report = check_gradients(lambda ps: net.loss(ps, X, T), params, wrong)
    assert report.failed and all(c.n_unresolved == 0 for c in report.checks)


def test_cli_exit_codes_for_each_step(capsys):
    assert EXIT_CODES[3].startswith("an inconclusive check")
    assert main(["gradcheck", "--eps", "1e-300"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(
        "glassnet gradcheck: error: --eps 1e-300 cannot move the parameters")
    assert f"are {np.spacing(1.96):.2g} apart" in err[0]
    for eps, ending in (("1e-12", SMALL), ("1", LARGE)):
        assert main(["gradcheck", "--eps", eps]) == 3
        out = capsys.readouterr().out
        assert "FAILED" not in out and f"gradient check {ending}" in out
    assert main(["gradcheck"]) == 0
    assert "gradient check passed" in capsys.readouterr().out


def test_cli_exit_code_1_for_a_wrong_gradient(monkeypatch, capsys):
    real = Network._loss_and_grad

    def wrong(self, params, X, T, *args, **kwargs):
        loss, grads = real(self, params, X, T, *args, **kwargs)
        return loss, [{k: 1.01 * v for k, v in g.items()} for g in grads]

    monkeypatch.setattr(Network, "_loss_and_grad", wrong)
    assert main(["gradcheck"]) == 1
    assert "gradient check FAILED" in capsys.readouterr().out


def test_unresolved_parameters_in_the_table():
    net, params, X, T = PROBLEMS["tutorial"]()
    report = check_network(net, params, X, T, eps=1e-12)
    rows = report.format().splitlines()[1 : 1 + len(report.checks)]
    assert all(row.endswith("unresolved") for row in rows)
    unresolved = [r for r in report.format().splitlines() if r.startswith("unresolved")]
    assert len(unresolved) == 1 and "round-off up to" in unresolved[0]
    d = report.as_dict()
    assert d["passed"] is False and d["diagnosis"] == SMALL
    assert [p["unresolved"] for p in d["parameters"]] == [c.n_unresolved for c in report.checks]
    plain = ParamCheck(0, "W", (1, 1), 1.0, 1.0, (0, 0), False)  # built by hand: no counts
    assert plain.failed  # an old-style failed check stays failed


def test_the_training_reports_table_says_inconclusive():
    from glassnet.views.report_health import gradcheck

    net, params, X, T = PROBLEMS["tutorial"]()
    html = gradcheck(check_network(net, params, X, T, eps=1e-12))
    assert "Gradient check inconclusive: eps too small for float64 round-off" in html
    assert "unresolved" in html and "FAILED" not in html
    assert "Gradient check passed: central differences" in gradcheck(
        check_network(net, params, X, T))
