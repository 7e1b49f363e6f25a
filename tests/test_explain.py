"""Explain mode: every step of the tutorial in its own names, and the check passes."""

import re

import numpy as np
import pytest

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
    "shapes (100, 2) · (2, 3) + (1, 3) -> (100, 3)",
    "these are Network.loss_and_grad's gradients",
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
        assert f"{name}: ok, every relative error within rtol: max abs error" in text
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


def _one_pass(head, optimizer, rng, sizes=(3, 5, 2)):
    from glassnet.core.optimizers import SGD, Adam, Momentum

    net = Network.mlp(list(sizes), "tanh", head, "mean")
    X = rng.normal(size=(40, sizes[0]))
    if head == "softmax":
        T = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 40)]
    elif head == "logistic":
        T = (rng.random((40, sizes[-1])) > 0.5).astype(float)
    else:
        T = rng.normal(size=(40, sizes[-1]))
    opt = {"sgd": SGD(0.1), "momentum": Momentum(0.05, 0.9), "adam": Adam(0.01)}[optimizer]
    params = net.init(rng)
    text, passed = explain(net, params, X, T, show=2, optimizer=opt)
    return net, params, X, T, opt, text, passed


@pytest.mark.parametrize("head", ["softmax", "logistic", "identity"])
def test_every_error_term_says_why_and_the_key_comes_first(head, rng):
    _, _, _, _, _, text, passed = _one_pass(head, "sgd", rng, (3, 5, 4, 2))
    assert passed and text.index("KEY TO THE NOTATION") < text.index("FORWARD PASS")
    for symbol in ("ξ", "∘", "·", "^T", "Σ_i", "E = ∂ξ/∂Z", "J = ∂ξ/∂θ"):
        assert symbol in text.split("FORWARD PASS")[0], symbol
    backward = text.split("BACKWARD PASS")[1].split("NUMERICAL CHECK")[0]
    errors = [line for line in backward.splitlines() if "= ∂ξ/∂Z" in line]
    assert len(errors) == 3  # Eo, Eh2, Eh1
    blocks = backward.split("= ∂ξ/∂Z")[1:]
    for block in blocks:  # each error term is followed by its chain-rule step
        assert "why:" in block.split("gradient of")[0]
    assert {
        "softmax": "each row of T sums to 1",
        "logistic": "σ'(z_ic)",
        "identity": "½ (y_ic - t_ic)²",
    }[head] in " ".join(backward.split())
    assert backward.count("which is") == 3  # every weight gradient: A^T · E, and why


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_update_step_shows_the_optimizers_numbers(optimizer, rng):
    net, params, X, T, opt, text, _ = _one_pass("softmax", optimizer, rng)
    _, grads = net.loss_and_grad(params, X, T)
    J = grads[-1]["b"]  # the oracle: each rule's first step written out by hand
    if optimizer == "adam":  # m̂ = J, v̂ = J²: the step is -μ J / (|J| + ε)
        step = -opt.learning_rate * J / (np.abs(J) + opt.eps)
    else:  # SGD: -μ J; momentum from M = 0: M = -μ J
        step = -opt.learning_rate * J
    update = text.split("UPDATE (")[1]
    assert update.startswith(type(opt).__name__)
    shown = update.split("step of b_o (the change added to it)")[1].split("step of")[0]
    row = shown.splitlines()[2]  # after the summary line: the one row
    numbers = [float(v) for v in row.replace("[", " ").replace("]", " ").split()]
    np.testing.assert_allclose(numbers, step[0], atol=6e-5)
    new = [
        {k: p[k] + (-opt.learning_rate * g[k] if optimizer != "adam" else 0) for k in p}
        for p, g in zip(params, grads, strict=True)
    ]
    if optimizer != "adam":
        assert f"after it ξ = {net.loss(new, X, T):.6g}" in text


