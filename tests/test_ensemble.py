"""Ensembles: one model file of K members that averages them; train, predict, evaluate,
report and ONNX understand it; format-1 files still load."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from glassnet.cli.ensemble import ensemble_model
from glassnet.cli.main import main
from glassnet.cli.workflow import Recipe, _init, _split
from glassnet.core import population as pop
from glassnet.core.network import Network
from glassnet.core.optimizers import Adam
from glassnet.core.schedules import ReduceOnPlateau, StepDecay
from glassnet.data.datasets import make_moons
from glassnet.data.preprocessing import Standardizer
from glassnet.files.modelfile import Model, ModelFileError, load_model, save_model
from glassnet.train.loop import TrainConfig, fit

FIXTURES = Path(__file__).parent / "fixtures"
RECIPE = Recipe(hidden=(6,), activation="tanh", epochs=5, batch_size=16, seed=3, patience=None)


@pytest.fixture(scope="module")
def moons():
    return make_moons(np.random.default_rng(1), 150, noise=0.25)


@pytest.fixture(scope="module")
def outcome(moons):
    return ensemble_model(*moons, RECIPE, 3)


def _ensemble(rng, K=3, output="softmax"):
    net = Network.mlp([2, 4, 3 if output == "softmax" else 2], "relu", output)
    params = pop.init_members(net, range(K))
    classes = np.array(["x", "y", "z"]) if output == "softmax" else None
    scaler = Standardizer(np.array([0.1, -0.2]), np.array([1.5, 0.5]))
    return Model(net, params, classes, scaler, ("a", "b"))


def test_each_member_is_its_own_train_run(moons, outcome):
    X, y = moons
    model = outcome.model
    assert model.members == 3 and model.settings["ensemble"]["seeds"] == [3, 4, 5]
    rows = _split(len(X), RECIPE, np.random.default_rng(3), y)
    for k, seed in enumerate((3, 4, 5)):
        net = model.net
        start = _init(net, np.random.default_rng(seed), np.dtype("float64"), None)
        cfg = TrainConfig(epochs=5, batch_size=16, optimizer=Adam(RECIPE.learning_rate), seed=seed)
        own = fit(net, start, X, y, cfg, train_rows=rows["train"], val_rows=rows["validation"],
                  scaler=model.scaler).params  # fmt: skip
        for got, want in zip(model.member(k).params, own, strict=True):
            np.testing.assert_allclose(got["W"], want["W"], rtol=0, atol=1e-10)


def test_predictions_average_the_members(rng):
    X = rng.normal(size=(7, 2))
    for output in ("softmax", "identity"):
        model = _ensemble(rng, output=output)
        each = [model.member(k).predict_proba(X) for k in range(3)]
        np.testing.assert_allclose(model.predict_proba(X), np.mean(each, axis=0), rtol=1e-12)
        if output == "softmax":
            assert list(model.predict(X)) == list(model.classes[np.argmax(np.mean(each, 0), 1)])
        else:
            np.testing.assert_allclose(model.predict(X), np.mean(each, axis=0), rtol=1e-12)


def test_ensemble_file_round_trip_and_damage(rng, tmp_path):
    model = _ensemble(rng)
    path = save_model(model, tmp_path / "e.npz")
    back = load_model(path)
    assert back.members == 3
    X = rng.normal(size=(5, 2))
    np.testing.assert_array_equal(back.predict_proba(X), model.predict_proba(X))
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    meta = json.loads(str(arrays["meta"]))
    assert meta["format_version"] == 3 and meta["members"] == 3
    single = save_model(model.member(0), tmp_path / "one.npz")
    with np.load(single) as f:
        one = json.loads(str(f["meta"]))
    assert one["format_version"] == 2 and "members" not in one  # format-2 readers read it
    for members in (2, 0, "3", True):
        meta["members"] = members
        np.savez(tmp_path / "bad.npz", **{**arrays, "meta": np.array(json.dumps(meta))})
        with pytest.raises(ModelFileError):
            load_model(tmp_path / "bad.npz")


def test_a_format_1_file_still_loads():
    model = load_model(FIXTURES / "format1_tanh_classifier.npz")
    assert model.members is None and list(model.classes) == ["a", "b"]
    X = np.array([[0.1, 0.2], [1.0, -1.0], [-2.0, 0.5]])
    expected = [[0.55140068, 0.44859932], [0.41348974, 0.58651026], [0.59234946, 0.40765054]]
    np.testing.assert_allclose(model.predict_proba(X), expected, atol=1e-8)  # format 1's own


def test_report_shows_the_spread(outcome):
    assert [s.name for s in outcome.spreads] == ["train", "validation"]
    for s in outcome.spreads:
        assert s.member_accuracy.shape == (3,) and s.member_loss.shape == (3,)
        assert s.member_accuracy.min() <= s.member_accuracy.max()
        assert "ensemble loss" in s.line() and " accuracy " in s.line()


@pytest.fixture(scope="module")
def saved(tmp_path_factory, moons):
    out = tmp_path_factory.mktemp("ens")
    X, y = moons
    rows = "\n".join(f"{a},{b},{c}" for (a, b), c in zip(X, y, strict=True))
    (out / "d.csv").write_text("x0,x1,label\n" + rows + "\n")
    code = main(["train", "--data", str(out / "d.csv"), "--target", "label", "--ensemble", "3",
                 "--epochs", "4", "--hidden", "5", "--out", str(out / "e.npz")])  # fmt: skip
    assert code == 0
    return out


def test_cli_train_predict_evaluate_report(saved, capsys):
    capsys.readouterr()
    html = (saved / "report.html").read_text()  # as a single run's
    assert 'id="spread"' in html and 'id="members"' in html
    model = load_model(saved / "e.npz")
    assert model.members == 3
    assert main(["predict", "--model", str(saved / "e.npz"), "--data", str(saved / "d.csv"),
                 "--target", "label", "--proba"]) == 0  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("prediction,proba_0") and len(lines) == 151
    assert main(["evaluate", "--model", str(saved / "e.npz"), "--data", str(saved / "d.csv"),
                 "--target", "label"]) == 0  # fmt: skip
    assert "ensemble of 3" in capsys.readouterr().out
    assert main(["report", "--model", str(saved / "e.npz"), "--data", str(saved / "d.csv"),
                 "--target", "label", "--out", str(saved / "r.html")]) == 0  # fmt: skip
    assert "ensemble of 3" in (saved / "r.html").read_text()
    assert main(["explain", "--model", str(saved / "e.npz"), "--data", str(saved / "d.csv")]) == 2


@pytest.mark.parametrize("opset", [17, 18])
@pytest.mark.parametrize("output", ["softmax", "identity"])
def test_onnx_export_averages_like_glassnet(rng, tmp_path, opset, output):
    ort = pytest.importorskip("onnxruntime")
    from glassnet.onnx.export import export_onnx

    model = _ensemble(rng, output=output)
    path = export_onnx(model, tmp_path / "e.onnx", opset=opset)
    X = rng.normal(size=(9, 2))
    got = ort.InferenceSession(str(path)).run(None, {"X": X})
    np.testing.assert_allclose(got[-1], model.predict_proba(X), rtol=1e-12, atol=1e-14)
    if output == "softmax":
        assert list(got[0]) == list(model.predict(X))


def test_ensemble_options_that_do_not_apply(tmp_path):
    base = ["train", "--dataset", "moons", "--ensemble", "2", "--out", str(tmp_path / "m.npz")]
    assert main([*base, "--resume"]) == 2
    assert main([*base, "--val-fraction", "0", "--patience", "3"]) == 2  # nothing to watch
    for mode in ("bar", "lines"):  # an ensemble prints no per-epoch progress
        assert main([*base, "--progress", mode]) == 2
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize("schedule", [StepDecay(every=2, gamma=0.5), ReduceOnPlateau(0.5, 1)])
def test_patience_and_schedule_act_on_each_member_as_in_its_own_run(moons, schedule):
    """Each member stops when its own patience runs out and follows the schedule on its own:
    its parameters and its curves in history.json are those of its own fit."""
    X, y = moons
    recipe = dataclasses.replace(RECIPE, epochs=25, patience=2, schedule=schedule,
                                 learning_rate=0.05)  # fmt: skip
    got = ensemble_model(X, y, recipe, 3)
    history = got.result.as_dict()
    rows = _split(len(X), recipe, np.random.default_rng(3), y)
    ends = []
    for k, seed in enumerate((3, 4, 5)):
        net = got.model.net
        start = _init(net, np.random.default_rng(seed), np.dtype("float64"), None)
        cfg = TrainConfig(epochs=25, batch_size=16, optimizer=Adam(0.05), seed=seed,
                          patience=2, schedule=schedule)  # fmt: skip
        own = fit(net, start, X, y, cfg, train_rows=rows["train"], val_rows=rows["validation"],
                  scaler=got.model.scaler)  # fmt: skip
        for mine, want in zip(got.model.member(k).params, own.params, strict=True):
            np.testing.assert_allclose(mine["W"], want["W"], rtol=0, atol=1e-10)
        curve = [row[k] for row in history["val_loss"] if row[k] is not None]
        epochs = [own.history.initial, *own.history.records]  # epoch 0 first, in both
        np.testing.assert_allclose(curve, [r.val_loss for r in epochs], rtol=1e-9)
        assert history["kept_epoch"][k] == own.history.best_epoch
        ends.append(len(curve) - 1)
    assert min(ends) < 25 and len(set(ends)) > 1, "members should stop at different epochs"
    assert history["stop_reason"].count("early stopping") == sum(e < 25 for e in ends)


def test_without_early_stopping_each_member_keeps_its_last_epoch(moons):
    """``--patience 0``: every member keeps its last epoch, as its own run does (the oracle:
    each member's own fit without early stopping)."""
    X, y = moons
    recipe = dataclasses.replace(RECIPE, epochs=12, patience=None, learning_rate=0.2)
    got = ensemble_model(X, y, recipe, 2)
    rows = _split(len(X), recipe, np.random.default_rng(3), y)
    for k, seed in enumerate((3, 4)):
        net = got.model.net
        start = _init(net, np.random.default_rng(seed), np.dtype("float64"), None)
        cfg = TrainConfig(epochs=12, batch_size=16, optimizer=Adam(0.2), seed=seed,
                          patience=None, restore_best=False)  # fmt: skip
        own = fit(net, start, X, y, cfg, train_rows=rows["train"], val_rows=rows["validation"],
                  scaler=got.model.scaler)  # fmt: skip
        for mine, want in zip(got.model.member(k).params, own.params, strict=True):
            np.testing.assert_allclose(mine["W"], want["W"], rtol=0, atol=1e-10)
        assert got.result.as_dict()["kept_epoch"][k] == own.history.best_epoch == 12


def test_ensemble_writes_history_and_loss_plot(tmp_path, capsys):
    out = tmp_path / "e" / "model.npz"
    argv = ["train", "--dataset", "moons", "--ensemble", "3", "--epochs", "30", "--lr", "0.05",
            "--patience", "3", "--schedule", "step", "--hidden", "4", "--progress", "off",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    history = json.loads((out.parent / "history.json").read_text())
    assert history["model"] == "model.npz" and history["members"] == 3
    E = len(history["epoch"])
    assert len(history["val_loss"]) == E and all(len(row) == 3 for row in history["val_loss"])
    for e in range(E):
        trained = [v for v in history["val_loss"][e] if v is not None]
        lo, mid, hi = (history["spread"][f][e] for f in ("min", "median", "max"))
        assert lo == min(trained) and hi == max(trained) and lo <= mid <= hi
    assert (out.parent / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "members: " in capsys.readouterr().out
    report = (out.parent / "report.html").read_text()
    assert "ending" in report and set(history["stop_reason"]) <= {"early stopping", "completed"}


def _member_losses(text):
    line = next(t for t in text.splitlines() if "member loss" in t)
    low, high = line.split("member loss ")[1].split(" (mean")[0].split(" .. ")
    return float(low), float(high)


@pytest.mark.parametrize("offset", [0.0, 3e9])
def test_an_ensemble_regressor_reports_losses_in_the_targets_units(tmp_path, capsys, offset):
    """Standardized targets make a run on ``a * y + b`` the run on ``y``: every member loss
    printed by train and evaluate scales by ``a**2`` (in the targets' units), and the mean
    member loss is at least the averaged prediction's half squared error (Jensen)."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(160, 3))
    y = X[:, :1] - X[:, 1:2] ** 2 + 0.1 * rng.normal(size=(160, 1))
    seen = {}
    for a, b in ((1e3, 0.0), (1e7, offset)):
        Y = a * y + b
        cols = [f"y{j}" for j in range(Y.shape[1])]
        path = tmp_path / f"d{a:g}.csv"
        path.write_text("x0,x1,x2," + ",".join(cols) + "\n" + "\n".join(
            ",".join(f"{v:.17g}" for v in row) for row in np.c_[X, Y]) + "\n")  # fmt: skip
        out = tmp_path / f"run{a:g}" / "e.npz"
        assert main(["train", "--data", str(path), "--target", ",".join(cols), "--task",
                     "regression", "--ensemble", "2", "--epochs", "4", "--progress", "off",
                     "--out", str(out)]) == 0  # fmt: skip
        trained = _member_losses(capsys.readouterr().out)
        assert main(["evaluate", "--model", str(out), "--data", str(path), "--target",
                     ",".join(cols)]) == 0  # fmt: skip
        text = capsys.readouterr().out
        members = _member_losses(text)
        averaged = load_model(out).predict(X)
        half_se = 0.5 * np.mean(np.sum((np.reshape(averaged, Y.shape) - Y) ** 2, axis=1))
        assert np.mean(members) >= half_se * (1 - 1e-6)
        page = out.parent / "r.html"
        assert main(["report", "--model", str(out), "--data", str(path), "--target",
                     ",".join(cols), "--out", str(page)]) == 0  # fmt: skip
        assert "ensemble of 2" in page.read_text()
        capsys.readouterr()
        history = json.loads((out.parent / "history.json").read_text())
        curves = [v for row in history["loss"] + history["val_loss"] for v in row]
        seen[a] = np.array([*trained, *members, *curves])
    np.testing.assert_allclose(seen[1e7] / seen[1e3], 1e8, rtol=1e-4)


@pytest.mark.parametrize(
    ("recipe", "task"),
    [
        (RECIPE, "classification"),
        (dataclasses.replace(RECIPE, weight_decay=0.05, optimizer="sgd", batch_size=None), "c"),
        (dataclasses.replace(RECIPE, activation="relu", task="regression"), "regression"),
    ],
)
def test_every_member_record_starts_at_epoch_0_as_its_own_run(moons, recipe, task):
    """history.json of an ensemble begins with epoch 0, the initialization, and each member's
    epoch 0 and curves are those of its own ``fit`` (weight decay included)."""
    X, y = moons
    y = y.astype(float) * 1e3 + 7.0 if task == "regression" else y
    outcome = ensemble_model(X, y, recipe, 2)
    history = outcome.result.as_dict()
    assert history["epoch"] == list(range(recipe.epochs + 1))
    model = outcome.model
    rows = _split(len(X), recipe, np.random.default_rng(3), y if task != "regression" else None)
    codes = y if task != "regression" else model.target_scaler.transform(y[:, None]).ravel()
    unit = 1.0 if task != "regression" else float(model.target_scaler.scale[0]) ** 2
    for k, seed in enumerate((3, 4)):
        start = _init(model.net, np.random.default_rng(seed), np.dtype("float64"), None)
        cfg = TrainConfig(epochs=recipe.epochs, batch_size=recipe.batch_size, seed=seed,
                          optimizer=_optimizer(recipe),
                          weight_decay=recipe.weight_decay)  # fmt: skip
        own = fit(model.net, start, X, codes, cfg, train_rows=rows["train"],
                  val_rows=rows["validation"], scaler=model.scaler).history  # fmt: skip
        for key in ("val_loss", "loss"):
            mine = [row[k] for row in history[key]]
            theirs = [unit * v for v in [getattr(own.initial, key), *own.column(key)]]
            if key == "loss":  # epoch 0 alone: later epochs are running means with the penalty
                mine, theirs = mine[:1], theirs[:1]
            np.testing.assert_allclose(mine, theirs, rtol=1e-9)
    assert history["spread"]["min"][0] == min(row for row in history["val_loss"][0])


def _optimizer(recipe):
    from glassnet.core.optimizers import get_optimizer

    return get_optimizer(recipe.optimizer, learning_rate=recipe.learning_rate)
