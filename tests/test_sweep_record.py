"""A sweep keeps one record by a single run's rules: ``best.npz`` with ``history.json`` and
``loss.png`` beside it (epoch 0, kept and best epoch, stop reason, ``final`` of the saved
parameters) and ``settings["run"]`` inside it; ``results.csv`` names the split seed and
the init seed apart; the ``glassnet train`` command the sweep prints reproduces
``best.npz`` (the oracle: ``glassnet train`` run alone, compared number by number)."""

import csv
import json
import shlex
import signal

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model
from glassnet.train.history import History

MOONS = ["--dataset", "moons", "--n-samples", "120", "--hidden", "5", "--epochs", "12"]

VARIANTS = {
    "no patience, split seed 4": [*MOONS, "--lr", "0.02,0.2", "--seeds", "3", "--seed", "4"],
    "patience, weight decay": [*MOONS, "--lr", "0.05", "--weight-decay", "0,1e-3", "--seeds",
                               "3", "--patience", "2", "--seed", "1"],  # fmt: skip
    "momentum, full batch": [*MOONS, "--optimizer", "momentum", "--momentum", "0.5,0.9",
                             "--lr", "0.1", "--seeds", "2", "--seed", "2", "--batch-size", "0"],
    "table, schedule": ["--data", "TABLE", "--target", "label", "--drop", "id", "--hidden", "4",
                        "--epochs", "8", "--lr", "0.03", "--seeds", "3", "--schedule", "step",
                        "--seed", "3"],  # fmt: skip
    "plateau constants": [*MOONS, "--lr", "0.1", "--seeds", "3", "--schedule", "plateau",
                          "--lr-decay", "0.3", "--plateau-patience", "1",
                          "--plateau-threshold", "0.05", "--plateau-min-lr", "0.005"],  # fmt: skip
}


