"""A diverged run's message names the likely cause (NU13 #9): inputs far from unit scale
(as trained) are named with their largest absolute value, and alone when the run's first
batch already overflowed (no learning rate changes that: scikit-learn-style ``1e200``
inputs overflow a gradient's square); the learning-rate advice stays where it applies.
Oracles: the inputs' own largest value, and the advice followed (standardized inputs
train; a smaller rate does not help)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer

import glassnet as gn
from glassnet.data.preprocessing import fit_standardizer
from glassnet.train.divergence import HUGE_INPUT, DivergenceBound, largest_input
from glassnet.train.state import TrainingDiverged

X0, Y = load_breast_cancer(return_X_y=True)
X = (X0 - X0.mean(0)) / X0.std(0)


def _shown(value):
    return f"{value:.3g}"


@pytest.mark.parametrize("lr", [1e-9, 1e-3, 1e-1])
@pytest.mark.parametrize("scale", [1e200, 1e250])
def test_huge_inputs_are_named_and_no_rate_is_blamed(lr, scale):
    est = gn.MLPClassifier((4,), max_iter=3, random_state=0, learning_rate_init=lr)
    with pytest.raises(TrainingDiverged) as error:
        est.fit(X * scale, Y)
    text = str(error.value)
    assert text.endswith(f"scale the inputs (standardize=True): they reach "
                         f"{_shown(np.abs(X * scale).max())} in absolute value")  # fmt: skip
    assert "learning_rate_init" not in text and "bound inf" not in text
    assert "the first batch's loss or its step already overflowed" in text
    # the advice, followed, trains (the rate alone does not matter: both rates failed)
    fitted = gn.MLPClassifier((4,), max_iter=3, random_state=0, learning_rate_init=1e-2,
                              standardize=True).fit(X * scale, Y)  # fmt: skip
    assert fitted.score(X * scale, Y) > 0.6


@pytest.mark.parametrize(("scale", "lr"), [(1e5, 1.0), (1e8, 1e-3), (1e3, 1e3)])
def test_a_rate_too_large_for_large_inputs_names_both(scale, lr):
    est = gn.MLPClassifier((4,), max_iter=5, random_state=0, solver="sgd", learning_rate_init=lr)
    with pytest.raises(TrainingDiverged) as error:
        est.fit(X * scale, Y)
    text = str(error.value)
    assert "1e+06 times the first batch's loss); kept the parameters of epoch 0; " in text
    assert text.endswith(f"try a smaller learning_rate_init (now {lr:g}), or scale the inputs "
                         f"(standardize=True): they reach {_shown(np.abs(X * scale).max())} "
                         "in absolute value")  # fmt: skip


def test_a_rate_too_large_for_unit_inputs_names_the_rate_alone():
    est = gn.MLPClassifier((4,), max_iter=20, random_state=0, learning_rate_init=1e308)
    with pytest.raises(TrainingDiverged) as error:
        est.fit(X, Y)
    assert str(error.value).endswith("try a smaller learning_rate_init (now 1e+308)")
    assert "inputs" not in str(error.value)


def test_the_loop_names_huge_inputs_in_its_own_words():
    net = gn.Network.mlp([30, 4, 2], "relu", reduction="mean")
    with pytest.raises(TrainingDiverged) as error:
        gn.fit(net, net.init(np.random.default_rng(0)), X * 1e200, Y, gn.TrainConfig(epochs=2))
    text = str(error.value)
    assert text.endswith(f"; scale the inputs: they reach {_shown(np.abs(X * 1e200).max())} "
                         "in absolute value")  # fmt: skip
    assert "learning rate" not in text


BOUND_CASES = {  # (start, inputs) -> the message's ending
    "rate": (0.7, 1.0, "; try a smaller learning rate"),
    "rate, no finite first loss": (None, 1.0, "; try a smaller learning rate"),
    "rate and inputs": (0.7, 2e5, "; try a smaller learning rate, or scale the inputs: they "
                        "reach 2e+05 in absolute value"),
    "inputs alone": (None, 3e200, "; scale the inputs: they reach 3e+200 in absolute value"),
    "at the threshold": (0.7, HUGE_INPUT, "; try a smaller learning rate"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BOUND_CASES))
def test_the_message_by_cause(case):
    start, inputs, ending = BOUND_CASES[case]
    bound = DivergenceBound(1e6, None, start=start)
    text = bound.message(3, float("inf"), 2, inputs)
    assert text.startswith("training diverged in epoch 3: loss inf per sample (")
    assert text.endswith("kept the parameters of epoch 2" + ending)
    if start is None:
        assert "(no bound: the first batch's loss or its step already overflowed)" in text
    else:
        assert "(bound 7e+05: 1e+06 times the first batch's loss)" in text


def test_largest_input_is_taken_as_trained():
    rows = np.arange(0, 569, 3)
    assert largest_input(X0, rows, None, np.float64) == np.abs(X0[rows]).max()
    assert largest_input(X0, None, None, np.float64) == np.abs(X0).max()
    scaler = fit_standardizer(X0 * 1e200, rows)
    expected = np.abs(scaler.transform((X0 * 1e200)[rows], np.float64)).max()
    assert largest_input(X0 * 1e200, rows, scaler, np.float64) == pytest.approx(expected)
    assert expected < np.sqrt(len(rows)) < HUGE_INPUT  # standardized: |z| <= sqrt(N - 1)
