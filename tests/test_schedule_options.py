"""``glassnet train --schedule`` with its constants: each epoch's learning rate (history.json)
equals the formula the help states, computed here by hand from the constants (and, for
plateau, from the recorded monitored losses); constants a schedule does not use are
refused (exit code 2, one line); the constants are kept in the model file, a resumed run
with other constants is named as differing, and older files without them read as the
defaults."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from glassnet.cli.explain_update import optimizer_of
from glassnet.cli.main import main
from glassnet.cli.recipe import Recipe
from glassnet.cli.run_record import resumable
from glassnet.core.schedules import (
    Constant,
    ExponentialDecay,
    InverseScaling,
    ReduceOnPlateau,
    StepDecay,
    stored_schedule,
)
from glassnet.files.modelfile import load_model

MOONS = ["train", "--dataset", "moons", "--n-samples", "80", "--hidden", "3", "--epochs", "10",
         "--patience", "0", "--progress", "off"]  # fmt: skip


def _run(tmp_path, *options, name="m"):
    out = tmp_path / name / "m.npz"
    assert main([*MOONS, *options, "--out", str(out)]) == 0
    return json.loads((out.parent / "history.json").read_text()), out


def _plateau(losses, lr, factor, patience, threshold, min_lr):
    """The rates of epochs 1.. under the rule the help states (PyTorch's relative rule)."""
    rates, best, bad = [], math.inf, 0
    for loss in losses:
        rates.append(lr)
        if loss < best * (1 - threshold):
            best, bad = loss, 0
            continue
        bad += 1
        if bad > patience:
            lr, bad = max(lr * factor, min_lr), 0
    return rates


CLOSED_FORMS = {
    "step every 3, decay 0.7": (
        ["--schedule", "step", "--step-every", "3", "--lr-decay", "0.7", "--lr", "0.01"],
        lambda e: 0.01 * 0.7 ** ((e - 1) // 3),
    ),
    "step every 1, default decay": (
        ["--schedule", "step", "--step-every", "1", "--lr", "0.02"],
        lambda e: 0.02 * 0.5 ** (e - 1),
    ),
    "step, decay 1 (constant)": (
        ["--schedule", "step", "--lr-decay", "1", "--lr", "0.02"],
        lambda e: 0.02,
    ),
    "exponential, decay 0.8": (
        ["--schedule", "exponential", "--lr-decay", "0.8", "--lr", "0.05"],
        lambda e: 0.05 * 0.8 ** (e - 1),
    ),
    "invscaling, power 1": (
        ["--schedule", "invscaling", "--power-t", "1", "--lr", "0.06"],
        lambda e: 0.06 / e,
    ),
    "invscaling, power 0.25": (
        ["--schedule", "invscaling", "--power-t", "0.25", "--lr", "0.06"],
        lambda e: 0.06 / e**0.25,
    ),
    "invscaling, default power (1/sqrt(epoch))": (
        ["--schedule", "invscaling", "--lr", "0.06"],
        lambda e: 0.06 / math.sqrt(e),
    ),
}


@pytest.mark.parametrize("name", CLOSED_FORMS)
def test_each_epochs_rate_is_the_stated_formula(tmp_path, capsys, name):
    options, rate = CLOSED_FORMS[name]
    history, _ = _run(tmp_path, *options)
    assert history["epoch"] == list(range(11))
    expected = [rate(e) for e in range(1, 11)]
    np.testing.assert_allclose(history["learning_rate"][1:], expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("extra", "monitored"),
    [
        (["--lr-decay", "0.3", "--plateau-patience", "1", "--plateau-threshold", "0.2",
          "--plateau-min-lr", "0.002"], "val_loss"),  # fmt: skip
        (["--plateau-patience", "0", "--plateau-threshold", "0.1", "--lr-decay", "0.6"],
         "val_loss"),  # fmt: skip
        (["--val-fraction", "0", "--lr-decay", "0.4", "--plateau-patience", "1",
          "--plateau-threshold", "0.15", "--plateau-min-lr", "0.01"], "loss"),  # fmt: skip
    ],
)
def test_plateau_cuts_on_the_monitored_loss(tmp_path, capsys, extra, monitored):
    """Validation loss; with --val-fraction 0 the epoch's mean training loss."""
    history, _ = _run(tmp_path, "--schedule", "plateau", "--lr", "0.05", *extra)
    said = "--schedule plateau watches the training loss (each epoch's mean over its minibatches)"
    assert (said in capsys.readouterr().out) == (monitored == "loss")  # said when it does
    given = dict(zip(extra[::2], extra[1::2], strict=True))
    expected = _plateau(
        history[monitored][1:], 0.05, float(given.get("--lr-decay", 0.5)),
        int(given.get("--plateau-patience", 5)), float(given.get("--plateau-threshold", 1e-4)),
        float(given.get("--plateau-min-lr", 1e-6)),
    )  # fmt: skip
    assert min(expected) < 0.05  # the constants make it cut within 10 epochs
    np.testing.assert_allclose(history["learning_rate"][1:], expected, rtol=1e-12)
    if "--plateau-min-lr" in given:
        assert min(expected) == float(given["--plateau-min-lr"])  # the floor was reached


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--lr-decay", "0.5"], "--lr-decay does not apply without --schedule (a constant "
                                "rate) (--lr-decay is a constant of step, exponential and "
                                "plateau)"),  # fmt: skip
        (["--schedule", "constant", "--step-every", "3"], "--step-every does not apply to "
                                                           "--schedule constant"),  # fmt: skip
        (["--schedule", "step", "--power-t", "1"], "--power-t does not apply to --schedule step"),
        (["--schedule", "invscaling", "--lr-decay", "0.9"], "--lr-decay does not apply to "
                                                           "--schedule invscaling"),  # fmt: skip
        (["--schedule", "exponential", "--step-every", "2", "--plateau-patience", "1"],
         "--step-every and --plateau-patience do not apply to --schedule exponential"),
        (["--schedule", "step", "--plateau-min-lr", "1e-5"], "--plateau-min-lr does not apply"),
        (["--schedule", "plateau", "--lr", "0.01", "--plateau-min-lr", "0.01"],
         "--plateau-min-lr 0.01 is not below --lr 0.01"),
        (["--schedule", "step", "--lr-decay", "0"], "argument --lr-decay: expected a number in"),
        (["--schedule", "step", "--lr-decay", "1.5"], "expected a number in (0, 1], got 1.5"),
        (["--schedule", "step", "--step-every", "0"], "argument --step-every: expected a count"),
        (["--schedule", "invscaling", "--power-t", "-1"], "argument --power-t"),
        (["--schedule", "invscaling", "--power-t", "inf"], "argument --power-t"),
        (["--schedule", "plateau", "--plateau-threshold", "1"], "argument --plateau-threshold"),
        (["--schedule", "plateau", "--plateau-patience", "-2"], "argument --plateau-patience"),
        (["--schedule", "plateau", "--plateau-min-lr", "nan"], "argument --plateau-min-lr"),
    ],
)
@pytest.mark.parametrize("command", ["train", "sweep"])
def test_constants_that_do_not_apply_or_are_out_of_range_are_refused(
    tmp_path, capsys, options, said, command
):
    argv = [command, "--dataset", "moons", *options, "--out", str(tmp_path / "out")]
    try:
        code = main(argv)
    except SystemExit as exc:  # refused by the parser
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1, err
    assert list(tmp_path.iterdir()) == []


