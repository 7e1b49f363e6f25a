"""``glassnet explain --model``: the update of an estimator-saved model from its stored
settings (or one line saying why none), the classes its output columns stand for, and rows
named by the file's own data-row numbers when rows without a label are left out (NU9
findings 3, 6, 14)."""

import dataclasses
import re

import numpy as np
import pytest

from glassnet.cli.main import main


def _run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def _table(tmp_path, n=80, seed=1):
    import pandas as pd

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    label = np.where(X[:, 0] + 0.3 * X[:, 1] > 0, "up", "down")
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "label": label})
    frame.to_csv(tmp_path / "full.csv", index=False)
    return frame


# ---- finding 3: the update of a model saved by an estimator ---------------------------------

ESTIMATORS = {
    "nesterov": {"solver": "sgd", "momentum": 0.9, "nesterovs_momentum": True,
                 "learning_rate_init": 0.05},
    "momentum": {"solver": "sgd", "momentum": 0.7, "nesterovs_momentum": False,
                 "learning_rate_init": 0.02},
    "sgd": {"solver": "sgd", "momentum": 0.0, "learning_rate_init": 0.1},
    "adam": {"solver": "adam", "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-7,
             "learning_rate_init": 0.01},
    "invscaling": {"solver": "sgd", "learning_rate": "invscaling", "momentum": 0.5,
                   "learning_rate_init": 0.03},
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(ESTIMATORS))
def test_an_estimators_model_shows_its_update_from_the_stored_settings(tmp_path, capsys, kind):
    pytest.importorskip("sklearn")
    import glassnet
    from glassnet.files.modelfile import load_model
    from glassnet.sklearn import settings

    frame = _table(tmp_path)
    est = glassnet.MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0,
                                 alpha=0.001, **ESTIMATORS[kind])  # fmt: skip
    with np.errstate(under="ignore"):
        est.fit(frame[["a", "b", "c"]], frame["label"])
    path = tmp_path / "est.npz"
    est.save(path)
    code, out, _ = _run(capsys, ["explain", "--model", str(path), "--data",
                                 str(tmp_path / "full.csv"), "--target", "label"])  # fmt: skip
    assert code == 0
    opt = settings.optimizer(est)  # the oracle: the estimator's own optimizer
    values = ", ".join(f"{k} = {v:g}" for k, v in dataclasses.asdict(opt).items())
    header = out.split("\nUPDATE (")[1].splitlines()[0]
    assert header.startswith(type(opt).__name__ + ": ")
    for part in values.split(", "):
        assert part in header, (part, header)
    assert "the optimizer of its stored settings (solver='" in out
    assert "its L2 penalty's scale: s = alpha / N = 0.001 / 80" in out.split("\nUPDATE (")[1]
    # the step of b_o, against the first step of the rule written out by hand
    model = load_model(path)
    X = model.inputs(frame[["a", "b", "c"]].to_numpy())
    T = (frame["label"].to_numpy() == model.classes[1]).astype(float)[:, None]
    _, grads = model.net.loss_and_grad(model.params, X, T)
    J, lr = grads[-1]["b"], est.learning_rate_init
    step = -lr * J / (np.abs(J) + est.epsilon) if kind == "adam" else -lr * J
    if type(opt).__name__ == "Nesterov":  # θ + λ M - μ J with M = -μ J
        step = -lr * J * (1 + est.momentum)
    shown = out.split("step of b_o")[1].splitlines()[2]
    np.testing.assert_allclose(float(shown.strip(" []")), step[0, 0], rtol=1e-3)
    # a weight's step has the L2 term in J: s W with s = alpha / N (biases have none)
    J = grads[-1]["W"] + 0.001 / 80 * model.params[-1]["W"]
    step = -lr * J / (np.abs(J) + est.epsilon) if kind == "adam" else -lr * J
    if type(opt).__name__ == "Nesterov":
        step = -lr * J * (1 + est.momentum)
    shown = out.split("step of W_o")[1].splitlines()[2]
    np.testing.assert_allclose(float(shown.strip(" []")), step[0, 0], rtol=1e-3)


def test_an_lbfgs_model_says_in_one_line_why_there_is_no_update(tmp_path, capsys):
    pytest.importorskip("scipy")
    pytest.importorskip("sklearn")
    import glassnet

    frame = _table(tmp_path)
    est = glassnet.MLPClassifier(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5,
                                 random_state=0)  # fmt: skip
    with np.errstate(under="ignore"):
        est.fit(frame[["a", "b", "c"]], frame["label"])
    est.save(tmp_path / "l.npz")
    code, out, _ = _run(capsys, ["explain", "--model", str(tmp_path / "l.npz"), "--data",
                                 str(tmp_path / "full.csv"), "--target", "label"])  # fmt: skip
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith("UPDATE")]
    assert len(lines) == 1 and "L-BFGS" in lines[0] and "solver='lbfgs'" in lines[0], lines


