"""``glassnet train --resume``: a finished (or stopped) run continued to more ``--epochs``
equals the run that was given those epochs from the start (the oracle: an uninterrupted
run, to 1e-12 on every loss and parameter), and a refusal names every setting that differs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from glassnet.cli import main
from glassnet.files.modelfile import load_model


@pytest.fixture
def regression_csv(tmp_path):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(80, 3))
    y = 3e4 * X[:, 0] - 2e4 * X[:, 1] ** 2 + 1e3 * rng.normal(size=80) + 5e4
    lines = ["a,b,c,price"] + [f"{a},{b},{c},{t}" for (a, b, c), t in zip(X, y, strict=True)]
    path = tmp_path / "prices.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(out, argv, epochs, *extra):
    out.parent.mkdir(parents=True, exist_ok=True)
    args = [*argv, "--epochs", str(epochs), "--progress", "off", "--out", str(out), *extra]
    assert main(args) == 0
    return load_model(out), json.loads((out.parent / "history.json").read_text())


def _assert_same_run(a, b):
    (model_a, history_a), (model_b, history_b) = a, b
    for pa, pb in zip(model_a.params, model_b.params, strict=True):
        for k in pa:
            np.testing.assert_allclose(pa[k], pb[k], rtol=1e-12, atol=1e-12)
    assert history_a["epoch"] == history_b["epoch"]
    for key in ("loss", "val_loss", "accuracy", "val_accuracy", "learning_rate"):
        x = np.array(history_a[key], dtype=float)
        y = np.array(history_b[key], dtype=float)
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12, equal_nan=True)
    for key in ("kept_epoch", "best_epoch", "stop_reason"):
        assert history_a[key] == history_b[key], key
    for split, score in history_b["final"].items():
        assert history_a["final"][split]["loss"] == pytest.approx(score["loss"], rel=1e-12)


MOONS = ["train", "--dataset", "moons", "--n-samples", "160", "--hidden", "6"]

VARIANTS = {
    "adam, minibatches, default patience": (MOONS, ()),
    "momentum, full batch, step schedule": (
        MOONS,
        ("--optimizer", "momentum", "--lr", "0.2", "--batch-size", "0", "--schedule", "step"),
    ),
    "sgd, plateau schedule, no early stopping": (
        MOONS,
        ("--optimizer", "sgd", "--lr", "0.1", "--schedule", "plateau", "--patience", "0"),
    ),
    "sgd, plateau with its constants, no early stopping": (
        MOONS,
        ("--optimizer", "sgd", "--lr", "0.2", "--schedule", "plateau", "--patience", "0",
         "--lr-decay", "0.3", "--plateau-patience", "1", "--plateau-threshold", "0.05"),
    ),
    "all rows (--val-fraction 0), float32": (
        MOONS,
        ("--val-fraction", "0", "--dtype", "float32", "--batch-size", "16"),
    ),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_a_finished_run_resumed_to_more_epochs_equals_the_longer_run(tmp_path, capsys, name):
    argv, extra = VARIANTS[name]
    whole = _run(tmp_path / "whole" / "m.npz", argv, 14, *extra)
    out = tmp_path / "parts" / "m.npz"
    _run(out, argv, 6, *extra)
    first = capsys.readouterr().out
    assert f"kept the run's state in {out.with_name('m.ckpt.npz')}" in first
    resumed = _run(out, argv, 14, *extra, "--resume")
    assert "resuming from epoch 6 (of at most 14)" in capsys.readouterr().out
    _assert_same_run(resumed, whole)


def test_a_regression_run_resumed_twice_equals_the_longer_run(tmp_path, capsys, regression_csv):
    """Losses in the targets' units (about 1e8 here), scaled once, however many resumes."""
    argv = ["train", "--data", str(regression_csv), "--target", "price", "--hidden", "5"]
    whole = _run(tmp_path / "whole" / "m.npz", argv, 12, "--patience", "0")
    out = tmp_path / "parts" / "m.npz"
    for epochs in (3, 7):
        _run(out, argv, epochs, "--patience", "0", *(["--resume"] if epochs == 7 else []))
    resumed = _run(out, argv, 12, "--patience", "0", "--resume")
    assert "resuming from epoch 7 (of at most 12)" in capsys.readouterr().out
    _assert_same_run(resumed, whole)