def test_the_constants_are_kept_and_a_resume_with_others_names_them(tmp_path, capsys):
    step = ["--schedule", "step", "--step-every", "3", "--lr-decay", "0.7"]
    _, out = _run(tmp_path, *step)
    settings = load_model(out).settings
    assert settings["schedule"] == "StepDecay"
    assert settings["schedule_settings"] == {"every": 3, "gamma": 0.7}
    assert stored_schedule(settings) == StepDecay(every=3, gamma=0.7)
    notes = " ".join(optimizer_of(load_model(out)).notes)  # glassnet explain --model's UPDATE
    assert "schedule StepDecay(every=3, gamma=0.7) changes it" in notes, notes
    capsys.readouterr()
    resume = [*MOONS, "--epochs", "12", "--out", str(out), "--resume"]
    cases = {
        ("--schedule", "step", "--step-every", "4", "--lr-decay", "0.7"):
            "(--step-every 3 in the checkpoint, now --step-every 4)",
        ("--schedule", "step", "--step-every", "3"):
            "(--lr-decay 0.7 in the checkpoint, now --lr-decay 0.5)",
        ("--schedule", "plateau", "--plateau-patience", "2"):
            "(--schedule step --step-every 3 --lr-decay 0.7 in the checkpoint, now --schedule "
            "plateau --plateau-patience 2)",
        (): "now --schedule constant)",
    }  # fmt: skip
    for change, named in cases.items():
        assert main([*resume, *change]) == 2
        said = capsys.readouterr()
        assert named in said.err and said.out == "", said.err
        assert len(said.err.strip().splitlines()) == 1
    assert main([*resume, *step]) == 0  # the same constants: resumed
    assert "resuming from epoch 10 (of at most 12)" in capsys.readouterr().out


def test_a_constant_run_keeps_no_schedule_settings(tmp_path, capsys):
    _, out = _run(tmp_path)
    settings = load_model(out).settings
    assert settings["schedule"] == "Constant" and "schedule_settings" not in settings
    assert stored_schedule(settings) == Constant()


