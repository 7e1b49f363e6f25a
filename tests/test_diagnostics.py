"""Diagnostics against hand-computed cases, and the tutorial's plateau."""

import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.train.tutorial import run_tutorial
from glassnet.views.diagnostics import (
    DiagnosticsRecord,
    Plateau,
    dead_fraction,
    describe_plateaus,
    detect_plateaus,
    gradient_norms,
    saturated_fraction,
    unit_health,
)


def test_gradient_norms_of_known_arrays():
    grads = [
        {"W": np.array([[3.0, 0.0], [0.0, 0.0]]), "b": np.array([[4.0, 0.0]])},  # sqrt(9+16)
        {"W": np.ones((2, 2)), "b": np.zeros((1, 2))},  # sqrt(4)
    ]
    assert gradient_norms(grads) == [5.0, 2.0]


def test_saturated_logistic_and_tanh_by_hand():
    A = np.array([[0.005, 0.5, 0.995], [0.2, 0.999, 0.01]])  # 3 of 6 beyond 0.01 / 0.99
    assert saturated_fraction(A, "logistic") == pytest.approx(3 / 6)
    B = np.array([[-0.995, 0.0], [0.5, 0.9901]])  # 2 of 4 with |a| > 0.99
    assert saturated_fraction(B, "tanh") == pytest.approx(2 / 4)
    with pytest.raises(ValueError, match="logistic and tanh"):
        saturated_fraction(A, "relu")


def test_dead_relu_units_by_hand():
    A = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0], [0.0, 3.0, 0.0, 0.0]])
    assert dead_fraction(A) == pytest.approx(2 / 4)  # columns 0 and 3 never fire
    assert unit_health(A, "relu") == pytest.approx(0.5)
    assert unit_health(A, "identity") == 0.0


def test_synthetic_plateau_is_found_exactly():
    # flat at 5 for iterations 0..39, then a steep fall: windows s = 0..29 are flat.
    loss = [5.0] * 40 + list(5 * np.exp(-0.2 * np.arange(1, 61)))
    assert detect_plateaus(loss, window=10, rel_tol=1e-3, min_length=20) == [Plateau(0, 39, 5.0)]
    assert detect_plateaus(loss, window=10, rel_tol=1e-3, min_length=40) == []
    assert detect_plateaus(list(np.exp(-np.arange(50.0)))) == []
    assert detect_plateaus([1.0, 1.0]) == []


def test_describe_plateaus_in_words():
    text = describe_plateaus([Plateau(0, 118, 69.31)], 301)
    assert text == "plateau from iteration 0 to ~118 at loss ~69.31, then the loss falls."
    assert "settled" in describe_plateaus([Plateau(250, 300, 0.4)], 301)
    assert describe_plateaus([], 10).startswith("No plateau")
    assert describe_plateaus([Plateau(2, 30, 1.0)], 50, "epoch").startswith("plateau from epoch 2")


def test_tutorial_run_has_its_plateau_near_100_ln_2():
    net = Network.mlp([2, 3, 2])
    record = DiagnosticsRecord.for_network(net)
    run = run_tutorial(on_step=lambda s: record.add(s.grads, s.hidden, s.loss))
    assert record.loss == run.loss_history
    plateaus = record.plateaus()
    assert len(plateaus) == 1
    p = plateaus[0]
    assert p.start == 0 and 100 <= p.end <= 130
    assert p.level == pytest.approx(100 * np.log(2), rel=0.005)
    assert p.describe().startswith("plateau from iteration 0 to ~1")
    assert np.shape(record.grad_norms) == (301, 2) and np.shape(record.health) == (301, 1)
    assert record.health_kinds == ["saturated"]
    d = record.as_dict()
    assert d["plateaus"] == [vars(p)]
