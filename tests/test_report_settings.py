"""The training report states the run's settings, and every view of the per-epoch training
loss says when it carries the L2 penalty (NU11 #11, #17). Oracles: the options given on
the command line, the model file's stored settings, and the penalty's own arithmetic: with
a full batch and a rate too small to move the weights, epoch 0's and epoch 1's logged
losses minus the saved weights' data loss are ``(weight_decay / 2) * sum ||W||^2``."""

import json

import numpy as np
import pandas as pd
import pytest
from _report_rows import settings_table

import glassnet as gn
from glassnet.cli.main import main
from glassnet.cli.run_outputs import loss_figure
from glassnet.train.history import History
from glassnet.views.plotting import plot_loss
from glassnet.views.report import ReportData
from glassnet.views.report_sections import run_rows
from glassnet.views.report_settings import l2_strength, penalty_note, settings_rows

PENALTY = "with the L2 penalty"


def _csv(path, n=80, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
    df["label"] = np.where(df.a - df.b > 0, "yes", "no")
    df.to_csv(path, index=False)
    return path


RUNS = {
    "momentum-step": (["--optimizer", "momentum", "--momentum", "0.8", "--lr", "0.05",
                       "--schedule", "step", "--step-every", "3", "--lr-decay", "0.25",
                       "--weight-decay", "0.01", "--batch-size", "16", "--patience", "4",
                       "--val-fraction", "0.25", "--seed", "7", "--hidden", "5,3",
                       "--activation", "tanh", "--epochs", "6"],
                      {"optimizer": "momentum (momentum 0.8)", "learning rate": "0.05",
                       "schedule": "step (every 3, gamma 0.25)", "batch size": "16",
                       "weight decay (L2)": "0.01 (the training loss includes its L2 penalty)",
                       "epochs (at most)": "6", "early-stopping patience": "4",
                       "validation rows": "0.25 of the rows", "seed": "7",
                       "hidden layer sizes": "5, 3", "activation": "tanh"}),
    "adam-plain": (["--hidden", "4", "--epochs", "3", "--batch-size", "0", "--patience", "0",
                    "--seed", "3"],
                   {"optimizer": "adam (beta1 0.9, beta2 0.999, eps 1e-08)",
                    "learning rate": "0.003", "schedule": "constant",
                    "batch size": "all training rows (full batch)",
                    "weight decay (L2)": "0 (none)", "epochs (at most)": "3",
                    "early-stopping patience": "none (no early stopping: the last epoch is kept)",
                    "validation rows": "0.2 of the rows", "seed": "3",
                    "hidden layer sizes": "4", "activation": "relu"}),
    "exponential": (["--schedule", "exponential", "--lr-decay", "0.9", "--weight-decay", "0.5",
                     "--optimizer", "sgd", "--hidden", "2", "--epochs", "2"],
                    {"optimizer": "sgd", "schedule": "exponential (gamma 0.9)",
                     "weight decay (L2)": "0.5 (the training loss includes its L2 penalty)"}),
}  # fmt: skip


@pytest.mark.parametrize("run", sorted(RUNS))
def test_the_report_states_the_settings_given(tmp_path, capsys, run):
    options, expected = RUNS[run]
    data = _csv(tmp_path / "d.csv")
    out = tmp_path / "run" / "model.npz"
    assert main(["train", "--data", str(data), "--target", "label", "--progress", "lines",
                 *options, "--out", str(out)]) == 0  # fmt: skip
    console = capsys.readouterr().out
    table = settings_table((out.parent / "report.html").read_text())
    for setting, value in expected.items():
        assert table[setting] == value, setting
    settings = gn.load(out).settings  # the stored recipe: the same values
    assert table["learning rate"] == format(settings["learning_rate"], "g")
    assert table["epochs (at most)"] == str(settings["epochs"])
    history = json.loads((out.parent / "history.json").read_text())
    page = (out.parent / "report.html").read_text()
    if settings["weight_decay"]:
        assert console.count("includes its L2 penalty") == 1
        assert history["loss_penalty"] == penalty_note(settings)
        assert f"weight decay {settings['weight_decay']:g}" in history["loss_penalty"]
        assert "final loss (the kept parameters, training rows, without the penalty)" in page
        assert f"training, {PENALTY} from epoch 1 on" in page
    else:
        assert "penalty" not in console and "loss_penalty" not in history
        assert "penalty" not in page.lower()
    # a later 'glassnet report' of the model file shows the same table
    again = tmp_path / "again.html"
    assert main(["report", "--model", str(out), "--data", str(data), "--target", "label",
                 "--out", str(again)]) == 0  # fmt: skip
    assert settings_table(again.read_text()) == table


def test_the_logged_training_loss_does_carry_the_penalty(tmp_path):
    """Full batch, a rate of 1e-12: the weights stay put, so epoch 0's loss and epoch 1's
    logged loss (taken before its step) both exceed the data loss of the saved weights (the
    final training score, without the penalty) by exactly their penalty (NU13 #10: epoch 0
    carries it too, so that the curve compares like numbers)."""
    decay = 0.2
    data = _csv(tmp_path / "d.csv", n=60)
    out = tmp_path / "m.npz"
    assert main(["train", "--data", str(data), "--target", "label", "--optimizer", "sgd",
                 "--lr", "1e-12", "--batch-size", "0", "--epochs", "1", "--patience", "0",
                 "--weight-decay", str(decay), "--hidden", "3", "--progress", "off",
                 "--out", str(out)]) == 0  # fmt: skip
    history = json.loads((tmp_path / "history.json").read_text())
    weights = sum(float(np.sum(p["W"] ** 2)) for p in gn.load(out).params)
    assert history["epoch"][:2] == [0, 1]
    data_loss = history["final"]["train"]["loss"]
    for epoch in (0, 1):
        np.testing.assert_allclose(history["loss"][epoch] - data_loss, decay / 2 * weights,
                                   rtol=1e-6)  # fmt: skip
    assert "loss_penalty" in history


def test_summary_rows_name_the_penalty():
    rng = np.random.default_rng(0)
    net = gn.Network.mlp([2, 3, 2], "tanh", "softmax", "mean")
    params = net.init(rng)
    X, t = rng.normal(size=(10, 2)), rng.integers(0, 2, 10)
    losses = [0.9, 0.7, 0.6, 0.65]
    kw = dict(step_name="epoch", kept_step=2, best_step=2)
    plain = dict(run_rows(ReportData("r", net, params, X, t, losses, **kw)))
    penal = dict(run_rows(ReportData("r", net, params, X, t, losses, **kw,
                                     settings={"weight_decay": 0.1, "optimizer": "adam"})))
    assert "loss in the last epoch (3)" in plain
    assert f"loss in the last epoch (3, {PENALTY})" in penal
    logged = [k for k in penal if k.startswith("loss logged in epoch 2")]
    assert len(logged) == 1 and f"during training, {PENALTY}" in logged[0]
    assert not any("penalty" in k for k in plain)


def test_loss_figures_label_the_training_curve():
    history = History.from_dict({"epoch": [0, 1, 2], "loss": [1.0, 0.8, 0.7],
                                 "val_loss": [1.0, 0.9, 0.85], "accuracy": [None] * 3,
                                 "val_accuracy": [None] * 3, "learning_rate": [None] * 3,
                                 "seconds": [0.0] * 3, "kept_epoch": 2,
                                 "stop_reason": "completed"})  # fmt: skip
    legend = [t.get_text() for t in loss_figure(history, True).axes[0].get_legend().get_texts()]
    assert f"training ({PENALTY})" in legend and "validation" in legend
    legend = [t.get_text() for t in loss_figure(history).axes[0].get_legend().get_texts()]
    assert "training" in legend and not any("penalty" in t for t in legend)
    alone = plot_loss([1.0, 0.5], training_label=f"training ({PENALTY})")  # no marks: a legend
    assert alone.axes[0].get_legend() is not None


def test_an_estimators_model_lists_its_parameters(tmp_path):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 2, 40)
    est = gn.MLPClassifier(hidden_layer_sizes=(4, 2), alpha=0.05, max_iter=3,
                           learning_rate_init=0.01, random_state=0).fit(X, y)  # fmt: skip
    est.save(tmp_path / "est.npz")
    settings = gn.load(tmp_path / "est.npz").settings
    rows = dict(settings_rows(settings))
    assert rows["estimator"] == "MLPClassifier"
    assert rows["hidden_layer_sizes"] == "4, 2" and rows["alpha"] == "0.05"
    assert rows["learning_rate_init"] == "0.01" and rows["max_iter"] == "3"
    assert set(rows) == {"estimator", *est.get_params()}
    assert l2_strength(settings) == 0.05 and "alpha 0.05" in penalty_note(settings)
    assert settings_rows({}) == [] and l2_strength(None) == 0.0


def test_a_report_without_a_recipe_has_no_settings_section():
    """The demo's run (no model file) shows none; a model file that stores none says so."""
    from glassnet.views.report import build_report

    rng = np.random.default_rng(2)
    net = gn.Network.mlp([2, 3, 2], "tanh", "softmax", "mean")
    params = net.init(rng)
    X, t = rng.normal(size=(12, 2)), rng.integers(0, 2, 12)
    page, _ = build_report(ReportData("r", net, params, X, t, [0.7, 0.6]))
    assert 'id="settings"' not in page
    page, _ = build_report(ReportData("r", net, params, X, t, [0.7, 0.6], settings={}))
    assert 'id="settings"' in page and "stores no training settings" in page
