"""The words of ``explain``: every matrix's norm under its own name (never ``‖M‖``, which the
key gives the momentum velocity), no negative zero anywhere, and the targets and output
columns described as the head has them, each class named (NU9 findings 4, 5, 6)."""

import re

import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov
from glassnet.views.explain import explain
from glassnet.views.explain_text import matrix

NEG_ZERO = re.compile(r"(?<![\w.])-0(?:\.0*)?(?![\w.])")  # "-0", "-0.0", not "-0.5", "1e-05"


def _norms(text):
    """Every matrix summary: ``{name: printed norm}`` in order of appearance."""
    found = re.findall(r"shape \(\d+, \d+\), ‖([^‖]+)‖ = ([0-9.e+-]+),", text)
    return found


@pytest.mark.parametrize("opt", [Momentum(0.05, 0.9), Nesterov(0.05, 0.9), SGD(0.1), Adam(0.01)])
def test_each_norm_is_named_for_its_matrix_and_never_m(rng, opt):
    net = Network.mlp([3, 5, 4, 2], "tanh", "softmax", "mean")
    X, T = rng.normal(size=(9, 3)), np.eye(2)[rng.integers(0, 2, 9)]
    params = net.init(rng)
    text, _ = explain(net, params, X, T, show=2, optimizer=opt)
    assert "‖M‖" not in text
    bp = net.backprop(params, X, T)
    oracle = {"X": X, "Z_h1": bp.Z[0], "H1": bp.inputs[1], "Z_h2": bp.Z[1], "H2": bp.inputs[2],
              "Z_o": bp.Z[2], "Y": net.head.output(bp.Z[2]), "T": T, "Eo": bp.errors[2],
              "Eh2": bp.errors[1], "Eh1": bp.errors[0]}  # fmt: skip
    state = opt.init(params)
    updates, _ = opt.update(bp.grads, state, params)
    for i, tag in enumerate(("h1", "h2", "o")):
        for key in ("W", "b"):
            oracle[f"J{key}{tag}"] = bp.grads[i][key]
            oracle[f"Δ{key}_{tag}"] = updates[i][key]
    found = _norms(text)
    assert {name for name, _ in found} == set(oracle)
    for name, value in found:
        assert float(value) == pytest.approx(np.linalg.norm(oracle[name]), rel=6e-4), name
    key = text.split("FORWARD PASS")[0]
    assert "Frobenius norm" in key and "‖X‖" in key and "Δθ" in key


def test_the_tutorial_command_never_prints_the_velocitys_letter_as_a_norm(capsys):
    from glassnet.cli.main import main

    main(["explain", "--rows", "2"])
    out = capsys.readouterr().out
    assert "‖M‖" not in out and "‖ΔW_o‖ = " in out and "‖X‖ = " in out


@pytest.mark.parametrize(
    "M",
    [np.array([[-0.0, 1.0, -0.0]]), np.array([[-0.0]]), -np.zeros((3, 9)),
     np.array([[-1e-300 * 1e-300, 2.5, -0.5]])],  # the last underflows to -0.0
)  # fmt: skip
def test_matrix_never_prints_a_negative_zero(M):
    with np.errstate(under="ignore"):
        text = matrix(np.asarray(M), 3)
    assert not NEG_ZERO.search(text), text
    if np.any(M == -0.5):
        assert "-0.5" in text  # a true negative keeps its sign


@pytest.mark.parametrize("act", ["tanh", "logistic", "relu"])
@pytest.mark.parametrize("opt", [SGD(0.1), Momentum(0.05, 0.9), Adam(0.01)])
def test_a_saturated_pass_prints_no_negative_zero(rng, act, opt):
    """Saturated units give exact zeros of either sign (1 - H² = 0 times a negative error,
    -μ · 0 in a step): none is printed as "-0"."""
    net = Network.mlp([4, 6, 2], act, "softmax", "mean")
    X = rng.normal(size=(8, 4)) * 1000
    T = np.eye(2)[rng.integers(0, 2, 8)]
    params = net.init(rng)
    params[0]["b"] = params[0]["b"] + 0.3
    text, _ = explain(net, params, X, T, show=8, optimizer=opt)
    bp = net.backprop(params, X, T)
    assert np.any(np.signbit(bp.errors[0]) & (bp.errors[0] == 0)) or act != "tanh"
    assert not NEG_ZERO.search(text), NEG_ZERO.search(text)


def _key(text):
    return text.split("FORWARD PASS")[0]


def test_one_logistic_unit_names_what_1_means(rng):
    net = Network.mlp([3, 4, 1], "tanh", "logistic", "mean")
    X, T = rng.normal(size=(6, 3)), np.array([[1.0], [0], [0], [1], [1], [0]])
    text, _ = explain(net, net.init(rng), X, T, classes=["benign", "malignant"])
    key = _key(text)
    assert "one-hot" not in text
    assert "T (N, 1) targets, 1 or 0: 1 for class 'malignant', 0 for class 'benign'" in key
    assert "Y (N, 1): the probability of class 'malignant'" in key
    assert "one-hot" not in _key(explain(net, net.init(rng), X, T)[0])


@pytest.mark.parametrize("n", [2, 3, 9])
def test_softmax_columns_are_named_by_class(rng, n):
    classes = [f"class-{chr(97 + i)}" for i in range(n)]
    net = Network.mlp([3, 4, n], "tanh", "softmax", "mean")
    X, T = rng.normal(size=(6, 3)), np.eye(n)[rng.integers(0, n, 6)]
    text, _ = explain(net, net.init(rng), X, T, classes=classes)
    key = _key(text)
    assert "one-hot rows" in key
    listed = " ".join(key.split(f"the {n} output columns (of Z_o, Y, T, Eo):")[1].split())
    assert listed.startswith(", ".join(f"{i} {c}" for i, c in enumerate(classes)))