def test_an_early_stopped_run_resumed_to_more_epochs_stays_as_the_longer_run_ends(tmp_path, capsys):
    argv = [*MOONS, "--lr", "0.3", "--patience", "2"]
    whole = _run(tmp_path / "whole" / "m.npz", argv, 200)
    assert whole[1]["stop_reason"] == "early stopping"  # the longer run stops early too
    stopped_at = whole[1]["epoch"][-1]
    out = tmp_path / "parts" / "m.npz"
    _run(out, argv, 150)  # also stops early, at the same epoch
    resumed = _run(out, argv, 200, "--resume")
    said = capsys.readouterr().out
    assert f"resuming from epoch {stopped_at} (of at most 200)" in said
    assert f"ended at epoch {stopped_at} by early stopping, so more --epochs train nothing" in said
    assert "--resume with more --epochs continues it" not in said  # the first run's hint
    _assert_same_run(resumed, whole)


@pytest.mark.parametrize("patience", ["0", "50"])
def test_only_a_run_that_reached_its_epochs_is_said_to_continue(tmp_path, capsys, patience):
    out = tmp_path / "m.npz"
    _run(out, [*MOONS, "--lr", "0.3", "--patience", patience], 12)
    said = capsys.readouterr().out
    assert "completed" in json.loads((tmp_path / "history.json").read_text())["stop_reason"]
    assert "--resume with more --epochs continues it" in said


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (["--lr", "0.01", "--hidden", "7"], ["--lr 0.003 in the", "--hidden 6 in the"]),
        (["--optimizer", "sgd", "--batch-size", "8"], ["--optimizer adam", "--batch-size 32"]),
        (["--schedule", "step", "--seed", "3"], ["--schedule constant in", "--seed 0 in the"]),
        (["--n-samples", "170"], ["the data (160 samples x 2 features"]),
    ],
)
def test_a_refused_resume_names_every_setting_that_differs(tmp_path, capsys, change, named):
    out = tmp_path / "m.npz"
    _run(out, MOONS, 3)
    capsys.readouterr()
    argv = [*MOONS, "--epochs", "6", "--progress", "off", "--out", str(out), "--resume"]
    assert main([*argv, *change]) == 2  # a usage error: the arguments differ from the run's
    said = capsys.readouterr()
    assert said.out == ""  # refused before anything is printed ("training on ...")
    err = said.err
    assert len(err.strip().splitlines()) == 1 and "epochs" not in err.split("settings")[1]
    for setting in named:
        assert setting in err, err


@pytest.mark.parametrize("earlier", ["nothing", "a model", "another run's checkpoint"])
def test_resume_without_a_checkpoint_is_refused_saying_where_it_looked(tmp_path, capsys, earlier):
    out = tmp_path / "m.npz"
    if earlier == "a model":  # an ensemble's model: it keeps no checkpoint
        ens = [*MOONS, "--progress", "off", "--ensemble", "2", "--out", str(out)]
        assert main(ens) == 0
    elif earlier == "another run's checkpoint":
        assert main([*MOONS, "--progress", "off", "--out", str(tmp_path / "o.npz")]) == 0
    capsys.readouterr()
    assert main([*MOONS, "--progress", "off", "--out", str(out), "--resume"]) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1  # before any work
    assert f"{tmp_path / 'm.ckpt.npz'}: no checkpoint to resume from" in said.err