def _table(folder):
    rng = np.random.default_rng(0)
    x, color = rng.normal(size=90), rng.choice(["red", "green"], 90)
    label = np.where((x > 0) ^ (color == "red"), "yes", "no")
    lines = ["id,x,color,label"] + [f"{i},{a},{c},{t}" for i, (a, c, t)
                                    in enumerate(zip(x, color, label, strict=True))]  # fmt: skip
    (folder / "t.csv").write_text("\n".join(lines) + "\n")
    return str(folder / "t.csv")


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def swept(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    argv = [_table(folder) if a == "TABLE" else a for a in VARIANTS[request.param]]
    out = folder / "sw"
    assert main(["sweep", *argv, "--out", str(out)]) == 0
    with open(out / "results.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return folder, out, rows, argv


def _train(folder, command, name):
    """``glassnet train`` as the command says, alone: its model and history.json."""
    argv = shlex.split(command)
    assert argv[:2] == ["glassnet", "train"]
    out = folder / name / "m.npz"
    assert main([*argv[1:], "--progress", "off", "--out", str(out)]) == 0
    return load_model(out), json.loads((out.parent / "history.json").read_text())


def test_the_printed_command_reproduces_best_npz(swept, capsys):
    folder, out, rows, _ = swept
    best = load_model(out / "best.npz")
    command = best.settings["sweep"]["train"]
    model, history = _train(folder, command, "alone")
    for a, b in zip(best.params, model.params, strict=True):
        for k in a:  # equal but for the rounding of the members' batched products
            np.testing.assert_allclose(a[k], b[k], rtol=1e-9, atol=1e-12)
    mine = json.loads((out / "history.json").read_text())
    for key in ("epoch", "kept_epoch", "best_epoch", "stop_reason"):
        assert mine[key] == history[key], key
    for key in ("loss", "val_loss", "val_accuracy", "learning_rate"):
        np.testing.assert_allclose(mine[key], history[key], rtol=1e-9, err_msg=key)
    for split, scores in history["final"].items():
        assert mine["final"][split] == pytest.approx(scores, rel=1e-9)
    records = ("run", "history", "diagnostics")  # the run's record, compared above
    kept = {k: v for k, v in mine.items() if k not in ("model", "sweep")}  # (file names)
    assert best.settings["history"] == kept  # best.npz keeps the sweep's history.json
    settings = {k: v for k, v in best.settings.items() if k not in ("sweep", *records)}
    assert settings == {k: v for k, v in model.settings.items() if k not in records}
    assert best.settings["seed"] == int(rows[0]["split_seed"])
    assert best.settings["init_seed"] == int(rows[0]["init_seed"])


def test_every_members_row_is_its_own_train_run(swept):
    """Each row of results.csv (here the members whose init seed is not the split seed,
    the case the docs once got wrong) equals the train run with its seeds and settings."""
    folder, out, rows, _ = swept
    command = load_model(out / "best.npz").settings["sweep"]["train"]
    others = [r for r in rows[1:] if r["init_seed"] != r["split_seed"]][:2]
    assert others
    for i, row in enumerate(others):
        argv = shlex.split(command)
        for option, key in (("--init-seed", "init_seed"), ("--lr", "learning_rate"),
                            ("--weight-decay", "weight_decay"), ("--momentum", "momentum")):
            if option in argv:
                argv[argv.index(option) + 1] = row[key]
        _, history = _train(folder, shlex.join(argv), f"row{i}")
        assert int(row["kept_epoch"]) == history["kept_epoch"]
        assert int(row["epochs"]) == history["epoch"][-1]
        assert row["stop_reason"] == history["stop_reason"]
        for column, value in (("initial_val_loss", history["val_loss"][0]),
                              ("train_loss", history["final"]["train"]["loss"]),
                              ("val_loss", history["final"]["validation"]["loss"])):
            assert float(row[column]) == pytest.approx(value, rel=1e-5), column  # 6 digits


def test_best_npz_its_history_and_results_are_one_record(swept):
    _, out, rows, _ = swept
    best = load_model(out / "best.npz")
    saved = json.loads((out / "history.json").read_text())
    history = History.from_dict(saved)
    run = best.settings["run"]
    assert saved["model"] == "best.npz" and saved["sweep"]["rank"] == 1
    assert saved["epoch"][0] == 0 and history.initial is not None  # epoch 0: initialization
    assert run["epochs"] == history.epochs == int(rows[0]["epochs"])
    assert run["kept_epoch"] == history.kept_epoch == int(rows[0]["kept_epoch"])
    assert run["best_epoch"] == history.lowest_epoch()
    assert run["stop_reason"] == history.stop_reason == rows[0]["stop_reason"]
    assert run["initial_loss"] == history.initial.loss
    assert run["final"] == history.final and set(history.final) == {"train", "validation"}
    assert float(rows[0]["val_loss"]) == pytest.approx(history.final["validation"]["loss"],
                                                        rel=1e-5)  # fmt: skip
    assert float(rows[0]["train_loss"]) == pytest.approx(history.final["train"]["loss"], rel=1e-5)
    kept_val = saved["val_loss"][saved["epoch"].index(history.kept_epoch)]
    assert kept_val == pytest.approx(history.final["validation"]["loss"], rel=1e-9)
    assert (out / "loss.png").read_bytes().startswith(b"\x89PNG")
    assert {r["split_seed"] for r in rows} == {str(best.settings["seed"])}
    html = (out / "report.html").read_text()
    assert best.settings["sweep"]["train"].replace("--", "") in html.replace("--", "")
    from glassnet.train.progress import loss_text  # the report's numbers: the record's

    penalty = ", with the L2 penalty" if "loss_penalty" in saved else ""  # weight decay > 0
    shown = {
        f"initial training loss (epoch 0{penalty})": loss_text(saved["loss"][0]),
        "initial validation loss (epoch 0)": loss_text(saved["val_loss"][0]),
        "kept epoch (the parameters saved)": str(saved["kept_epoch"]),
        "ending": saved["stop_reason"],
        "final validation loss (the saved parameters)":
            loss_text(saved["final"]["validation"]["loss"]),
        "final train loss (the saved parameters)": loss_text(saved["final"]["train"]["loss"]),
    }  # fmt: skip
    for label, value in shown.items():
        assert f'<td class="text">{label}</td><td class="text">{value}</td>' in html, label


def test_the_curves_start_at_epoch_0_mark_kept_epochs_and_name_what_varies(swept):
    from glassnet.cli.sweep import Grid, run_sweep
    from glassnet.cli.sweep_command import member_labels
    from glassnet.cli.workflow import Recipe
    from glassnet.data.datasets import make_moons
    from glassnet.views.population import plot_member_curves

    X, y = make_moons(np.random.default_rng(0), 100, noise=0.2)
    grid = Grid(learning_rate=(0.02, 0.2), weight_decay=(0.0, 1e-3), seeds=2, hidden=((4,),))
    outcome = run_sweep(X, y, Recipe(epochs=7, patience=2), grid)
    labels = member_labels(outcome.rows)
    assert len(set(labels.values())) == 8  # every member told apart, weight decay included
    assert all("decay" in v and "lr" in v and "init seed" in v for v in labels.values())
    result = outcome.curves[(4,)]
    d = result.as_dict()
    val = np.array(d["val_loss"], dtype=float)
    fig = plot_member_curves(val, [labels[(4,), k] for k in range(8)], "t", "v",
                             first_epoch=d["epoch"][0], kept=result.best_epoch)  # fmt: skip
    ax = fig.axes[0]
    curves = [ln for ln in ax.lines if ln.get_linestyle() != "None"]
    dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert [ln.get_xdata()[0] for ln in curves] == [0] * 8  # epoch 0 first
    for k, dot in enumerate(dots):
        e = int(result.best_epoch[k])
        assert dot.get_xdata()[0] == e and dot.get_ydata()[0] == val[e, k]
    assert all(float(t).is_integer() for t in ax.get_xticks())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [labels[(4,), k] for k in range(8)]


@pytest.mark.parametrize("epochs", [3, 5, 9])
def test_the_ensembles_loss_plot_ticks_whole_epochs(epochs):
    from glassnet.views.population import plot_ensemble_loss

    rng = np.random.default_rng(epochs)
    loss = np.exp(-rng.random((epochs + 1, 3)).cumsum(axis=0))
    fig = plot_ensemble_loss(loss, loss * 1.1, "t", first_epoch=0, kept=np.array([1, 2, 3]))
    for ax in fig.axes:
        ticks = [t for t in ax.get_xticks() if 0 <= t <= epochs]
        assert ticks and all(float(t).is_integer() for t in ticks)


@pytest.mark.parametrize("signal_number", [2, 15])
def test_a_sweep_stopped_while_training_says_nothing_was_written(
    tmp_path, capsys, monkeypatch, signal_number
):
    import os
    import time

    import glassnet.cli.sweep_command as command

    def stopped(*args, **kwargs):  # the signal arrives while the members train
        os.kill(os.getpid(), signal_number)
        time.sleep(5)  # the handler raises KeyboardInterrupt here
        raise AssertionError("the signal did not stop the sweep")

    monkeypatch.setattr(command, "run_sweep", stopped)
    out = tmp_path / "sw"
    code = main(["sweep", *MOONS, "--lr", "0.1", "--out", str(out)])
    assert code == 128 + signal_number
    err = capsys.readouterr().err
    assert "nothing was written" in err and not out.exists()


def test_init_seed_is_the_seed_by_default_and_keeps_the_split(tmp_path):
    base = [*MOONS, "--seed", "3", "--progress", "off", "--out"]
    runs = {}
    seeds = {"plain": [], "same": ["--init-seed", "3"], "other": ["--init-seed", "5"]}
    for name, extra in seeds.items():
        assert main(["train", *base, str(tmp_path / name / "m.npz"), *extra]) == 0
        runs[name] = load_model(tmp_path / name / "m.npz")
    for a, b in zip(runs["plain"].params, runs["same"].params, strict=True):
        assert all(np.array_equal(a[k], b[k]) for k in a)  # the default: --seed's
    assert not np.array_equal(runs["plain"].params[0]["W"], runs["other"].params[0]["W"])
    np.testing.assert_array_equal(runs["plain"].scaler.mean, runs["other"].scaler.mean)  # split


def test_init_seed_does_not_apply_to_an_ensemble(tmp_path, capsys):
    argv = ["train", *MOONS, "--ensemble", "2", "--init-seed", "1", "--out",
            str(tmp_path / "e.npz")]  # fmt: skip
    assert main(argv) == 2
    assert "--init-seed does not apply to --ensemble" in capsys.readouterr().err


@pytest.mark.parametrize(("signal_number", "at_epoch"), [(2, 3), (15, 5), (2, 1)])
def test_a_sweep_stopped_by_a_signal_writes_each_members_best_so_far(
    tmp_path, capsys, monkeypatch, signal_number, at_epoch
):
    """The signal arrives at the end of epoch ``at_epoch`` (of 30): every member is written
    at its best epoch so far, marked interrupted, and one line says where; the oracle for
    the kept parameters is ``glassnet train`` stopped at the same epoch (``--epochs``)."""
    import os

    from glassnet.train.tracker import Tracker

    real = Tracker.epoch_end

    def epoch_end(self, epoch, loss, scores):
        watched = real(self, epoch, loss, scores)
        if epoch == at_epoch:
            os.kill(os.getpid(), signal_number)  # the handler raises KeyboardInterrupt here
        return watched

    monkeypatch.setattr(Tracker, "epoch_end", epoch_end)
    out = tmp_path / "sw"
    argv = [*MOONS[:-1], "30", "--lr", "0.05,0.1", "--seeds", "2", "--seed", "1"]
    assert main(["sweep", *argv, "--out", str(out)]) == 128 + signal_number
    said = capsys.readouterr()
    err = said.err
    assert "wrote the 4 members begun of 4" in err and str(out) in err
    with open(out / "results.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and {r["stop_reason"] for r in rows} == {"interrupted"}
    assert {int(r["epochs"]) for r in rows} == {at_epoch}
    monkeypatch.setattr(Tracker, "epoch_end", real)
    best = load_model(out / "best.npz")
    name = signal.Signals(signal_number).name
    assert best.settings["run"]["stop_reason"] == "interrupted"
    assert best.settings["run"]["signal"] == name  # as train's record (NU7 11)
    assert json.loads((out / "history.json").read_text())["signal"] == name
    command = best.settings["sweep"]["train"]  # as stored and printed, not edited (NU7 11)
    said_cut = f"up to its interruption after {at_epoch} of 30 epochs"
    assert f"best.npz (rank 1) is the run, {said_cut}" in said.out and command in said.out
    assert said_cut in best.settings["sweep"]["train_reproduces"]
    assert f"--epochs {at_epoch} " in command
    model, history = _train(tmp_path, command, "own")
    for a, b in zip(best.params, model.params, strict=True):
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-9, atol=1e-12)
    mine = json.loads((out / "history.json").read_text())
    for key in ("epoch", "kept_epoch", "best_epoch"):
        assert mine[key] == history[key], key
    np.testing.assert_allclose(mine["val_loss"], history["val_loss"], rtol=1e-9)
    assert (mine["stop_reason"], history["stop_reason"]) == ("interrupted", "completed")
