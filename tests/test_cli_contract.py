"""The command line keeps its word: documented exit codes, every default in --help, options
that do not apply refused, one way to name the model, resume, quiet closed pipes."""

import argparse
import fcntl
import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from _interrupt import interrupt_at

from glassnet.cli.main import EXIT_CODES, build_parser, main


@pytest.fixture
def csv_data(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 2))
    label = np.where(X[:, 0] > 0, "up", "down")
    lines = ["x,y,label"] + [f"{a},{b},{t}" for (a, b), t in zip(X, label, strict=True)]
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def model(tmp_path, csv_data, capsys):
    out = tmp_path / "m" / "model.npz"
    argv = ["train", "--data", str(csv_data), "--target", "label", "--hidden", "4", "--epochs", "3"]
    assert main([*argv, "--progress", "off", "--out", str(out)]) == 0
    capsys.readouterr()
    return out


def _code(argv):
    try:
        return main(argv)
    except SystemExit as exc:  # refused by the parser
        return exc.code


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--dataset", "xor", "--momentum", "0.5"], "--momentum does not apply"),
        (["train", "--dataset", "xor", "--optimizer", "sgd", "--momentum", "0.5"], "sgd"),
        (["train", "--data", "d.csv", "--target", "y", "--n-samples", "50"], "--n-samples"),
        (["train", "--dataset", "xor", "--target", "y"], "--target does not apply"),
        (["train", "--dataset", "xor", "--val-fraction", "0", "--patience", "5"], "--patience"),
        (["train", "--data", "d.csv"], "--target COLUMN is needed"),
        (["train", "--dataset", "xor", "--hidden", "64,,32"], "64,,32"),
        (["train", "--dataset", "xor", "--hidden", "64,"], "64,"),
        (["train", "--dataset", "xor", "--hidden", ",8"], ",8"),
        (["train", "--dataset", "xor", "--preset", "digits"], "--preset"),
        (["explain", "--row", "3"], "--row does not apply without --model"),
        (["explain", "--data", "d.csv", "--target", "y"], "--data and --target do not apply"),
        (["explain", "--model", "m.npz", "--data", "d.csv", "--at", "check"], "--at"),
        (["report", "--data", "d.csv"], "the model is needed"),
        (["report", "a.npz", "--model", "b.npz", "--data", "d.csv"], "named twice"),
        (["export-onnx", "a.npz", "a.onnx", "--out", "b.onnx"], "named twice"),
        (["train", "--dataset", "xor", "--lr", "-1"], "--lr: expected a number in (0, inf)"),
        (["train", "--dataset", "xor", "--lr", "0"], "--lr"),
        (["export-onnx", "m.npz", "m.onnx", "--opset", "12"], "--opset: expected an ONNX opset"),
        (["train", "--data", "d.csv", "--target", "y", "--drop", "a,y"], "--drop names the target"),
        (["train", "--data", "d.csv", "--target", "y", "--features", "y"], "--features names"),
        (["sweep", "--data", "d.csv", "--target", "y", "--drop", "y"], "--drop names the target"),
        (["train", "--dataset", "xor", "--lr", "nan"], "--lr"),
        (["train", "--dataset", "xor", "--lr", "fast"], "--lr: expected a number"),
        (["train", "--dataset", "xor", "--weight-decay", "-1"], "--weight-decay"),
        (["train", "--dataset", "xor", "--weight-decay", "inf"], "--weight-decay"),
        (["train", "--dataset", "xor", "--optimizer", "momentum", "--momentum", "1"], "[0, 1)"),
        (["train", "--dataset", "xor", "--optimizer", "momentum", "--momentum", "-0.1"], "--mom"),
        (["train", "--data", "d.csv", "--target", "y", "--features", "a", "--drop", "b"], "--drop"),
        (["playground", "--port", "99999"], "expected a port from 0 to 65535"),
        (["playground", "--port", "-1"], "--port"),
        (["train", "--data", "d.csv", "--target", "y", "--features", "a,,b"], "'a,,b'"),
        (["train", "--data", "d.csv", "--target", "y", "--features", "a,"], "--features"),
        (["train", "--data", "d.csv", "--target", "y", "--drop", ","], "none empty"),
        (["sweep", "--data", "d.csv", "--target", "y", "--drop", "id,,"], "--drop"),
        (["sweep", "--dataset", "xor", "--lr", "1e-3,,1e-2"], "--lr"),
        (["sweep", "--dataset", "xor", "--lr", "1e-3,"], "--lr"),
        (["sweep", "--dataset", "xor", "--weight-decay", "0,-1"], "--weight-decay"),
        (["sweep", "--dataset", "xor", "--hidden", "8/"], "--hidden"),
        (["sweep", "--dataset", "xor", "--momentum", "0.5"], "--momentum does not apply"),
        (["sweep", "--dataset", "xor", "--target", "y"], "--target does not apply"),
        (["sweep", "--data", "d.csv", "--target", "y", "--n-samples", "9"], "--n-samples"),
        (["sweep", "--data", "d.csv"], "--target COLUMN is needed"),
        (["demo", "--every", "-1"], "--every: expected a non-negative integer"),
        (["demo", "--starts", "-2"], "--starts"),
        (["gradcheck", "--eps", "0"], "--eps: expected a number in (0, inf)"),
        (["gradcheck", "--eps", "nan"], "--eps"),
        (["gradcheck", "--rtol", "-1"], "--rtol"),
        (["gradcheck", "--atol", "inf"], "--atol"),
        (["explain", "--model", "m.npz", "--data", "d.csv", "--row", "-1"], "--row"),
        (["sweep", "--dataset", "xor", "--seeds", "x"], "--seeds: expected a count of at least 1"),
        (["train", "--dataset", "xor", "--epochs", "1.5"], "--epochs: expected a non-negative"),
        (["train", "--dataset", "xor", "--ensemble", "two"], "--ensemble: expected a count"),
        (["explain", "--rows", "many"], "--rows: expected a count of at least 1, got 'many'"),
    ],
)
def test_arguments_that_do_not_fit_exit_2_with_one_line(argv, message, capsys):
    assert _code(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err


def test_momentum_is_taken_where_it_applies(tmp_path, capsys):
    out = tmp_path / "m.npz"
    argv = ["train", "--dataset", "xor", "--optimizer", "momentum", "--momentum", "0.5"]
    assert main([*argv, "--epochs", "2", "--progress", "off", "--out", str(out)]) == 0


def test_every_option_names_its_default_and_the_exit_codes_are_documented(capsys):
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if action.help in (None, argparse.SUPPRESS) or isinstance(action, argparse._HelpAction):
                continue
            if "default" not in action.help and "required" not in action.help:
                missing.append(f"{name} {action.option_strings}")
    assert not missing, missing
    text = " ".join(parser.format_help().split())
    for code, meaning in EXIT_CODES.items():
        assert f"{code} {meaning}" in text


def test_glassnet_alone_prints_the_help(capsys):
    assert main([]) == 0
    assert "usage: glassnet" in capsys.readouterr().out
    done = subprocess.run([sys.executable, "-m", "glassnet"], capture_output=True, text=True)
    assert done.returncode == 0 and "COMMAND" in done.stdout and done.stderr == ""


class _ClosedPipe(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("argv", [["explain"], ["gradcheck"], ["--help-free", "predict"]])
def test_a_closed_pipe_ends_quietly(argv, model, csv_data, capsys, monkeypatch):
    if argv[0] == "--help-free":
        argv = ["predict", "--model", str(model), "--data", str(csv_data)]
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(argv) == 141
    assert capsys.readouterr().err == ""


def test_a_closed_pipe_in_a_real_pipe_is_quiet():
    code = (
        "import sys; from glassnet.cli.main import main; sys.exit(main(['explain','--rows','20']))"
    )
    read_end, write_end = os.pipe()
    # A one-page pipe: explain's ~6 KB cannot all fit, so the writer meets the closed end
    # whatever the timing (with Linux's default 64 KB it could finish before the close).
    fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), 4096)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stdout:
        stdout.readline()  # like `| head -1`, then the reader goes away
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait() == 141
    assert "Broken pipe" not in err and "Traceback" not in err


