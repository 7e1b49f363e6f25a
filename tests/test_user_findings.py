"""A new user's findings (README-only trial): each is a kind of fault, tested in several
variants. A closed stdout stops the printing, never the files; a report without true labels
shows no scores; two-class probabilities have two columns; messy labels are named; link
loops and repeated list items are refused up front (exit 2, one line)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model


def _csv(path: Path, n: int = 120, labels: tuple[str, ...] = ("no", "yes"), seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.where(X[:, 0] + X[:, 1] > 0, labels[1], labels[0])
    if len(labels) > 2:
        y = np.asarray(labels)[np.arange(n) % len(labels)]
    rows = [f"{a:.5f},{b:.5f},{c:.5f},{lab}" for (a, b, c), lab in zip(X, y, strict=True)]
    path.write_text("f1,f2,f3,answer\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A trained classifier and regressor, their data, and data without the target."""
    folder = tmp_path_factory.mktemp("made")
    data = _csv(folder / "d.csv")
    new = folder / "new.csv"
    new.write_text("\n".join(line.rsplit(",", 1)[0] for line in data.read_text().splitlines()))
    common = ["--epochs", "5", "--hidden", "4", "--progress", "off"]
    assert main(["train", "--data", str(data), "--target", "answer", *common,
                 "--out", str(folder / "clf" / "m.npz")]) == 0  # fmt: skip
    assert main(["train", "--data", str(data), "--target", "f3", "--features", "f1,f2", *common,
                 "--out", str(folder / "reg" / "m.npz")]) == 0  # fmt: skip
    return folder, folder / "clf" / "m.npz", folder / "reg" / "m.npz", data, new