def _summaries(text):
    """Every matrix's summary line, and the rows printed under it."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if re.search(r"‖[^‖]+‖ = ", line) and line.lstrip().startswith("shape ("):
            rows = []
            for below in lines[i + 1 :]:
                if not below.startswith("      ["):
                    break
                rows.append(below)
            out.append((line, rows))
    return out


@pytest.mark.parametrize("show", [1, 3, 7])
@pytest.mark.parametrize("sizes", [(30, 16, 2), (4, 100, 1), (3, 5, 2), (12, 40, 9, 2)])
def test_every_matrix_is_summarized_by_one_rule(rng, show, sizes):
    """Shape, norm, first rows, wide rows cut: for every matrix of the pass whatever its
    size (a (16, 2) gradient included), with --rows limiting samples only."""
    from glassnet.core.optimizers import Adam

    net = Network.mlp(list(sizes), "relu", "softmax" if sizes[-1] > 1 else "logistic", "mean")
    X = rng.normal(size=(50, sizes[0]))
    T = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 50)] if sizes[-1] > 1 else (
        rng.integers(0, 2, (50, 1)).astype(float)
    )
    params = [{"W": p["W"], "b": p["b"] + 0.1} for p in net.init(rng)]
    text, _ = explain(net, params, X, T, show=show, optimizer=Adam(0.003))
    bp = net.backprop(params, X, T)
    summaries = _summaries(text)
    # X, every Z and A, Y, T, Eo, every hidden E; every W and b gradient and step
    n_layers, n_hidden = len(net.layers), len(net.layers) - 1
    assert len(summaries) == 1 + 2 * n_hidden + 2 + 1 + 1 + n_hidden + 4 * n_layers
    norms = {f"{np.linalg.norm(g[k]):.4g}" for g in bp.grads for k in ("W", "b")}
    for line, rows in summaries:
        shape = tuple(int(v) for v in line.split("shape (")[1].split(")")[0].split(", "))
        n, c = shape
        sample = n == 50  # a batch matrix: --rows of them; else a parameter's: 3
        k = min(show if sample else 3, n)
        assert len(rows) == k, line
        first = "first row" if k == 1 else f"first {k}"
        which = "its one row" if n == 1 else f"all {n} rows" if k == n else f"{first} of {n} rows"
        assert which in line, line
        if c > 6:
            assert f"(the first and last 3 of {c} columns):" in line
            assert all(r.count(" ... ") == 1 and len(r) < 100 for r in rows)
        else:
            assert all("..." not in r and len(r.strip(" []").split()) == c for r in rows)
    printed = {line.split("‖ = ")[1].split(",")[0] for line, _ in summaries}
    assert norms <= printed  # every gradient's norm, against the pass itself


def test_rows_does_not_cut_gradients():
    """--rows 1 shows one sample, but a gradient's first 3 rows (its rows are inputs)."""
    rng = np.random.default_rng(3)
    net = Network.mlp([30, 100, 1], "relu", "logistic", "mean")
    X = rng.normal(size=(20, 30))
    T = rng.integers(0, 2, (20, 1)).astype(float)
    text, _ = explain(net, net.init(rng), X, T, show=1)
    jwh = text.split("gradient of W_h:")[1].split("gradient of b_h")[0]
    assert "shape (30, 100), ‖JWh‖ = " in jwh and "first 3 of 30 rows" in jwh
    jwo = text.split("gradient of W_o:")[1].split("gradient of b_o")[0]
    assert "first 3 of 100 rows" in jwo and "97 more rows" in jwo


def test_the_key_defines_every_update_symbol_by_the_headers_names(rng):
    from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov

    for opt in (Adam(0.003), Momentum(0.05, 0.9), SGD(0.1), Nesterov(0.05, 0.9)):
        net = Network.mlp([3, 4, 2], "tanh", "softmax", "mean")
        X, T = rng.normal(size=(8, 3)), np.eye(2)[rng.integers(0, 2, 8)]
        text, _ = explain(net, net.init(rng), X, T, optimizer=opt)
        key = text.split("FORWARD PASS")[0]
        update = text.split("UPDATE (")[1].split("step of")[0]
        header, rule = update.splitlines()[0], update.splitlines()[1]
        for field, symbol in (("learning_rate", "μ"), ("momentum", "λ"), ("beta1", "β1"),
                              ("beta2", "β2"), ("eps", "ε")):  # fmt: skip
            if hasattr(opt, field):
                assert f"{symbol} = {field} = {getattr(opt, field):g}" in header
                assert f"{symbol} = {field}" in key
        for symbol in ("θ", "J", "M", "m", "v", "m̂", "v̂", "β1", "β2", "ε", "μ", "λ"):
            if symbol in rule:
                assert symbol in key, (symbol, rule)
    plain, _ = explain(net, net.init(rng), X, T)
    assert "μ = learning_rate" not in plain  # no update, no key to it