@pytest.mark.parametrize("form", ["flag", "positional"])
def test_every_command_names_the_model_with_model(form, model, csv_data, tmp_path, capsys):
    pytest.importorskip("onnx")
    named = ["--model", str(model)] if form == "flag" else [str(model)]
    onnx_out = tmp_path / f"{form}.onnx"
    data = ["--data", str(csv_data)]
    for argv in (
        ["predict", *named, *data],
        ["evaluate", *named, *data, "--target", "label"],
        ["report", *named, *data, "--out", str(tmp_path / f"{form}.html")],
        ["explain", "--model", str(model), *data],
        ["export-onnx", *named, "--out", str(onnx_out)],
    ):
        if form == "positional" and argv[0] in ("predict", "evaluate", "explain"):
            continue  # these never had a positional form
        assert main(argv) == 0, argv
    assert onnx_out.is_file()
    assert main(["export-onnx", str(model), str(tmp_path / "old.onnx")]) == 0  # the older form


def test_val_fraction_0_trains_on_every_row_and_says_so(tmp_path, csv_data, capsys):
    out = tmp_path / "all.npz"
    argv = ["train", "--data", str(csv_data), "--target", "label", "--val-fraction", "0"]
    assert main([*argv, "--epochs", "4", "--progress", "off", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "no validation set (--val-fraction 0)" in text and "early stopping is off" in text
    assert "train: 80 samples" in text and "validation" not in text.split("no validation")[1]
    history = json.loads((tmp_path / "history.json").read_text())
    assert history["kept_epoch"] == 4 and set(history["val_loss"]) == {None}


def test_patience_0_keeps_the_last_epoch_even_when_an_earlier_one_was_better(tmp_path, capsys):
    rng = np.random.default_rng(0)  # labels without signal: the validation loss only rises
    rows = [
        f"{a},{b},{c},{t}"
        for (a, b, c), t in zip(rng.normal(size=(80, 3)), rng.choice(["a", "b"], 80), strict=True)
    ]
    (tmp_path / "noise.csv").write_text("p,q,r,label\n" + "\n".join(rows) + "\n")
    argv = ["train", "--data", str(tmp_path / "noise.csv"), "--target", "label", "--hidden", "32"]
    argv += ["--lr", "0.05", "--epochs", "30", "--patience", "0", "--progress", "off"]
    assert main([*argv, "--out", str(tmp_path / "m.npz")]) == 0
    history = json.loads((tmp_path / "history.json").read_text())
    assert history["kept_epoch"] == 30 and history["stop_reason"] == "completed"
    assert history["best_epoch"] < 30  # an earlier epoch was better, and was not kept
    assert "no early stopping (--patience 0): the last epoch is kept" in capsys.readouterr().out


def _interrupted_run(tmp_path, csv_data, epochs):
    """A run of ``epochs`` interrupted in epoch 2, leaving the checkpoint of epoch 1."""
    from glassnet.cli.workflow import Recipe, RunStopped, train_model
    from glassnet.data.tables import load_table

    table = load_table(csv_data, "label")
    out = tmp_path / "r" / "model.npz"
    out.parent.mkdir()
    checkpoint = out.with_name("model.ckpt.npz")
    recipe = Recipe(hidden=(4,), epochs=epochs, patience=None)
    with pytest.raises(RunStopped):
        train_model(table.X, table.y, recipe, table.feature_names, (interrupt_at(2),), checkpoint)
    return out


def test_resume_may_raise_epochs_and_says_where_it_starts(tmp_path, csv_data, capsys):
    out = _interrupted_run(tmp_path, csv_data, 5)
    argv = ["train", "--data", str(csv_data), "--target", "label", "--hidden", "4"]
    argv += ["--patience", "0", "--progress", "lines", "--out", str(out), "--resume"]
    assert main([*argv, "--epochs", "8"]) == 0
    captured = capsys.readouterr()
    assert "resuming from epoch 1 (of at most 8)" in captured.out  # epoch 2 never ended
    history = json.loads((out.parent / "history.json").read_text())
    assert history["epoch"] == list(range(9))
    assert "epoch 2/8" in captured.err and "epoch 1/8" not in captured.err


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (["--lr", "0.01"], "--lr 0.003 in the checkpoint, now --lr 0.01"),
        (["--hidden", "5,3"], "--hidden 4 in the checkpoint, now --hidden 5,3"),
        (
            ["--patience", "5"],  # the run began with --patience 0: said so, not "None"
            "--patience 0 (no early stopping) in the checkpoint, now --patience 5",
        ),
        (["--batch-size", "0"], "--batch-size 32 in the checkpoint, now --batch-size 0 (full"),
        (["--schedule", "step"], "--schedule constant in the checkpoint, now --schedule step"),
        (["--no-standardize"], "in the checkpoint, now --no-standardize"),
        (["--weight-decay", "0.5"], "--weight-decay 0.0 in the checkpoint, now --weight-decay"),
        (["--test-fraction", "0.2"], "--test-fraction 0 (none) in the checkpoint, now --test-f"),
    ],
)
def test_resume_names_the_settings_that_differ(tmp_path, csv_data, capsys, change, named):
    out = _interrupted_run(tmp_path, csv_data, 5)
    argv = ["train", "--data", str(csv_data), "--target", "label", "--hidden", "4"]
    argv += ["--patience", "0", "--progress", "off", "--out", str(out), "--resume"]
    assert main([*argv, *change]) == 2  # the arguments differ: a usage error, before output
    said = capsys.readouterr()
    err = said.err
    assert named in err and len(err.strip().splitlines()) == 1 and said.out == ""
    assert "None" not in err and "_" not in err.partition("other settings")[2]  # no field names


