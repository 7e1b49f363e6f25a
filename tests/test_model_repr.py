"""``repr(model)`` (a Python prompt, ``print(model)``) is a short summary, never the weights
(NU9 #35): task, network, parameter count, inputs, classes, scaling and the run, each
checked against the model's own fields; long name lists are cut with a count."""

import numpy as np
import pytest

import glassnet as gn
from glassnet.cli.main import main
from glassnet.files.model import Model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("repr")
    rng = np.random.default_rng(0)
    cols = [f"feature_{j}" for j in range(30)]
    X = rng.normal(size=(120, 30))
    lines = [",".join([*cols, "label"])]
    for row in X:
        lines.append(",".join([*map(str, row), "yes " if row[0] > 0 else "no"]))
    data = folder / "t.csv"
    data.write_text("\n".join(lines) + "\n")
    out = folder / "m.npz"
    argv = ["train", "--data", str(data), "--target", "label", "--hidden", "256,128",
            "--epochs", "3", "--patience", "0", "--progress", "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    return gn.load(out)


def test_a_loaded_model_prints_a_summary_not_its_weights(trained):
    text = repr(trained)
    assert len(text) < 600 and text.count("\n") < 10  # was ~10,000 characters of arrays
    assert "array(" not in text and "Network(" not in text
    n = sum(p["W"].size + p["b"].size for p in trained.params)
    assert f"30-256-128-2 network, {n} float64 parameters" in text
    assert "classifier of 2 classes" in text
    assert "classes: 'no', 'yes '" in text  # the label's space shows
    assert "inputs: 30 (feature_0, feature_1," in text and "... (30 in all)" in text
    assert "inputs standardized" in text
    run = trained.settings["run"]
    assert f"trained 3 epochs, kept epoch {run['kept_epoch']} ({run['stop_reason']})" in text
    assert str(trained) == text


@pytest.mark.parametrize("outputs", [1, 3])
def test_a_regressor_and_an_unscaled_model(outputs):
    net = gn.Network.mlp([4, 5, outputs], "tanh", "identity")
    model = Model(net, net.init(np.random.default_rng(0)))
    text = repr(model)
    assert text.startswith(f"<glassnet model: regressor of {outputs} target")
    assert f"4-5-{outputs} network, {net.n_params} float64 parameters" in text
    assert "inputs: 4\n" in text and "inputs as given" in text and "trained" not in text


def test_an_ensemble_counts_its_members(tmp_path):
    out = tmp_path / "e.npz"
    argv = ["train", "--dataset", "moons", "--n-samples", "60", "--hidden", "3", "--epochs",
            "2", "--ensemble", "3", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    model = gn.load(out)
    text = repr(model)
    assert "an ensemble of 3 members" in text
    assert f"{3 * model.net.n_params} float64 parameters" in text
    assert "kept epoch None" not in text


def test_the_notebook_table_shows_the_same_facts(trained):
    html = trained._repr_html_()
    assert "30-256-128-2 network" in html and "feature_0" in html and "(30 in all)" in html


def test_a_training_result_and_its_history_print_counts_not_arrays():
    rng = np.random.default_rng(0)
    X, t = gn.make_circles(rng, n_samples=300)
    net = gn.Network.mlp([2, 128, 128, 2], "relu", "softmax")
    config = gn.TrainConfig(epochs=40, patience=3)
    result = gn.fit(net, net.init(rng), X, t, config, val_rows=np.arange(250, 300),
                    train_rows=np.arange(250))  # fmt: skip
    text = repr(result)
    assert len(text) < 400 and "array(" not in text and "EpochRecord(" not in text
    n = sum(a.size for layer in result.params for a in layer.values())
    assert f"params: 3 layers, {n} float64 numbers" in text
    history = result.history
    assert repr(history) in text and type(result.opt_state).__name__ in text
    kept = next(r for r in history.records if r.epoch == history.kept_epoch)
    assert f"{history.epochs} epochs; kept epoch {history.kept_epoch}" in repr(history)
    assert f"stop: {history.stop_reason}" in repr(history)
    assert f"val_loss {kept.val_loss:.5g}" in repr(history)


def test_an_empty_history_prints_its_counts():
    from glassnet.train.history import History

    assert repr(History()).startswith("History(0 epochs; kept epoch 0; stop: completed;")