class _ClosedPipe(io.StringIO):
    """A standard output whose reader went away."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


def _writers(made, out: Path) -> dict[str, tuple[list[str], list[Path]]]:
    folder, clf, reg, data, new = made
    moons = ["--dataset", "moons", "--n-samples", "120", "--epochs", "3", "--hidden", "4",
             "--progress", "off"]  # fmt: skip
    files = ["m.npz", "history.json", "loss.png", "report.html"]
    return {
        "train": (["train", *moons, "--out", str(out / "m.npz")], [out / f for f in files]),
        "train-lines": (["train", *moons, "--progress", "lines", "--out", str(out / "m.npz")],
                        [out / f for f in files]),  # fmt: skip
        "ensemble": (["train", *moons, "--ensemble", "2", "--out", str(out / "m.npz")],
                     [out / "m.npz", out / "report.html"]),  # fmt: skip
        "demo": (["demo", "--out", str(out)], [out / "report.html", out / "loss.png"]),
        "predict": (["predict", "--model", str(clf), "--data", str(new), "--out",
                     str(out / "p.csv")], [out / "p.csv"]),  # fmt: skip
        "report": (["report", "--model", str(clf), "--data", str(data), "--target", "answer",
                    "--out", str(out / "r.html")], [out / "r.html"]),  # fmt: skip
        "export-onnx": (["export-onnx", "--model", str(clf), "--out", str(out / "m.onnx")],
                        [out / "m.onnx"]),  # fmt: skip
        "sweep": (["sweep", *moons[:6], "--epochs", "2", "--lr", "0.1,0.2", "--out", str(out)],
                  [out / "results.csv", out / "best.npz", out / "report.html"]),  # fmt: skip
    }


@pytest.mark.parametrize(
    "command",
    ["train", "train-lines", "ensemble", "demo", "predict", "report", "export-onnx", "sweep"],
)
def test_a_closed_stdout_stops_the_printing_not_the_files(command, made, tmp_path, monkeypatch,
                                                          capsys):  # fmt: skip
    argv, files = _writers(made, tmp_path / "out")[command]
    if command == "export-onnx":
        pytest.importorskip("onnx")
    if command in ("predict", "export-onnx"):
        (tmp_path / "out").mkdir()
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(argv) == 141
    err = capsys.readouterr().err  # progress lines go to stderr; no error among them
    assert "error" not in err and "Broken pipe" not in err
    missing = [str(f) for f in files if not f.is_file()]
    assert not missing


def test_train_into_a_real_closed_pipe_writes_every_file(tmp_path):
    """``glassnet train ... | head -0``: the reader is gone before the first line."""
    out = tmp_path / "runs" / "m.npz"
    argv = ["train", "--dataset", "moons", "--n-samples", "120", "--epochs", "3", "--hidden",
            "4", "--progress", "lines", "--out", str(out)]  # fmt: skip
    code = f"import sys; from glassnet.cli.main import main; sys.exit(main({argv!r}))"
    read_end, write_end = os.pipe()
    os.close(read_end)
    proc = subprocess.run([sys.executable, "-c", code], stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    err = proc.stderr.decode()
    assert proc.returncode == 141, err
    assert "Broken pipe" not in err and "Traceback" not in err
    assert {p.name for p in out.parent.iterdir()} >= {
        "m.npz", "history.json", "loss.png", "report.html"
    }
    assert load_model(out).net.sizes[0] == 2


def test_an_unlabelled_report_shows_predicted_counts_not_scores(made, tmp_path, capsys):
    folder, clf, _, _, new = made
    out = tmp_path / "r.html"
    assert main(["report", "--model", str(clf), "--data", str(new), "--out", str(out)]) == 0
    html = out.read_text()
    assert "accuracy on these samples" not in html and "Confusion matrix" not in html
    assert "precision</th>" not in html and "not measured: no true labels given" in html
    model = load_model(clf)
    X = np.loadtxt(new, delimiter=",", skiprows=1)
    counts = {str(c): int(np.sum(model.predict(X) == c)) for c in model.classes}
    for name, k in counts.items():  # the table's rows: class, predicted count
        assert f'<td class="text">{name}</td><td>{k}</td>' in html


def test_a_labelled_report_still_shows_scores(made, tmp_path):
    _, clf, _, data, _ = made
    out = tmp_path / "r.html"
    argv = ["report", "--model", str(clf), "--data", str(data), "--target", "answer"]
    assert main([*argv, "--out", str(out)]) == 0
    html = out.read_text()
    assert "accuracy on these samples" in html and "Confusion matrix" in html


def test_a_regressor_s_report_without_target_is_a_usage_error(made, tmp_path, capsys):
    _, _, reg, data, _ = made
    out = tmp_path / "r.html"
    assert main(["report", "--model", str(reg), "--data", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs --target" in err
    assert not out.exists()


def test_two_class_probabilities_have_a_column_per_class(made):
    _, clf, _, data, _ = made
    model = load_model(clf)
    X = np.loadtxt(data, delimiter=",", skiprows=1, usecols=(0, 1, 2))
    P = model.predict_proba(X)
    assert P.shape == (len(X), 2)
    np.testing.assert_allclose(P, model.outputs(X))  # the CLI trains a softmax of 2 units
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.classes[np.argmax(P, axis=1)], model.predict(X))


def test_loaded_estimator_probabilities_match_the_estimator(tmp_path):
    from glassnet import MLPClassifier, load

    rng = np.random.default_rng(1)
    for n_classes in (2, 3):
        X = rng.normal(size=(90, 3))
        y = np.asarray(["a", "b", "c"])[np.arange(90) % n_classes]
        clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, y)
        path = tmp_path / f"c{n_classes}.npz"
        clf.save(path)
        model = load(path)
        P = model.predict_proba(X)
        assert P.shape == (90, n_classes)
        if n_classes == 2:  # one logistic unit, P(classes[1]), as the network computes it
            assert model.outputs(X).shape == (90, 1)
            np.testing.assert_allclose(P[:, 1], model.outputs(X)[:, 0])
        np.testing.assert_allclose(P, clf.predict_proba(X), rtol=1e-6, atol=1e-9)


def test_a_regressor_model_predicts_a_column_per_target(made):
    _, _, reg, data, _ = made
    X = np.loadtxt(data, delimiter=",", skiprows=1, usecols=(0, 1))
    assert load_model(reg).predict(X).shape == (len(X), 1)  # documented: (N, k)


@pytest.mark.parametrize(
    "variant, expected",
    [
        (("benign", "benign ", "malignant"), "'benign' vs 'benign '"),
        (("BENIGN", "benign", "malignant"), "'BENIGN' vs 'benign'"),
        ((" Benign", "benign", "malignant"), "' Benign' vs 'benign'"),
    ],
)
def test_labels_differing_by_spaces_or_case_are_named(variant, expected, tmp_path, capsys):
    data = _csv(tmp_path / "d.csv", labels=variant)
    argv = ["train", "--data", str(data), "--target", "answer", "--epochs", "2", "--hidden",
            "4", "--progress", "off", "--out", str(tmp_path / "m.npz")]  # fmt: skip
    assert main(argv) == 0
    out, err = capsys.readouterr()
    warning = [line for line in err.splitlines() if line.startswith("warning: labels")]
    assert len(warning) == 1 and expected in warning[0]
    shown = ", ".join(map(repr, sorted(variant)))
    assert f"classification of 3 classes ({shown})" in out


def test_clean_labels_give_no_warning_and_the_summary_names_the_classes(tmp_path, capsys):
    data = _csv(tmp_path / "d.csv", labels=("benign", "malignant"))
    argv = ["train", "--data", str(data), "--target", "answer", "--epochs", "2", "--hidden",
            "4", "--progress", "off", "--out", str(tmp_path / "m.npz")]  # fmt: skip
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "warning" not in err
    assert "classification of 2 classes ('benign', 'malignant')" in out


@pytest.fixture
def loop(tmp_path):
    (tmp_path / "ln").mkdir()
    (tmp_path / "ln" / "loop2").symlink_to(tmp_path / "ln" / "loop1")
    (tmp_path / "ln" / "loop1").symlink_to(tmp_path / "ln" / "loop2")
    return tmp_path / "ln" / "loop1"


@pytest.mark.parametrize(
    "argv, option",
    [
        (["predict", "--model", "{clf}", "--data", "{new}", "--out", "{loop}"], "--out"),
        (["export-onnx", "--model", "{clf}", "--out", "{loop}"], "--out"),
        (["report", "--model", "{clf}", "--data", "{data}", "--out", "{loop}"], "--out"),
        (["train", "--data", "{loop}", "--target", "answer"], "--data"),
        (["train", "--data", "{data}", "--target", "answer", "--out", "{loop}"], "--out"),
        (["train", "--data", "{data}", "--target", "answer", "--out", "{loop}/m.npz"], "--out"),
        (["evaluate", "--model", "{loop}", "--data", "{data}", "--target", "answer"], "--model"),
        (["predict", "{loop}", "--data", "{data}"], "--model"),
        (["sweep", "--dataset", "moons", "--out", "{loop}"], "--out"),
        (["demo", "--out", "{loop}"], "--out"),
    ],
)
def test_a_loop_of_links_is_refused_before_any_work(argv, option, made, loop, capsys):
    folder, clf, _, data, new = made
    names = {"clf": clf, "new": new, "data": data, "loop": loop}
    argv = [a.format(**names) for a in argv]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert f"{option} {loop}" in err and "loop of symbolic links" in err


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["train", "--features", "f1,f1"], "argument --features: the column 'f1' is named twice"),
        (["train", "--features", "f1, f2,f1 "], "the column 'f1' is named twice"),
        (["train", "--drop", "f2,f2"], "argument --drop: the column 'f2' is named twice"),
        (["sweep", "--features", "f1,f2,f1"], "argument --features: the column 'f1'"),
        (["sweep", "--lr", "0.1,0.2,0.1"], "argument --lr: the value 0.1 is named twice"),
        (["sweep", "--weight-decay", "0,0"], "argument --weight-decay: the value 0 is named"),
        (["sweep", "--hidden", "8,4/8,4"], "argument --hidden: the architecture 8,4 is named"),
        (["train", "--seed", "-1"], "argument --seed: expected a non-negative integer, got '-1'"),
        (["sweep", "--seed", "-1"], "argument --seed: expected a non-negative integer"),
        (["train", "--epochs", "five"], "--epochs: expected a non-negative integer, got 'five'"),
        (["demo", "--starts", "x"], "argument --starts: expected a non-negative integer, got 'x'"),
        (["demo", "--starts", "-2"], "argument --starts: expected a non-negative integer"),
    ],
)
def test_malformed_lists_and_numbers_are_one_line_exit_2(argv, expected, tmp_path, capsys):
    data = _csv(tmp_path / "d.csv")
    source = [] if argv[0] == "demo" else ["--data", str(data), "--target", "answer"]
    with pytest.raises(SystemExit) as stop:
        main([*argv, *source, "--out", str(tmp_path / "o")])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err
    assert "non_negative_int" not in err and "invalid" not in err
    assert not (tmp_path / "o").exists()


def test_export_arguments_that_cannot_apply_are_exit_2(made, tmp_path, capsys):
    pytest.importorskip("onnx")
    import onnx

    _, clf, reg, _, _ = made
    newest = onnx.defs.onnx_opset_version()
    cases = [
        (["--model", str(reg), "--no-labels"], "--no-labels does not apply to a regressor"),
        (["--model", str(clf), "--opset", str(newest + 1)], f"opsets 13 to {newest}"),
    ]
    for argv, expected in cases:
        out = tmp_path / "m.onnx"
        assert main(["export-onnx", *argv, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and expected in err
        assert not out.exists()
    assert main(["export-onnx", "--model", str(clf), "--opset", str(newest), "--out",
                 str(tmp_path / "ok.onnx")]) == 0  # fmt: skip


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize("line, value", [(2, "maybe"), (5, "yes "), (9, "YES")])
def test_a_label_the_model_never_saw_is_named_with_line_column_value(
    command, line, value, made, tmp_path, capsys
):
    _, clf, _, data, _ = made
    lines = data.read_text().splitlines()
    lines[line - 1] = lines[line - 1].rsplit(",", 1)[0] + f",{value}"  # file line `line`
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    argv = [command, "--model", str(clf), "--data", str(bad), "--target", "answer"]
    assert main(argv + (["--out", str(tmp_path / "r.html")] if command == "report" else [])) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    if command == "evaluate":  # evaluate reads the file in blocks: no line named yet
        assert f"label {value!r} the model never saw" in err
    else:
        assert f"{bad}: line {line}, column 'answer': label {value!r} the model never saw" in err
    assert "it knows 'no', 'yes'" in err and "1 row holds such labels" in err


def test_held_out_cells_filled_or_unseen_are_counted_at_training(tmp_path, capsys):
    rng = np.random.default_rng(0)
    rows = ["x,colour,y"]
    for i in range(60):
        x = "" if i in (7, 8) else f"{rng.normal():.4f}"
        colour = "red" if i % 2 else "blue"
        rows.append(f"{x},{colour},{'a' if i % 3 else 'b'}")
    data = tmp_path / "d.csv"
    data.write_text("\n".join(rows) + "\n")
    argv = ["train", "--data", str(data), "--target", "y", "--epochs", "2", "--hidden", "4",
            "--progress", "off", "--out", str(tmp_path / "m.npz"), "--val-fraction", "0.5"]
    found = None
    for seed in range(30):  # a seed whose split puts both blank cells in validation rows
        assert main([*argv, "--seed", str(seed)]) == 0
        out, err = capsys.readouterr()
        if "column 'x'" not in out:  # the training rows had no missing x
            found = err
            break
    assert found is not None
    lines = [line for line in found.splitlines() if "validation/test rows filled" in line]
    assert len(lines) == 1 and "(x 2)" in lines[0]
    assert lines[0].startswith("warning: 2 missing cells")


def test_the_ensemble_writes_a_single_run_s_files_and_says_how_members_ended(tmp_path, capsys):
    data = _csv(tmp_path / "d.csv", labels=("benign", "malignant"))
    out = tmp_path / "ens" / "model.npz"
    argv = ["train", "--data", str(data), "--target", "answer", "--epochs", "2", "--ensemble",
            "3", "--hidden", "4", "--progress", "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "history.json", "loss.png", "model.npz", "report.html"
    ]
    assert "members: 3 ran all 2 epochs" in printed and "3 epochs" not in printed
    assert "task: classification of 2 classes ('benign', 'malignant')" in printed


def test_a_missing_target_column_is_a_bad_argument(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("a,b,c\n1,2,3\n")
    assert main(["train", "--data", str(data), "--target", "answer"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no target column 'answer'; columns are a, b, c" in err


SEPARATED = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


@pytest.mark.parametrize("sep", sorted(SEPARATED))
@pytest.mark.parametrize(
    "command", ["train", "sweep", "predict", "evaluate", "report", "explain"]
)
def test_every_command_names_a_file_separated_otherwise(made, tmp_path, capsys, sep, command):
    """A CSV separated by semicolons, tabs or bars: the same one line from every command
    that reads a CSV (the header shown escaped), exit code 1 (bad input), nothing written."""
    _, clf, _, data, _ = made
    text = data.read_text().replace(",", sep)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(text)
    out = tmp_path / "out"
    model, target = ["--model", str(clf)], ["--target", "answer"]
    argv = {
        "train": ["--data", str(wrong), *target, "--out", str(out / "m.npz")],
        "sweep": ["--data", str(wrong), *target, "--out", str(out)],
        "predict": [*model, "--data", str(wrong), "--out", str(out / "p.csv")],
        "evaluate": [*model, "--data", str(wrong), *target],
        "report": [*model, "--data", str(wrong), *target, "--out", str(out / "r.html")],
        "explain": [*model, "--data", str(wrong), *target, "--row", "0"],
    }[command]
    assert main([command, *argv]) == 1
    said = capsys.readouterr()
    header = text.splitlines()[0]
    assert said.err == (
        f"glassnet {command}: error: {wrong}: the header is one column {header!r} separated "
        f"by {SEPARATED[sep]}; glassnet reads comma-separated files: save the file with "
        "commas\n"
    )
    assert not out.exists() or not any(out.iterdir())  # nothing written


@pytest.mark.parametrize("argv", [["train", "--target", "y"], ["predict", "--model", "{clf}"]])
def test_a_folder_given_as_data_is_called_a_folder(argv, made, tmp_path, capsys):
    _, clf, _, _, _ = made
    argv = [a.format(clf=clf) for a in argv]
    assert main([*argv, "--data", str(tmp_path)]) == 1
    assert f"{tmp_path}: a folder, not a data file" in capsys.readouterr().err


@pytest.mark.parametrize("cell, shown", [("1e400", "'1e400'"), ("-1E999", "'-1E999'"),
                                         ("inf", "inf")])  # fmt: skip
def test_an_out_of_range_number_is_quoted_as_written(cell, shown, tmp_path, capsys):
    data = _csv(tmp_path / "d.csv")
    lines = data.read_text().splitlines()
    lines[4] = cell + "," + lines[4].split(",", 1)[1]  # file line 5
    data.write_text("\n".join(lines) + "\n")
    assert main(["train", "--data", str(data), "--target", "answer"]) == 1
    err = capsys.readouterr().err
    assert f"column 'f1' has a non-finite value ({shown}) at line 5" in err


def test_layers_are_numbered_from_1_in_gradcheck_and_demo(tmp_path, capsys):
    assert main(["gradcheck"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert [row.split()[:2] for row in table[1:5]] == [["1", "W"], ["1", "b"], ["2", "W"],
                                                       ["2", "b"]]  # fmt: skip
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    demo = capsys.readouterr().out.splitlines()
    first = next(i for i, row in enumerate(demo) if row.lstrip().startswith("layer  param"))
    assert demo[first + 1].split()[:2] == ["1", "W"]


@pytest.mark.parametrize(
    "value, expected",
    [("1", "1 is ambiguous: a fraction must be below 1"), ("1.5", "expected a fraction")],
)
def test_a_validation_size_of_1_is_refused(value, expected, tmp_path, capsys):
    data = _csv(tmp_path / "d.csv")
    with pytest.raises(SystemExit) as stop:
        main(["train", "--data", str(data), "--target", "answer", "--val-fraction", value])
    assert stop.value.code == 2 and expected in capsys.readouterr().err


def test_a_count_that_leaves_few_training_rows_is_said(tmp_path, capsys):
    data = _csv(tmp_path / "d.csv")  # 120 rows
    argv = ["train", "--data", str(data), "--target", "answer", "--epochs", "1", "--hidden",
            "4", "--progress", "off", "--out", str(tmp_path / "m.npz")]  # fmt: skip
    assert main([*argv, "--val-fraction", "100"]) == 0
    err = capsys.readouterr().err
    assert ("warning: 100 of 120 rows held out as validation rows (a count, not a fraction): "
            "20 left for training") in err  # fmt: skip
    assert main([*argv, "--val-fraction", "30"]) == 0
    assert "held out" not in capsys.readouterr().err


def test_targets_of_very_different_scales_each_get_their_own_scale():
    """Columns whose spreads differ 1e4-fold were warned of (one shared scale); now each
    column is standardized by its own spread (the oracle: numpy's std) and none is warned."""
    from glassnet import MLPRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    Y = np.column_stack([X[:, 0], 1e4 * X[:, 1]])
    import warnings

    for scales in ([1, 1], [1, 1e3], [1e-3, 1e6]):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            est = MLPRegressor((4,), max_iter=2, random_state=0).fit(X, Y / scales)
        assert not [w for w in seen if "differ by a factor of" in str(w.message)]
        np.testing.assert_allclose(est.target_scaler_.scale, np.std(Y / scales, axis=0))


def test_an_unlabelled_ensemble_report_counts_predictions_not_accuracy(tmp_path, capsys):
    data = _csv(tmp_path / "d.csv")
    out = tmp_path / "ens" / "model.npz"
    assert main(["train", "--data", str(data), "--target", "answer", "--epochs", "2",
                 "--ensemble", "2", "--hidden", "4", "--progress", "off", "--out",
                 str(out)]) == 0  # fmt: skip
    new = tmp_path / "new.csv"
    new.write_text("\n".join(line.rsplit(",", 1)[0] for line in data.read_text().splitlines()))
    page = tmp_path / "r.html"
    assert main(["report", "--model", str(out), "--data", str(new), "--out", str(page)]) == 0
    html = page.read_text()
    assert "ensemble accuracy" not in html and "member agreement with the ensemble" in html
    model = load_model(out)
    X = np.loadtxt(new, delimiter=",", skiprows=1)
    for c in model.classes:
        assert f'<td class="text">{c}</td><td>{int(np.sum(model.predict(X) == c))}</td>' in html


@pytest.mark.parametrize("beside", ["report.html", "history.json", "m.loss.png"])
def test_train_refuses_a_loop_beside_its_model_before_training(beside, tmp_path, capsys):
    (tmp_path / "other").symlink_to(tmp_path / beside)
    (tmp_path / beside).symlink_to(tmp_path / "other")
    argv = ["train", "--dataset", "moons", "--epochs", "2", "--out", str(tmp_path / "m.npz")]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"{tmp_path / beside}, written beside --out" in err
    assert not (tmp_path / "m.npz").exists()