# ---- finding 6: which class each output column stands for -----------------------------------


def test_a_two_class_estimator_says_which_class_1_means(tmp_path, capsys):
    pytest.importorskip("sklearn")
    import glassnet
    from glassnet.files.modelfile import load_model

    frame = _table(tmp_path)
    est = glassnet.MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0)
    with np.errstate(under="ignore"):
        est.fit(frame[["a", "b", "c"]], frame["label"])
    est.save(tmp_path / "e.npz")
    classes = load_model(tmp_path / "e.npz").classes
    code, out, _ = _run(capsys, ["explain", "--model", str(tmp_path / "e.npz"), "--data",
                                 str(tmp_path / "full.csv"), "--target", "label", "--rows", "4"])
    assert code == 0 and "one-hot" not in out
    assert f"1 for class '{classes[1]}', 0 for class '{classes[0]}'" in out
    t_rows = out.split("targets T")[1].splitlines()[2:6]
    printed = [float(r.strip(" []")) for r in t_rows]
    assert printed == [float(v == classes[1]) for v in frame["label"][:4]]


def test_a_cli_models_columns_are_named_and_predicted_targets_said(tmp_path, capsys):
    _table(tmp_path)
    model = tmp_path / "m" / "model.npz"
    assert main(["train", "--data", str(tmp_path / "full.csv"), "--target", "label", "--hidden",
                 "4", "--epochs", "2", "--progress", "off", "--out", str(model)]) == 0
    capsys.readouterr()
    _, out, _ = _run(capsys, ["explain", "--model", str(model), "--data",
                              str(tmp_path / "full.csv"), "--target", "label"])  # fmt: skip
    assert "the 2 output columns (of Z_o, Y, T, Eo): 0 down, 1 up" in out
    assert "predicted" not in out.split("targets T")[1].splitlines()[0]
    _, out, _ = _run(capsys, ["explain", "--model", str(model), "--data",
                              str(tmp_path / "full.csv")])  # fmt: skip
    title = out.split("targets T")[1].splitlines()[0]
    assert "the model's own predicted classes" in title and "--target" in title
    said = " ".join(out.split("targets T")[1].split("shape (")[0].split())
    assert "measured against the model's own answers, not the data's labels" in said
    # T's rows are the predictions (the oracle: Model.predict on the same rows)
    import pandas as pd

    from glassnet.files.modelfile import load_model

    loaded = load_model(model)
    predicted = loaded.predict(pd.read_csv(tmp_path / "full.csv")[["a", "b", "c"]])[:3]
    rows = [r for r in out.split("targets T")[1].split("\n") if r.startswith("      [")][:3]
    shown = [loaded.classes[int(np.argmax([float(v) for v in r.strip(" []").split()]))]
             for r in rows]  # fmt: skip
    assert shown == list(predicted)


# ---- finding 14: rows left out, rows named by the file's own numbers ------------------------


@pytest.fixture
def blanked(tmp_path, capsys):
    """A model, its data (80 rows) and the same file with rows 0-2, 10, 11 and 77-79 blank."""
    frame = _table(tmp_path)
    model = tmp_path / "m" / "model.npz"
    assert main(["train", "--data", str(tmp_path / "full.csv"), "--target", "label", "--hidden",
                 "4", "--epochs", "2", "--progress", "off", "--out", str(model)]) == 0
    capsys.readouterr()
    blank = frame.copy()
    blank.loc[[0, 1, 2, 10, 11, 77, 78, 79], "label"] = None
    blank.to_csv(tmp_path / "blank.csv", index=False)
    blank.to_parquet(tmp_path / "blank.parquet")
    return model, tmp_path