def test_several_logistic_units_and_identity_are_not_called_one_hot(rng):
    for head, T in (("logistic", (rng.random((6, 3)) > 0.5).astype(float)),
                    ("identity", rng.normal(size=(6, 3)))):  # fmt: skip
        net = Network.mlp([3, 4, 3], "tanh", head, "mean")
        text, _ = explain(net, net.init(rng), rng.normal(size=(6, 3)), T)
        assert "one-hot" not in text
        assert {"logistic": "one 0/1 column per label", "identity": "target values"}[head] in _key(
            text
        )


def test_wrong_number_of_class_names_is_refused(rng):
    net = Network.mlp([3, 4, 3], "tanh", "softmax", "mean")
    X, T = rng.normal(size=(6, 3)), np.eye(3)[[0, 1, 2, 0, 1, 2]]
    with pytest.raises(ValueError, match="2 class names for 3 output columns"):
        explain(net, net.init(rng), X, T, classes=["a", "b"])


def test_the_tutorial_names_its_classes_as_the_tutorial_does(capsys):
    from glassnet.cli.main import main

    main(["explain", "--rows", "1"])
    out = capsys.readouterr().out
    expected = "0 red stars (t=0), 1 blue circles (t=1)"  # NU10 #4: as the demo names them
    assert f"the 2 output columns (of Z_o, Y, T, Eo): {expected}" in out


@pytest.mark.parametrize("hidden", [(5, 4), (5, 4, 3), (6, 5, 4, 3, 3)])
def test_the_key_covers_every_numbered_layer_symbol(rng, hidden):
    """NU9 #23: with several hidden layers the body numbers them (Z_h1, H2, JWh3, ...); the
    key says so, which end is 1, and names them; each layer's titles carry its number."""
    net = Network.mlp([3, *hidden, 2], "tanh", "softmax", "mean")
    X, T = rng.normal(size=(6, 3)), np.eye(2)[rng.integers(0, 2, 6)]
    text, _ = explain(net, net.init(rng), X, T, optimizer=SGD(0.1))
    key, body = text.split("FORWARD PASS")
    k = len(hidden)
    assert f"hidden layers 1 to {k}, numbered from the input (layer 1 takes X" in key
    used = set(re.findall(r"\b(?:Z_h|H|W_h|b_h|Eh|JWh|Jbh)\d+\b", body))
    assert len(used) == 7 * k
    for stem in ("Z_h", "H", "W_h", "b_h", "Eh", "JWh", "Jbh"):
        if k <= 3:
            assert all(f"{stem}{i}" in key for i in range(1, k + 1)), stem
        else:
            assert f"{stem}1, ..., {stem}{k}" in key, stem
    assert "Z_h1 = X · W_h1 + b_h1" in body
    for i in range(1, k + 1):
        pre = body.index(f"pre-activations of hidden layer {i}\n")
        assert body.index(f"Z_h{i} = ", pre) == body.index("\n", pre) + 5
        assert f"error at the hidden layer {i}\n    Eh{i} = " in body
    assert "hidden layer 0" not in body and f"hidden layer {k + 1}" not in body


def test_one_hidden_layer_keeps_the_tutorials_words(rng):
    net = Network.mlp([3, 4, 2], "tanh", "softmax", "mean")
    X, T = rng.normal(size=(6, 3)), np.eye(2)[rng.integers(0, 2, 6)]
    text, _ = explain(net, net.init(rng), X, T)
    assert "W_h, b_h / W_o, b_o   weights and biases of the hidden / output layer" in text
    assert "numbered from the input" not in text and "hidden layer 1" not in text
    assert "  hidden pre-activations\n" in text and "  error at the hidden layer\n" in text


def test_many_classes_are_named_first_and_last(rng):
    n = 40
    classes = [f"c{i}" for i in range(n)]
    net = Network.mlp([3, 4, n], "tanh", "softmax", "mean")
    X, T = rng.normal(size=(6, 3)), np.eye(n)[rng.integers(0, n, 6)]
    text, _ = explain(net, net.init(rng), X, T, classes=classes)
    listed = " ".join(_key(text).split(f"the {n} output columns (of Z_o, Y, T, Eo):")[1].split())
    assert listed.startswith(", ".join(f"{i} c{i}" for i in range(14)) + ", ..., 38 c38, 39 c39")
    assert "(columns: the classes the key lists)" in text


@pytest.mark.parametrize(
    ("n", "show", "first_line"),
    [
        (1, 3, "One pass of the 3-4-2 network on N = 1 sample\n"),  # (explain --row)
        (2, 3, "One pass of the 3-4-2 network on N = 2 samples\n"),
        (
            9,
            2,
            "One pass of the 3-4-2 network on N = 9 samples (numbers for the first 2 samples)\n",
        ),
        (9, 1, "One pass of the 3-4-2 network on N = 9 samples (numbers for the first 1 sample)\n"),
    ],
)
def test_the_first_line_counts_the_samples_in_words(rng, n, show, first_line):
    """NU11 #20g: one row read "N = 1 samples (numbers for the first 1 sample)"."""
    net = Network.mlp([3, 4, 2], "tanh", "softmax")
    X, T = rng.normal(size=(n, 3)), np.eye(2)[rng.integers(0, 2, n)]
    text, _ = explain(net, net.init(rng), X, T, show=show)
    assert text.startswith(first_line)