@pytest.mark.parametrize(("first", "then"), [(6, 4), (6, 0), (3, 2)])
def test_resuming_to_fewer_epochs_than_the_checkpoint_holds_is_refused(
    tmp_path, capsys, first, then
):
    """The longer run cannot be cut back to the shorter one: exit 2, one line, the model
    and its checkpoint as they were."""
    out = tmp_path / "m.npz"
    _run(out, MOONS, first)
    before = out.read_bytes()
    capsys.readouterr()
    argv = [*MOONS, "--epochs", str(then), "--progress", "off", "--out", str(out), "--resume"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"already holds {first} epochs" in err, err
    assert out.read_bytes() == before


def test_resuming_a_finished_run_to_the_same_epochs_gives_the_same_run(tmp_path, capsys):
    """Nothing left to train: the same model and record, written again."""
    out = tmp_path / "m.npz"
    first = _run(out, MOONS, 4)
    again = _run(out, MOONS, 4, "--resume")
    assert "resuming from epoch 4 (of at most 4)" in capsys.readouterr().out
    _assert_same_run(again, first)


@pytest.mark.parametrize("epochs", ["1", "2"])
def test_fewer_epochs_than_the_checkpoint_holds_is_refused_before_any_output(
    tmp_path, capsys, epochs
):
    out = tmp_path / "m.npz"
    _run(out, MOONS, 3)
    capsys.readouterr()
    argv = [*MOONS, "--epochs", epochs, "--progress", "off", "--out", str(out), "--resume"]
    assert main(argv) == 2
    said = capsys.readouterr()
    assert said.out == "" and "already holds 3 epochs" in said.err


def test_a_damaged_checkpoint_is_bad_input_not_a_usage_error(tmp_path, capsys):
    out = tmp_path / "m.npz"
    _run(out, MOONS, 3)
    (tmp_path / "m.ckpt.npz").write_bytes(b"PK\x03\x04 not a zip")
    capsys.readouterr()
    argv = [*MOONS, "--epochs", "6", "--progress", "off", "--out", str(out), "--resume"]
    assert main(argv) == 1
    said = capsys.readouterr()
    assert said.out == "" and "checkpoint" in said.err


@pytest.mark.parametrize("stop_at", [1, 2, 3])
def test_an_interrupted_run_keeps_a_checkpoint_that_resume_continues_to_the_same_run(
    tmp_path, capsys, monkeypatch, stop_at
):
    """A signal in epoch ``stop_at`` (before the first epoch ends too: epoch 0, the
    initialization, is kept) leaves the model of the last completed epoch and its
    checkpoint; --resume continues it to the run that was never stopped (the oracle)."""
    from _interrupt import stop_in_epoch

    whole = _run(tmp_path / "whole" / "m.npz", [*MOONS, "--patience", "0"], 6)
    stop_in_epoch(monkeypatch, stop_at)
    out = tmp_path / "m.npz"
    argv = [*MOONS, "--patience", "0", "--epochs", "6", "--progress", "off", "--out", str(out)]
    assert main(argv) == 130
    err = capsys.readouterr().err
    checkpoint = tmp_path / "m.ckpt.npz"
    assert checkpoint.is_file() and load_model(out).settings["run"]["epochs"] == stop_at - 1
    assert f"the checkpoint {checkpoint} lets --resume continue the run" in err
    if stop_at == 1:
        assert "before epoch 1 ended: saved the initial parameters (epoch 0)" in err
    monkeypatch.undo()
    assert main([*argv, "--resume"]) == 0
    assert f"resuming from epoch {stop_at - 1}" in capsys.readouterr().out
    resumed = load_model(out), json.loads((tmp_path / "history.json").read_text())
    _assert_same_run(resumed, whole)




@pytest.mark.parametrize("patience", [None, 3])
def test_a_signal_before_the_loop_began_keeps_epoch_0_and_resume_continues(tmp_path, patience):
    """A signal while the run is set up (the data announced, epoch 0 being scored) keeps the
    initialization as epoch 0 and a checkpoint; --resume then gives the uninterrupted run."""
    from glassnet.cli.workflow import Recipe, RunStopped, train_model
    from glassnet.data.datasets import load_dataset
    from glassnet.train.loop import TrainingInterrupted

    X, y = load_dataset("moons", np.random.default_rng(0), 160)
    recipe = Recipe(hidden=(6,), epochs=5, patience=patience)
    checkpoint = tmp_path / "m.ckpt.npz"

    def a_signal():
        raise KeyboardInterrupt

    with pytest.raises(RunStopped) as stopped:
        train_model(X, y, recipe, checkpoint=checkpoint, announce=a_signal)
    stop = stopped.value
    assert isinstance(stop.cause, TrainingInterrupted) and stop.resumable and checkpoint.is_file()
    run = stop.model.settings["run"]
    assert (run["epochs"], run["kept_epoch"], run["stop_reason"]) == (0, 0, "interrupted")
    assert run["final"]["train"]["loss"] == pytest.approx(run["initial_loss"], rel=1e-12)
    resumed = train_model(X, y, recipe, checkpoint=checkpoint, resume=True)
    whole = train_model(X, y, recipe)
    got, want = resumed.result.history.as_dict(), whole.result.history.as_dict()
    assert {k: v for k, v in got.items() if k != "seconds"} == {
        k: v for k, v in want.items() if k != "seconds"
    }
    for got, want in zip(resumed.model.params, whole.model.params, strict=True):
        for k in got:
            np.testing.assert_array_equal(got[k], want[k])


def test_a_resumed_runs_landscape_says_which_epochs_its_path_holds(tmp_path, capsys):
    """The parameters of the epochs before a resume are not in the checkpoint: the report's
    landscape says so, names them, and draws no line across them; an uninterrupted run's
    report says nothing of the kind."""
    import html
    import re

    whole = tmp_path / "whole" / "m.npz"
    _run(whole, MOONS, 14, "--patience", "0")
    out = tmp_path / "parts" / "m.npz"
    _run(out, MOONS, 6, "--patience", "0")
    _run(out, MOONS, 14, "--patience", "0", "--resume")

    def landscape_text(model):
        page = html.unescape((model.parent / "report.html").read_text())
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))

    resumed, uninterrupted = landscape_text(out), landscape_text(whole)
    assert "the path holds no parameters of epochs 1 to 6" in resumed
    assert "of the recorded path's variance" in resumed
    assert "holds no parameters" not in uninterrupted and "recorded path" not in uninterrupted
    assert "of the path's variance" in uninterrupted