def test_input_columns_are_named(rng):
    net = Network.mlp([4, 3, 2], "tanh", "softmax", "mean")
    X, T = rng.normal(size=(5, 4)), np.eye(2)[[0, 1, 0, 1, 1]]
    names = ["x1", "x1 (missing)", "colour=red", "a" * 100]
    text, _ = explain(net, net.init(rng), X, T, input_names=names)
    listed = text.split("the 4 input columns:")[1].split("hidden pre-activations")[0]
    said = " ".join(listed.split())
    assert said.startswith("0 x1, 1 x1 (missing), 2 colour=red, 3 aaaa")
    with pytest.raises(ValueError, match="3 input names for 4 input columns"):
        explain(net, net.init(rng), X, T, input_names=names[:3])


def _at_a_kink(rng):
    """A ReLU network with hidden unit 0 exactly at its kink on row 0 (``X_0 = 0``, ``b = 0``)."""
    net = Network.mlp([3, 4, 2], "relu", "softmax", "mean")
    X = rng.normal(size=(12, 3))
    X[0] = 0.0
    T = np.eye(2)[rng.integers(0, 2, 12)]
    params = [{"W": p["W"], "b": p["b"] + 0.1} for p in net.init(rng)]
    params[0]["b"][0, 0] = 0.0
    return net, params, X, T


def test_elements_at_a_relu_kink_are_left_out_of_the_verdict_and_said(rng):
    """At a kink the central difference averages two slopes; explain leaves those elements
    out (as check_network does) and says how many, instead of reporting a FAILED check."""
    net, params, X, T = _at_a_kink(rng)
    text, passed = explain(net, params, X, T, show=1)
    assert passed and "gradient check passed" in text, text
    said = " ".join(text.split("  b_h: ")[1].split("\n  b_h ")[0].split())
    assert re.match(r"ok, every relative error within rtol: max abs error \S+, max relative "
                    r"error \S+ \(1 at a ReLU kink left out\)", said), said


@pytest.mark.parametrize(("layer", "key"), [(0, "W"), (0, "b"), (1, "W")])
def test_a_wrong_gradient_away_from_a_kink_is_still_a_mismatch(rng, layer, key):
    from glassnet.views.explain import layer_names
    from glassnet.views.explain_check import numerical_check

    net, params, X, T = _at_a_kink(rng)
    _, grads = net.loss_and_grad(params, X, T)
    out = []
    assert numerical_check(net, params, X, T, grads, layer_names(1), 1e-5, out)
    grads[layer][key][0, -1] += 1e-3  # unit -1 is nowhere near its kink
    out = []
    assert not numerical_check(net, params, X, T, grads, layer_names(1), 1e-5, out)
    assert sum("MISMATCH" in line for line in out) == 1


def test_the_numbers_printed_are_those_worked_by_hand():
    """The 1-2-1 network worked by hand in ``test_network.py``: explain prints its numbers."""
    net = Network.mlp([1, 2, 1], "logistic", "identity", "sum")
    params = [
        {"W": np.array([[0.5, -1.0]]), "b": np.array([[0.0, 0.5]])},
        {"W": np.array([[2.0], [1.0]]), "b": np.array([[0.1]])},
    ]
    text, passed = explain(net, params, np.array([[1.0]]), np.array([[1.0]]))
    assert passed
    hidden = text.split("H = σ(Z_h)")[1]
    assert hidden.split("\n")[2].strip() == "[0.6225 0.3775]"  # H
    assert "ξ = ½ Σ_i Σ_c (y_ic - t_ic)² = 0.260974" in text
    eh = text.split("Eh = ∂ξ/∂Z_h")[1]
    assert eh.split("\n")[2].strip() == "[0.3396 0.1698]"  # Eh = σ' (Eo W_o^T)
    jwo = text.split("JWo = H^T · Eo")[1].split("gradient of b_o")[0]
    assert "shape (2, 1), ‖JWo‖ = 0.526, all 2 rows:" in jwo
    assert "[0.4497]" in jwo and "[0.2728]" in jwo