@pytest.mark.parametrize("extra", [["--patience", "2", "--lr", "0.3"], ["--epochs", "7"]])
def test_the_last_epoch_is_printed(tmp_path, capsys, extra):
    out = tmp_path / "m.npz"
    argv = ["train", "--dataset", "moons", "--n-samples", "60", "--epochs", "200"]
    assert main([*argv, *extra, "--progress", "lines", "--out", str(out)]) == 0
    last = json.loads((tmp_path / "history.json").read_text())["epoch"][-1]
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].split("/")[0].split() == ["epoch", str(last)]


@pytest.mark.parametrize("standardize", [True, False])
def test_explain_model_labels_its_inputs_and_rows_means_shown(tmp_path, csv_data, standardize):
    import contextlib

    out = tmp_path / f"s{standardize}" / "model.npz"
    argv = ["train", "--data", str(csv_data), "--target", "label", "--hidden", "4"]
    argv += ["--epochs", "3", "--progress", "off", "--out", str(out)]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(argv + ([] if standardize else ["--no-standardize"])) == 0
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        args = ["explain", "--model", str(out), "--data", str(csv_data), "--row", "5"]
        main([*args, "--rows", "2"])
    text = text.getvalue()
    label = "standardized inputs (x - mean) / std" if standardize else "input samples as stored"
    assert label in text and "rows 5-79 of" in text
    assert "(numbers for the first 2 samples)" in text and "N = 75 samples" in text
    assert "UPDATE (Adam: μ = learning_rate = 0.003" in text


