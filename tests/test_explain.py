"""Explain mode: every step of the tutorial in its own names, and the check passes."""

import numpy as np

from glassnet.core.network import Network
from glassnet.train.tutorial import TutorialConfig, draw_params, tutorial_data
from glassnet.views.explain import explain, layer_names

STEPS = [
    "Z_h = X · W_h + b_h",
    "H = σ(Z_h)",
    "Z_o = H · W_o + b_o",
    "Y = ς(Z_o)",
    "ξ = -Σ_i Σ_c t_ic · log(y_ic) = 69.474",
    "Eo = ∂ξ/∂Z_o = (Y - T)",
    "JWo = H^T · Eo",
    "Jbo = Σ_i Eo_i",
    "Eh = ∂ξ/∂Z_h = H ∘ (1 - H) ∘ (Eo · W_o^T)",
    "JWh = X^T · Eh",
    "Jbh = Σ_i Eh_i",
    "shape (100, 2) · (2, 3) + (1, 3) -> (100, 3)",
    "these equal Network.loss_and_grad's gradients: yes",
    "gradient check passed",
]


def test_tutorial_pass_in_the_tutorials_words():
    rs, X, _, T, net = tutorial_data(TutorialConfig())
    draw_params(rs, net.sizes, 1.0)
    params = draw_params(rs, net.sizes, 0.1)
    text, passed = explain(net, params, X, T, show=2)
    assert passed
    for step in STEPS:
        assert step in text, step
    assert text.index("FORWARD") < text.index("BACKWARD") < text.index("NUMERICAL CHECK")
    assert "98 more rows" in text
    for name in ("W_o", "b_o", "W_h", "b_h"):
        assert f"{name}: numerical gradient, max relative error" in text
    assert "MISMATCH" not in text


def test_deeper_network_on_a_few_rows(rng):
    net = Network.mlp([2, 4, 3, 2], "relu", "softmax", "mean")
    X = rng.normal(size=(4, 2))
    T = np.eye(2)[[0, 1, 1, 0]]
    # Biases off zero keep every ReLU away from its kink, where differences are one-sided.
    params = [{"W": p["W"], "b": p["b"] + 0.1} for p in net.init(rng)]
    text, passed = explain(net, params, X, T, show=1)
    assert passed
    for step in ("Z_h2 = H1 · W_h2 + b_h2", "Eh1 = ∂ξ/∂Z_h1 = [H1 > 0]", "JWh1 = X^T · Eh1", "/ N"):
        assert step in text, step
    assert [n.W for n in layer_names(2)] == ["W_h1", "W_h2", "W_o"]