@pytest.mark.parametrize("columns", [9, 64, 256, 400, 1024])
@pytest.mark.parametrize("show", [1, 3, 8])
def test_wide_rows_show_their_first_and_last_columns_whatever_the_width(columns, show, rng):
    """Every large matrix the same way: ``show`` rows, each on one line, its first and last
    few columns around "..." (a 256-column row used to be printed whole over ~40 lines)."""
    from glassnet.views.explain_text import matrix

    M = rng.normal(size=(40, columns))
    text = matrix(M, show)
    edge = 3
    lines = text.splitlines()
    first = "first row" if show == 1 else f"first {show}"
    assert f"{first} of 40 rows (the first and last {edge} of {columns} columns):" in lines[0]
    rows = lines[1:-1]
    assert len(rows) == show and lines[-1].strip() == f"... {40 - show} more rows"
    for i, line in enumerate(rows):
        assert line.count("...") == 1 and len(line) < 100, line
        left, right = line.strip(" []").split("...")
        # four significant digits each
        np.testing.assert_allclose([float(v) for v in left.split()], M[i, :edge], rtol=5e-4)
        np.testing.assert_allclose([float(v) for v in right.split()], M[i, -edge:], rtol=5e-4)


def test_a_real_pass_with_wide_layers_prints_no_row_whole(rng):
    net = Network.mlp([20, 256, 64, 2], "tanh", "softmax", "mean")
    X = rng.normal(size=(30, 20))
    T = np.eye(2)[rng.integers(0, 2, 30)]
    text, _ = explain(net, net.init(rng), X, T, show=3)
    assert all(len(line) < 100 for line in text.splitlines() if line.startswith("      "))
    assert "first and last 3 of 256 columns" in text and "first and last 3 of 64 columns" in text
    assert len(text.splitlines()) < 400


def test_explain_model_names_a_tables_encoded_columns(tmp_path, capsys):
    """A model trained on a table with a text column and missing cells: explain --model
    names the one-hot and was-missing columns by number under X."""
    import pandas as pd

    from glassnet.cli.main import main

    rng = np.random.default_rng(0)
    x1 = rng.normal(size=40)
    x1[::5] = np.nan
    frame = pd.DataFrame({"x1": x1, "x2": rng.normal(size=40),
                          "colour": rng.choice(["red", "green", "blue"], 40),
                          "y": rng.choice(["a", "b"], 40)})  # fmt: skip
    frame.to_csv(tmp_path / "t.csv", index=False)
    model = tmp_path / "m.npz"
    assert main(["train", "--data", str(tmp_path / "t.csv"), "--target", "y", "--epochs", "2",
                 "--hidden", "4", "--progress", "off", "--out", str(model)]) == 0  # fmt: skip
    capsys.readouterr()
    main(["explain", "--model", str(model), "--data", str(tmp_path / "t.csv"), "--target", "y",
          "--rows", "1"])  # fmt: skip
    out = capsys.readouterr().out
    said = " ".join(out.split("input columns:")[1].split("hidden pre-activations")[0].split())
    assert said == "0 x1, 1 x1 (missing), 2 x2, 3 colour=blue, 4 colour=green, 5 colour=red"
    assert "shape (40, 6), ‖X‖ = " in out and "first row of 40 rows:" in out


@pytest.mark.parametrize(("outputs", "per"), [(1, " / N "), (3, " / (N × 3)")])
def test_the_squared_errors_mean_is_over_every_output_element(rng, outputs, per):
    """The identity head's mean reduction divides by the N samples times the C columns, and
    explain's formula says so; its number is that mean (numpy's over the whole array)."""
    net = Network.mlp([2, 3, outputs], "tanh", "identity", "mean")
    params = net.init(rng)
    X, T = rng.normal(size=(4, 2)), rng.normal(size=(4, outputs))
    text, passed = explain(net, params, X, T, show=4)
    assert passed
    loss_line = next(line for line in text.splitlines() if line.strip().startswith("ξ ="))
    assert per.strip() in loss_line
    expected = 0.5 * np.mean((net.predict(params, X).reshape(4, outputs) - T) ** 2)
    assert float(loss_line.rsplit("=", 1)[1]) == pytest.approx(expected, rel=1e-5)