def _x_rows(out):
    block = out.split("\n    X\n")[1].splitlines()
    return [line.strip(" []").split() for line in block[1:] if line.startswith("      [")]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize(("row", "first", "span"), [
    (0, 3, "rows 3-9, 12-76"), (3, 3, "rows 3-9, 12-76"), (10, 12, "rows 12-76"),
    (5, 5, "rows 5-9, 12-76"), (76, 76, "row 76"),
])  # fmt: skip
def test_rows_left_out_are_counted_and_rows_named_by_the_files_numbers(
    blanked, capsys, suffix, row, first, span
):
    model, folder = blanked
    data = str(folder / f"blank{suffix}")
    code, out, _ = _run(capsys, ["explain", "--model", str(model), "--data", data, "--target",
                                 "label", "--row", str(row), "--rows", "2"])  # fmt: skip
    assert code == 0
    assert "left out 8 rows whose target 'label' is empty" in out
    assert f"{span} of {data}" in out
    # the oracle: the same rows of the fully labelled file, by their own number
    _, full, _ = _run(capsys, ["explain", "--model", str(model), "--data",
                               str(folder / "full.csv"), "--target", "label", "--row",
                               str(first), "--rows", "1"])  # fmt: skip
    assert _x_rows(out)[0] == _x_rows(full)[0]
    n = int(re.search(r"N = (\d+) sample", out).group(1))
    assert n == sum(1 for r in range(row, 80) if r not in (0, 1, 2, 10, 11, 77, 78, 79))


@pytest.mark.parametrize(("row", "said"), [
    (80, "--row 80 is outside the data's 80 rows"),
    (78, "--row 78: rows 78-79 of"),
    (77, "--row 77: rows 77-79 of"),
])  # fmt: skip
def test_row_counts_the_files_rows(blanked, capsys, row, said):
    model, folder = blanked
    code, _, err = _run(capsys, ["explain", "--model", str(model), "--data",
                                 str(folder / "blank.csv"), "--target", "label", "--row",
                                 str(row)])  # fmt: skip
    assert code == 2 and said in err, err
    if row < 80:
        assert "have an empty 'label'" in err


def test_a_fully_labelled_file_names_one_span_and_leaves_nothing_out(blanked, capsys):
    model, folder = blanked
    _, out, _ = _run(capsys, ["explain", "--model", str(model), "--data",
                              str(folder / "full.csv"), "--target", "label", "--row", "79"])
    assert "row 79 of" in out and "left out" not in out


# ---- finding 33: the step of a model trained with --weight-decay includes the decay ------------


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_step_of_a_weight_decay_model_includes_the_decay(tmp_path, capsys, optimizer):
    from glassnet.files.modelfile import load_model

    frame = _table(tmp_path)
    model = tmp_path / "m" / "model.npz"
    assert main(["train", "--data", str(tmp_path / "full.csv"), "--target", "label", "--hidden",
                 "4", "--epochs", "2", "--progress", "off", "--optimizer", optimizer, "--lr",
                 "0.01", "--weight-decay", "0.5", "--out", str(model)]) == 0  # fmt: skip
    capsys.readouterr()
    code, out, _ = _run(capsys, ["explain", "--model", str(model), "--data",
                                 str(tmp_path / "full.csv"), "--target", "label"])  # fmt: skip
    assert code == 0
    update = out.split("\nUPDATE (")[1]
    assert "its L2 penalty's scale: s = weight_decay = 0.5" in update
    assert "J = ∂ξ/∂θ + s · W for each weight W" in " ".join(update.split())
    # the oracle: the loop's rule by hand, J + 0.5 W on weights, J alone on biases
    loaded = load_model(model)
    X = loaded.inputs(frame[["a", "b", "c"]].to_numpy())
    T = np.eye(2)[np.searchsorted(loaded.classes, frame["label"].to_numpy())]
    loss, grads = loaded.net.loss_and_grad(loaded.params, X, T)
    for key, J in (("W", grads[-1]["W"] + 0.5 * loaded.params[-1]["W"]), ("b", grads[-1]["b"])):
        step = -0.01 * J / (np.abs(J) + 1e-8) if optimizer == "adam" else -0.01 * J
        row = update.split(f"step of {key}_o")[1].splitlines()[2]
        np.testing.assert_allclose([float(v) for v in row.strip(" []").split()], step[0],
                                   rtol=2e-3)  # fmt: skip
    penalty = 0.25 * sum(float(np.sum(p["W"] ** 2)) for p in loaded.params)
    assert f"with the penalty, ξ + (s / 2) Σ ‖W‖²: before {loss + penalty:.6g}" in update


def test_no_decay_no_l2_lines(blanked, capsys):
    model, folder = blanked
    _, out, _ = _run(capsys, ["explain", "--model", str(model), "--data",
                              str(folder / "full.csv"), "--target", "label"])  # fmt: skip
    assert "L2 penalty" not in out and "with the penalty" not in out and "s · W" not in out
