"""``glassnet train``, ``predict`` and ``evaluate`` end to end, and every error path."""

import json

import numpy as np
import pytest
from _report_rows import summary_rows

from glassnet.cli.main import main


@pytest.fixture
def csv_data(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    label = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    lines = ["f1,f2,f3,answer"] + [
        f"{a},{b},{c},{lab}" for (a, b, c), lab in zip(X, label, strict=True)
    ]
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _train(tmp_path, *extra):
    out = tmp_path / "model" / "m.npz"
    code = main(["train", "--epochs", "40", "--progress", "off", "--out", str(out), *extra])
    return code, out


def test_train_predict_evaluate(tmp_path, csv_data, capsys):
    code, out = _train(
        tmp_path, "--data", str(csv_data), "--target", "answer", "--hidden", "8", "--lr", "0.01"
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "training on" in text and "validation: 24 samples" in text and "accuracy" in text
    history = json.loads((out.parent / "history.json").read_text())
    assert len(history["loss"]) == len(history["val_loss"]) > 0
    assert (out.parent / "loss.png").read_bytes()[:4] == b"\x89PNG"

    preds = tmp_path / "p.csv"
    assert (
        main(
            [
                "predict",
                "--model",
                str(out),
                "--data",
                str(csv_data),
                "--out",
                str(preds),
                "--proba",
            ]
        )
        == 0
    )
    rows = preds.read_text().splitlines()
    assert rows[0] == "prediction,proba_no,proba_yes" and len(rows) == 121
    assert rows[1].split(",")[0] in {"yes", "no"}

    assert (
        main(["evaluate", "--model", str(out), "--data", str(csv_data), "--target", "answer"]) == 0
    )
    text = capsys.readouterr().out
    accuracy = float(text.split("accuracy ")[1].split()[0])
    assert accuracy > 0.9 and "confusion matrix" in text


def test_train_on_builtin_dataset_float32(tmp_path, capsys):
    code, out = _train(
        tmp_path,
        "--dataset",
        "xor",
        "--dtype",
        "float32",
        "--hidden",
        "8",
        "--lr",
        "0.01",
        "--schedule",
        "plateau",
        "--batch-size",
        "0",
    )
    assert code == 0
    from glassnet.files.modelfile import load_model

    assert load_model(out).params[0]["W"].dtype == np.float32


def _error(capsys, argv, code=1):
    assert main(argv) == code
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


def test_error_paths_exit_1_with_one_line(tmp_path, csv_data, capsys):
    code, model = _train(tmp_path, "--data", str(csv_data), "--target", "answer")
    assert code == 0
    nan_csv = tmp_path / "nan.csv"
    nan_csv.write_text("f1,f2,f3,answer\n1,inf,3,yes\n2,1,3,no\n")
    text_csv = tmp_path / "text.csv"
    text_csv.write_text("f1,f2,f3,answer\n1,1,3,yes\n\n1,two,3,no\n1,4,3,no\n")
    narrow = tmp_path / "narrow.npz"
    np.savez(narrow, X=np.zeros((3, 2)), y=np.zeros(3))
    unseen = tmp_path / "unseen.csv"
    unseen.write_text("f1,f2,f3,answer\n1,2,3,maybe\n")
    cases = [
        (["train", "--data", str(tmp_path / "nope.csv"), "--target", "a"], "no such file"),
        (
            ["train", "--data", str(text_csv), "--target", "answer"],
            "column 'f2' holds numbers but also 'two' at line 4",
        ),
        (
            ["train", "--data", str(nan_csv), "--target", "answer"],
            "non-finite value (inf) at line 2",
        ),
        (
            ["predict", "--model", str(model), "--data", str(narrow)],
            "the model expects 3 features, the data has 2",
        ),
        (
            ["predict", "--model", str(tmp_path / "none.npz"), "--data", str(csv_data)],
            "no such model file",
        ),
        (["predict", "--model", str(csv_data), "--data", str(csv_data)], "not a readable"),
        (
            ["evaluate", "--model", str(model), "--data", str(unseen), "--target", "answer"],
            "label 'maybe' the model never saw",
        ),
    ]
    for argv, message in cases:
        assert message in _error(capsys, argv), argv
    # a column the file lacks is a bad argument (exit 2; tests/test_unknown_columns.py)
    argv = ["train", "--data", str(csv_data), "--target", "nope"]
    assert "no target column 'nope'" in _error(capsys, argv, code=2)


@pytest.mark.parametrize(
    "argv",
    [
        ["train"],
        ["train", "--dataset", "mnist"],
        ["train", "--dataset", "xor", "--lr", "fast"],
        ["train", "--dataset", "xor", "--hidden", "8,-1"],
        ["train", "--dataset", "xor", "--val-fraction", "1.5"],
        ["predict", "--data", "x.csv"],
        ["evaluate", "--model", "m.npz", "--data", "x.csv"],
    ],
)
def test_bad_arguments_exit_2(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:  # refused by the parser itself
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "error:" in err


def test_regression_model_predicts_values(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = X[:, 0] * 0.5 + 0.1
    np.savez(tmp_path / "r.npz", X=X, y=y)
    code, out = _train(
        tmp_path, "--data", str(tmp_path / "r.npz"), "--target", "y", "--task", "regression"
    )
    assert code == 0
    capsys.readouterr()
    assert main(["predict", "--model", str(out), "--data", str(tmp_path / "r.npz")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "prediction" and len(lines) == 81
    assert "needs a classifier" in _error(
        capsys,
        ["predict", "--model", str(out), "--data", str(tmp_path / "r.npz"), "--proba"],
        code=2,  # an option that cannot apply to the model: a bad argument
    )
    assert (
        main(["evaluate", "--model", str(out), "--data", str(tmp_path / "r.npz"), "--target", "y"])
        == 0
    )


def test_train_writes_a_report_and_report_and_explain_read_the_model(tmp_path, csv_data, capsys):
    code, out = _train(tmp_path, "--data", str(csv_data), "--target", "answer", "--hidden", "6")
    assert code == 0
    page = (out.parent / "report.html").read_text()
    assert "Diagnostics" in page and "data:image/png;base64," in page
    assert "validation accuracy" in page or "test accuracy" in page or "train accuracy" in page

    saved = tmp_path / "saved.html"
    assert (
        main(
            ["report", str(out), "--data", str(csv_data), "--target", "answer", "--out", str(saved)]
        )
        == 0
    )
    text = saved.read_text()
    assert "true labels" in text and "Gradient check" in text and "Training" in text

    capsys.readouterr()
    assert (
        main(
            [
                "explain",
                "--model",
                str(out),
                "--data",
                str(csv_data),
                "--row",
                "5",
                "--rows",
                "2",
                "--target",
                "answer",
            ]
        )
        == 0
    )
    explained = capsys.readouterr().out
    assert "gradient check passed" in explained and "Eo" in explained
    assert "outside the data's 120 rows" in _error(
        capsys, ["explain", "--model", str(out), "--data", str(csv_data), "--row", "500"], code=2
    )
    assert "needs --data" in _error(capsys, ["explain", "--model", str(out)], code=2)


def test_divergence_stops_with_a_message_and_keeps_the_last_finite_model(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    np.savez(tmp_path / "r.npz", X=X, y=X[:, 0] * 1e3)
    out = tmp_path / "m.npz"
    err = _error(
        capsys,
        [
            "train",
            "--data",
            str(tmp_path / "r.npz"),
            "--target",
            "y",
            "--task",
            "regression",
            "--optimizer",
            "sgd",
            "--lr",
            "50",
            "--epochs",
            "30",
            "--progress",
            "off",
            "--out",
            str(out),
        ],
    )
    assert "training diverged in epoch" in err and f"saved those parameters to {out}" in err
    from glassnet.files.modelfile import load_model

    model = load_model(out)
    assert all(np.all(np.isfinite(v)) for p in model.params for v in p.values())


def test_reviewed_edge_cases(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    np.savez(tmp_path / "two.npz", X=X, y=np.column_stack([X[:, 0], X[:, 1] * 2]))
    code, out = _train(
        tmp_path, "--data", str(tmp_path / "two.npz"), "--task", "regression", "--target", "y"
    )
    assert code == 0
    capsys.readouterr()
    assert main(["predict", "--model", str(out), "--data", str(tmp_path / "two.npz")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "prediction_0,prediction_1" and len(lines[1].split(",")) == 2
    np.savez(tmp_path / "one.npz", X=X, y=X[:, 0])
    assert "the model predicts 2 targets, the data has 1" in _error(
        capsys,
        ["evaluate", "--model", str(out), "--data", str(tmp_path / "one.npz"), "--target", "y"],
    )

    np.savez(tmp_path / "cls.npz", X=X, y=(X[:, 0] > 0).astype(int))
    code, cls = _train(tmp_path / "c", "--data", str(tmp_path / "cls.npz"), "--target", "y")
    assert code == 0
    np.savez(tmp_path / "frac.npz", X=X[:3], y=np.array([0.0, 1.7, 1.0]))
    assert "label 1.7 the model never saw" in _error(
        capsys,
        ["evaluate", "--model", str(cls), "--data", str(tmp_path / "frac.npz"), "--target", "y"],
    )
    assert "at least one must be left for training" in _error(
        capsys,
        [
            "train",
            "--data",
            str(tmp_path / "cls.npz"),
            "--target",
            "y",
            "--val-fraction",
            "0.5",
            "--test-fraction",
            "0.5",
            "--progress",
            "off",
            "--out",
            str(tmp_path / "x.npz"),
        ],
        code=2,  # split sizes that leave no training rows: a bad argument
    )
    with pytest.raises(SystemExit) as exc:
        main(["train", "--dataset", "xor", "--val-fraction", "inf"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["explain", "--rows", "0"])
    assert exc.value.code == 2


def test_two_models_in_one_folder_keep_their_own_history_and_report(tmp_path, csv_data, capsys):
    folder = tmp_path / "runs"

    def train(name, epochs):
        return main(
            ["train", "--data", str(csv_data), "--target", "answer", "--epochs", epochs,
             "--progress", "off", "--val-fraction", "0", "--out", str(folder / name)]
        )

    assert train("a.npz", "3") == 0 and train("b.npz", "5") == 0
    out = capsys.readouterr().out
    assert "holds the files of a.npz" in out and "b.history.json" in out
    a = json.loads((folder / "history.json").read_text())
    b = json.loads((folder / "b.history.json").read_text())
    assert (a["model"], a["epoch"]) == ("a.npz", [0, 1, 2, 3])
    assert (b["model"], b["epoch"]) == ("b.npz", [0, 1, 2, 3, 4, 5])
    assert (folder / "report.html").read_text() != (folder / "b.report.html").read_text()
    for name, epochs in (("a", 3), ("b", 5)):
        page = tmp_path / f"{name}.html"
        args = ["report", "--model", str(folder / f"{name}.npz"), "--data", str(csv_data)]
        assert main([*args, "--out", str(page)]) == 0
        assert summary_rows(page.read_text())["epochs"] == str(epochs)