@pytest.mark.parametrize(
    ("settings", "schedule"),
    [
        ({"schedule": "StepDecay"}, StepDecay(every=10, gamma=0.5)),  # before 0.2: defaults
        ({"schedule": "ExponentialDecay"}, ExponentialDecay(0.95)),
        ({"schedule": "InverseScaling"}, InverseScaling(power=0.5, per=1)),
        ({"schedule": "ReduceOnPlateau"}, ReduceOnPlateau(0.5, 5, 1e-4, 1e-6)),
        ({}, Constant()),
        ({"schedule": "ReduceOnPlateau", "schedule_settings": {"factor": 0.2, "patience": 1,
          "threshold": 0.01, "min_lr": 0.001}}, ReduceOnPlateau(0.2, 1, 0.01, 0.001)),  # fmt: skip
    ],
)
def test_older_settings_without_constants_read_as_the_defaults(settings, schedule):
    assert stored_schedule(settings) == schedule


def test_an_older_model_file_without_constants_loads(tmp_path, capsys):
    """A model file as written before 0.2 (settings without ``schedule_settings``)."""
    from glassnet.files.modelfile import save_model

    _, out = _run(tmp_path, "--schedule", "plateau")
    model = load_model(out)
    del model.settings["schedule_settings"]
    older = tmp_path / "older.npz"
    save_model(model, older)
    loaded = load_model(older)
    assert "schedule_settings" not in loaded.settings
    assert stored_schedule(loaded.settings) == ReduceOnPlateau()
    notes = " ".join(optimizer_of(loaded).notes)  # explain names the defaults it trained with
    defaults = "ReduceOnPlateau(factor=0.5, patience=5, threshold=0.0001, min_lr=1e-06)"
    assert f"schedule {defaults} changes it" in notes, notes


@pytest.mark.parametrize(
    ("schedule", "stored"),
    [
        (None, "Constant()"),
        (StepDecay(), "StepDecay(every=10, gamma=0.5)"),
        (ExponentialDecay(), "ExponentialDecay(gamma=0.95)"),
        (InverseScaling(), "InverseScaling(power=0.5, per=1)"),
        (ReduceOnPlateau(), "ReduceOnPlateau(factor=0.5, patience=5, threshold=0.0001, "
                            "min_lr=1e-06)"),  # fmt: skip
    ],
)
def test_checkpoints_of_default_constants_keep_their_fingerprint(schedule, stored):
    """A checkpoint's settings hold the schedule as its repr, as checkpoints written before
    the constants became options do; no ``schedule_settings`` enters the fingerprint, so
    those checkpoints still resume."""
    settings = resumable(Recipe(schedule=schedule), np.zeros((4, 2)), np.array([0, 1, 0, 1]))
    assert settings["schedule"] == stored and "schedule_settings" not in settings


def test_help_states_each_formula_and_default(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for phrase in ("step: LR * DECAY^floor((e-1)/EVERY)", "exponential: LR * DECAY^(e-1)",
                   "invscaling: LR / e^POWER_T (e counts epochs", "counts samples seen",
                   "plateau monitors the validation loss, or with --val-fraction 0 the epoch's "
                   "mean training loss", "(default: 0.5 for step, 0.95 for exponential, 0.5 "
                   "for plateau)", "(default: 10)", "(default: 1e-06)", "(default: 0.0001)"):
        assert phrase in text, phrase


@pytest.mark.parametrize("ensemble", ["1", "2"])
def test_without_validation_rows_the_run_says_plateau_watches_the_training_loss(
    tmp_path, capsys, ensemble
):
    argv = [*MOONS, "--epochs", "2", "--val-fraction", "0", "--ensemble", ensemble]
    assert main([*argv, "--schedule", "plateau", "--out", str(tmp_path / "p" / "m.npz")]) == 0
    assert "--schedule plateau watches the training loss" in capsys.readouterr().out
    assert main([*argv, "--schedule", "step", "--out", str(tmp_path / "s" / "m.npz")]) == 0
    assert "watches" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("options", "schedule"),
    [
        (["--schedule", "step", "--step-every", "3", "--lr-decay", "0.7"], StepDecay(3, 0.7)),
        (["--schedule", "invscaling", "--power-t", "0.25"], InverseScaling(power=0.25)),
        (["--schedule", "plateau", "--plateau-patience", "2"], ReduceOnPlateau(patience=2)),
    ],
)
def test_from_model_of_a_cli_model_takes_the_schedule_with_its_constants(
    tmp_path, capsys, options, schedule
):
    from glassnet.sklearn.estimators import MLPClassifier

    _, out = _run(tmp_path, *options)
    with pytest.warns(UserWarning, match="from_model"):  # the CLI's val_size, softmax head
        est = MLPClassifier.from_model(load_model(out))
    assert est.schedule == schedule