def test_the_observer_notes_the_epochs_it_never_saw():
    from types import SimpleNamespace

    from glassnet.core.network import Network
    from glassnet.views.run_report import Observer

    net = Network.mlp([2, 3, 2], "tanh", "softmax")
    params = net.init(np.random.default_rng(0))
    like = SimpleNamespace(net=net)  # the observer reads only the network of its model
    X, T = np.ones((4, 2)), np.eye(2)[[0, 1, 0, 1]]
    seen = Observer(like, X, T)
    seen.observe(params, 0)
    for epoch in (7, 8, 9):
        seen.observe(params, epoch)
    assert seen.epochs == [0, 7, 8, 9] and seen.unseen == (1, 6)
    straight = Observer(like, X, T)
    for epoch in range(5):
        straight.observe(params, epoch)
    assert straight.unseen is None


def test_the_landscape_draws_no_line_across_the_cut():
    from glassnet.views.figures import plot_landscape
    from glassnet.views.landscape import LossSlice

    grid = np.linspace(-1, 1, 5)
    path = np.array([[0.9, 0.9], [-0.5, 0.1], [-0.4, 0.0], [0.0, 0.0]])
    s = LossSlice(grid, grid, np.ones((5, 5)) + grid[None] ** 2, path, ("a", "b"))
    for cut, parts in ((None, [4]), (1, [1, 3])):
        ax = plot_landscape(s, cut=cut).axes[0]
        cyan = [ln for ln in ax.lines if ln.get_color() == "cyan"]
        assert [len(ln.get_xdata()) for ln in cyan] == parts
        joined = [list(zip(ln.get_xdata(), ln.get_ydata(), strict=True)) for ln in cyan]
        assert [tuple(p) for p in path.tolist()] == [p for part in joined for p in part]