def test_an_npz_with_x_and_y_needs_no_target(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    np.savez(tmp_path / "d.npz", X=X, y=(X[:, 0] > 0).astype(int))
    out = tmp_path / "m" / "model.npz"
    argv = ["train", "--data", str(tmp_path / "d.npz"), "--epochs", "2", "--progress", "off"]
    assert main([*argv, "--out", str(out)]) == 0
    assert out.exists() and "classification" in capsys.readouterr().out


def test_sweep_takes_momentum_where_it_applies(capsys):
    from glassnet.cli.checks import check_arguments

    args = build_parser().parse_args(["sweep", "--dataset", "xor", "--optimizer", "nesterov"])
    check_arguments(args)
    assert args.momentum == (0.9,)  # the default
    argv = ["sweep", "--dataset", "xor", "--optimizer", "momentum", "--momentum", "0.5,0.8"]
    args = build_parser().parse_args(argv)
    check_arguments(args)
    assert args.momentum == (0.5, 0.8)


@pytest.mark.parametrize(
    "argv",
    [
        ["predict", "--model", "m.npz", "--data", "{data}", "--out", "{data}"],
        ["predict", "--model", "m.npz", "--data", "{data}", "--out", "m.npz"],
        ["train", "--data", "{data}", "--target", "y", "--out", "./{data}"],
        ["report", "--model", "m.npz", "--data", "{data}", "--target", "y", "--out", "{link}"],
        ["export-onnx", "m.npz", "m.npz"],
        ["train", "--data", "{data}", "--target", "y", "--out", "runs"],
        ["predict", "--model", "m.npz", "--data", "{data}", "--out", "runs"],
        ["export-onnx", "m.npz", "runs/"],
    ],
)
def test_an_output_that_is_an_input_file_or_a_folder_is_refused(
    argv, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.csv").write_text("x,y\n1,0\n2,1\n")
    (tmp_path / "m.npz").write_bytes(b"model bytes")
    (tmp_path / "link.csv").symlink_to(tmp_path / "d.csv")
    (tmp_path / "runs").mkdir()
    argv = [a.format(data="d.csv", link="link.csv") for a in argv]
    assert _code(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "it would be replaced" in err or "is a folder" in err, err
    assert list((tmp_path / "runs").iterdir()) == []
    assert (tmp_path / "d.csv").read_text() == "x,y\n1,0\n2,1\n"
    assert (tmp_path / "m.npz").read_bytes() == b"model bytes"


@pytest.mark.parametrize(
    ("argv", "unknown"),
    [
        (["evaluate", "--model", "m.npz", "--data", "d.csv", "--target", "y", "--proba"],
         "--proba"),
        (["train", "--dataset", "xor", "--optimizer", "sgd", "--beta1", "0.5"], "--beta1 0.5"),
        (["predict", "--model", "m.npz", "--data", "d.csv", "--nope"], "--nope"),
        (["sweep", "--dataset", "xor", "--lr", "0.1", "--patience-x", "2"], "--patience-x 2"),
        (["demo", "--every", "0", "--seed", "1"], "--seed 1"),
        (["gradcheck", "--epochs", "3"], "--epochs 3"),
    ],
)
def test_an_unknown_option_is_named_by_its_commands_parser(argv, unknown, capsys):
    """argparse leaves an option the command lacks to the top-level parser, which blamed
    ``glassnet`` and pointed to ``glassnet --help`` (which lists no options)."""
    assert _code(argv) == 2
    said = capsys.readouterr()
    assert said.out == "" and said.err == (
        f"glassnet {argv[0]}: error: unrecognized arguments: {unknown} "
        f"(see glassnet {argv[0]} --help)\n"
    )


def test_an_unknown_option_before_any_command_is_glassnets(capsys):
    assert _code(["--bogus"]) == 2
    assert capsys.readouterr().err == (
        "glassnet: error: unrecognized arguments: --bogus (see glassnet --help)\n"
    )


@pytest.mark.parametrize("command", ["predict", "evaluate", "report", "export-onnx"])
def test_the_usage_line_shows_the_required_model_as_required(command, capsys):
    assert _code([command, "--help"]) == 0
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert " --model MODEL.npz" in usage and "[--model" not in usage, usage
    rest = {"predict": ["--data", "d.csv"], "evaluate": ["--data", "d.csv", "--target", "y"],
            "report": ["--data", "d.csv"], "export-onnx": []}[command]  # fmt: skip
    assert _code([command, *rest]) == 2  # and it is required
    assert "the model is needed: --model MODEL.npz" in capsys.readouterr().err


def test_explains_model_stays_optional_in_its_usage(capsys):
    assert _code(["explain", "--help"]) == 0
    assert "[--model MODEL.npz]" in capsys.readouterr().out


@pytest.fixture
def array_files(tmp_path):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 4)), rng.integers(0, 2, 40)
    np.savez(tmp_path / "xy.npz", X=X, y=y)
    np.save(tmp_path / "m.npy", np.c_[X, y])
    return tmp_path


@pytest.mark.parametrize(
    ("command", "data", "columns"),
    [
        ("train", "xy.npz", ["--target", "y", "--features", "foo"]),
        ("train", "xy.npz", ["--target", "y", "--features", "0,1"]),
        ("train", "xy.npz", ["--features", "x0,x1"]),
        ("train", "xy.npz", ["--drop", "x0"]),
        ("train", "m.npy", ["--target", "4", "--features", "0,1"]),
        ("train", "m.npy", ["--target", "4", "--drop", "0"]),
        ("sweep", "xy.npz", ["--target", "y", "--features", "0,1"]),
        ("sweep", "m.npy", ["--target", "4", "--drop", "3"]),
    ],
)
def test_columns_of_arrays_are_refused_not_ignored(array_files, command, data, columns, capsys):
    # an .npz/.npy file's columns have no names: --features/--drop would be ignored and the
    # model trained on every column, so they are refused (exit 2, one line)
    out = str(array_files / "o" / "m.npz")
    base = [command, "--data", str(array_files / data), "--epochs", "2", "--out", out]
    assert _code([*base, *columns]) == 2
    err = capsys.readouterr().err.strip()
    option = next(c for c in columns if c in ("--features", "--drop"))
    suffix = data[-4:]
    assert len(err.splitlines()) == 1, err
    assert f"{option} does not apply to {suffix} data: its columns have no names" in err, err
    assert not (array_files / "o").exists()
    # the same file without the option trains (the refusal is the option's)
    rest = columns[:2] if columns[0] == "--target" else []
    assert _code([*base, *rest, *(["--progress", "off"] if command == "train" else [])]) == 0


@pytest.mark.parametrize(
    ("argv", "in_the_way"),
    [
        (["train", "--data", "d.csv", "--target", "y", "--out", "p4.csv/m.npz"], "p4.csv"),
        (["train", "--dataset", "xor", "--out", "p4.csv/deeper/m.npz"], "p4.csv"),
        (["train", "--dataset", "xor", "--ensemble", "2", "--out", "p4.csv/m.npz"], "p4.csv"),
        (["predict", "--model", "m.npz", "--data", "d.csv", "--out", "p4.csv/p.csv"], "p4.csv"),
        (["report", "--model", "m.npz", "--data", "d.csv", "--out", "d.csv/r.html"], "d.csv"),
        (["export-onnx", "m.npz", "m.npz/m.onnx"], "m.npz"),
        (["sweep", "--dataset", "xor", "--lr", "0.1", "--out", "p4.csv"], "p4.csv"),
        (["sweep", "--dataset", "xor", "--lr", "0.1", "--out", "p4.csv/sw"], "p4.csv"),
        (["demo", "--out", "p4.csv"], "p4.csv"),
        (["demo", "--out", "runs/p4.csv/demo"], "runs/p4.csv"),
    ],
)
def test_an_out_whose_folder_cannot_be_made_is_refused_before_any_work(
    argv, in_the_way, tmp_path, monkeypatch, capsys
):
    """A file where the folder of ``--out`` would go is found before the data is read or a
    network trained: exit 2, one line naming it (NU7 20), for every command with --out."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.csv").write_text("x,y\n1,0\n2,1\n")
    (tmp_path / "m.npz").write_bytes(b"model bytes")
    (tmp_path / "p4.csv").write_text("prediction\n0\n")
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "p4.csv").write_text("prediction\n1\n")
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert _code(argv) == 2
    said = capsys.readouterr()
    err = said.err.strip()
    assert len(err.splitlines()) == 1 and said.out == "", said
    assert f": {in_the_way} is a file" in err and "--out" in err, err
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == before


class _FullDisk(io.StringIO):
    """Standard output on a full device (``> /dev/full``): every write fails with ENOSPC."""

    def write(self, text):
        raise OSError(28, "No space left on device")


FULL_OUTPUT = {  # argv -> the files the work writes (under the test's folder), the outcome
    "train": (["train", "--data", "{data}", "--target", "label", "--hidden", "4", "--epochs",
               "3", "--progress", "lines", "--out", "run/m.npz"],
              ["run/m.npz", "run/history.json", "run/loss.png", "run/report.html"], "file"),
    "sweep": (["sweep", "--dataset", "moons", "--n-samples", "80", "--hidden", "3",
               "--epochs", "2", "--lr", "0.1", "--out", "sw"],
              ["sw/best.npz", "sw/results.csv", "sw/report.html"], "file"),
    "predict --out": (["predict", "--model", "{model}", "--data", "{data}", "--out", "p.csv"],
                      ["p.csv"], "file"),
    "predict": (["predict", "--model", "{model}", "--data", "{data}"], [], "predictions"),
    "explain": (["explain", "--rows", "2"], [], "printed"),
    "help": ([], [], "printed"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(FULL_OUTPUT))
def test_a_full_standard_output_stops_the_printing_never_the_work(
    case, model, csv_data, tmp_path, monkeypatch, capsys
):
    """``> /dev/full``: the work goes on and writes every file; one line names standard
    output and says what it means; exit code 1 (NU7 19)."""
    argv, files, what = FULL_OUTPUT[case]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    argv = [a.format(data=csv_data, model=model) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    said = {"file": "the printing stopped there; every file was still written",
            "predictions": "the predictions written there are incomplete",
            "printed": "what was written there is incomplete"}[what]  # fmt: skip
    assert err[-1].endswith(f"error: could not write to standard output (No space left on "
                            f"device); {said}"), err  # fmt: skip
    assert not any("Errno" in line or "Traceback" in line for line in err), err
    for name in files:
        assert (tmp_path / name).is_file() and (tmp_path / name).stat().st_size > 0, name


@pytest.mark.skipif(
    not (os.path.exists("/dev/full") and os.path.exists("/proc/self/fd")),
    reason="needs /dev/full",
)
@pytest.mark.parametrize("command", ["train", "predict"])
def test_a_real_dev_full_standard_output(command, model, csv_data, tmp_path):
    import stat

    if not stat.S_ISCHR(os.stat("/dev/full").st_mode):
        pytest.skip("/dev/full is not a device here")
    argv = {"train": ["train", "--dataset", "moons", "--n-samples", "80", "--hidden", "3",
                      "--epochs", "2", "--progress", "off", "--out", str(tmp_path / "f/m.npz")],
            "predict": ["predict", "--model", str(model), "--data", str(csv_data)],
            }[command]  # fmt: skip
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "glassnet", *argv], stdout=full,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(
        f"glassnet {command}: error: could not write to standard output (No space left"
    ), done.stderr
    if command == "train":
        assert {p.name for p in (tmp_path / "f").iterdir()} >= {"m.npz", "report.html"}
