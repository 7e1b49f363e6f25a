"""The built-in tutorial run against the tutorial's own code.

The oracle below is the tutorial's code as published (logistic/softmax written the
naive way, the explicit gradient functions, the momentum loop), fed by scikit-learn's
``make_circles`` from the same ``RandomState(1)`` stream, exactly as the notebook did
after ``np.random.seed(1)``. It shares no code with glassnet.
"""

import numpy as np
import pytest

from glassnet.train.tutorial import TutorialConfig, run_tutorial


def _tutorial_as_published():
    datasets = pytest.importorskip("sklearn.datasets")
    rs = np.random.RandomState(1)
    X, t = datasets.make_circles(
        n_samples=100, shuffle=False, factor=0.3, noise=0.1, random_state=rs
    )
    T = np.zeros((100, 2))
    T[t == 1, 1] = 1
    T[t == 0, 0] = 1

    def nn(X, Wh, bh, Wo, bo):
        H = 1.0 / (1.0 + np.exp(-(X @ Wh + bh)))
        Zo = H @ Wo + bo
        return H, np.exp(Zo) / np.sum(np.exp(Zo), axis=1, keepdims=True)

    def loss(Y, T):
        return -(T * np.log(Y)).sum()

    def backprop_gradients(X, T, Wh, bh, Wo, bo):
        H, Y = nn(X, Wh, bh, Wo, bo)
        Eo = Y - T
        Eh = H * (1 - H) * (Eo @ Wo.T)
        return [X.T @ Eh, Eh.sum(axis=0, keepdims=True), H.T @ Eo, Eo.sum(axis=0, keepdims=True)]

    def draw(scale):
        bh = rs.randn(1, 3) * scale
        Wh = rs.randn(2, 3) * scale
        bo = rs.randn(1, 2) * scale
        Wo = rs.randn(3, 2) * scale
        return Wh, bh, Wo, bo

    check_params = draw(1)
    check_grads = backprop_gradients(X, T, *check_params)
    Wh, bh, Wo, bo = draw(0.1)
    Ms = [np.zeros_like(M) for M in [Wh, bh, Wo, bo]]
    ls_loss = [loss(nn(X, Wh, bh, Wo, bo)[1], T)]
    for _ in range(300):
        Js = backprop_gradients(X, T, Wh, bh, Wo, bo)
        Ms = [0.9 * M - 0.02 * J for M, J in zip(Ms, Js, strict=True)]
        Wh, bh, Wo, bo = [P + M for P, M in zip([Wh, bh, Wo, bo], Ms, strict=True)]
        ls_loss.append(loss(nn(X, Wh, bh, Wo, bo)[1], T))
    return X, t, check_params, check_grads, ls_loss, (Wh, bh, Wo, bo)


@pytest.fixture(scope="module")
def runs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        return run_tutorial(), _tutorial_as_published()


def test_data_equals_the_tutorials(runs):
    ours, (X, t, *_) = runs
    np.testing.assert_array_equal(ours.X, X)
    np.testing.assert_array_equal(ours.t, t)
    assert ours.X.shape == (100, 2) and ours.T.shape == (100, 2)


def test_loss_curve_matches_to_four_significant_digits_at_every_iteration(runs):
    ours, (*_, ls_loss, _) = runs
    assert len(ours.loss_history) == 301
    ref = np.array(ls_loss)
    ours_loss = np.array(ours.loss_history)
    # 4 significant digits is the promise; the match is in fact to rounding error.
    np.testing.assert_allclose(ours_loss, ref, rtol=5e-5)
    np.testing.assert_allclose(ours_loss, ref, rtol=1e-10)


def test_trained_parameters_match(runs):
    ours, (*_, (Wh, bh, Wo, bo)) = runs
    for got, want in zip(
        [ours.params[0]["W"], ours.params[0]["b"], ours.params[1]["W"], ours.params[1]["b"]],
        [Wh, bh, Wo, bo],
        strict=True,
    ):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_gradient_check_parameters_come_from_the_same_stream(runs):
    ours, (X, _, check_params, check_grads, *_) = runs
    report = ours.gradient_report
    assert report.passed
    # The stream order matters: the check must have been done at the published parameters.
    from glassnet.core.network import Network

    net = Network.mlp([2, 3, 2])
    Wh, bh, Wo, bo = check_params
    _, grads = net.loss_and_grad([{"W": Wh, "b": bh}, {"W": Wo, "b": bo}], X, ours.T)
    np.testing.assert_allclose(grads[0]["W"], check_grads[0], rtol=1e-10)
    np.testing.assert_allclose(grads[1]["b"], check_grads[3], rtol=1e-10)


def test_the_published_story(runs):
    """What the tutorial's text and figure say about the run."""
    ours, _ = runs
    # Starts at chance level, 100 ln 2 = 69.3, and sits on that plateau for ~100 iterations.
    assert ours.initial_loss == pytest.approx(100 * np.log(2), rel=0.01)
    assert ours.loss_history[100] == pytest.approx(100 * np.log(2), rel=0.01)
    # "all examples are classified correctly by the trained classifier"
    assert ours.misclassified == 0 and ours.accuracy == 1.0
    assert ours.final_loss < 1.0
    assert ours.first_perfect_iteration == 178
    assert "all samples correct from iteration 178" in ours.summary()


def test_progress_callbacks_see_every_step():
    seen, started = [], []
    cfg = TutorialConfig(iterations=5)
    run = run_tutorial(
        cfg,
        on_iteration=lambda i, loss, wrong: seen.append((i, loss)),
        on_start=lambda r: started.append(r.gradient_report.passed),
    )
    assert [i for i, _ in seen] == list(range(6))
    assert [loss for _, loss in seen] == run.loss_history
    assert started == [True]


def test_on_step_sees_params_grads_and_hidden_without_changing_the_run():
    steps = []
    cfg = TutorialConfig(iterations=4)
    run = run_tutorial(cfg, on_step=steps.append)
    plain = run_tutorial(cfg)
    assert run.loss_history == plain.loss_history
    assert run.misclassified_history == plain.misclassified_history
    assert [s.i for s in steps] == list(range(5))
    last = steps[-1]
    assert last.loss == run.final_loss and last.params is run.params
    np.testing.assert_array_equal(last.hidden[0], run.net.hidden_activations(run.params, run.X)[0])
    _, grads = run.net.loss_and_grad(run.params, run.X, run.T)
    np.testing.assert_array_equal(last.grads[1]["W"], grads[1]["W"])
