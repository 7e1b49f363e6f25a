"""Output that stays readable: long user text in figures and tables, library warnings."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

from glassnet.cli.quiet import library_warnings_quiet
from glassnet.files.modelfile import load_model

LONG = ["A" * 3000, "B" * 2999 + "x", "C" * 3000]


@pytest.fixture(scope="module")
def long_names(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 3))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5)
    column = "g" * 3000
    lines = [f"f1,{column},f3,label"]
    lines += [
        ",".join(f"{v:.3f}" for v in row) + "," + LONG[t] for row, t in zip(X, y, strict=True)
    ]
    (folder / "d.csv").write_text("\n".join(lines) + "\n")
    return folder, column


def _glassnet(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "glassnet", *args], capture_output=True, text=True, cwd=cwd
    )


def test_long_class_and_column_names_are_short_on_screen_and_whole_in_files(long_names):
    folder, column = long_names
    train = _glassnet(
        "train", "--data", "d.csv", "--target", "label", "--epochs", "5", "--progress", "off",
        "--out", "m.npz", cwd=folder,
    )  # fmt: skip
    assert train.returncode == 0, train.stderr
    assert train.stderr == ""  # no matplotlib layout warning, nothing else
    assert max(map(len, train.stdout.splitlines())) < 200
    model = load_model(folder / "m.npz")
    assert sorted(model.classes) == sorted(LONG) and model.feature_names[1] == column
    evaluate = _glassnet(
        "evaluate", "--model", "m.npz", "--data", "d.csv", "--target", "label", cwd=folder
    )
    assert evaluate.returncode == 0 and evaluate.stderr == "", evaluate.stderr
    assert max(map(len, evaluate.stdout.splitlines())) <= 80, evaluate.stdout
    assert "AAAAAAAAAAAAAAAAAAAAA..." in evaluate.stdout
    predict = _glassnet(
        "predict", "--model", "m.npz", "--data", "d.csv", "--proba", "--out", "p.csv", cwd=folder
    )
    assert predict.returncode == 0, predict.stderr
    header = (folder / "p.csv").read_text().splitlines()[0].split(",")
    assert header[1:] == [f"proba_{c}" for c in model.classes]  # the files keep them whole
    report = (folder / "report.html").read_text()
    assert "A" * 3000 not in report and "AAAAAAAAAAAAA" in report


def test_library_warnings_are_dropped_and_glassnet_s_are_one_line(capsys, monkeypatch):
    import glassnet.cli.quiet as quiet

    monkeypatch.setattr(sys, "warnoptions", [])
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with library_warnings_quiet():
            warnings.warn_explicit(
                "Tight layout not applied.\nmore", UserWarning, "/x/matplotlib/layout.py", 1
            )
            warnings.warn_explicit("a note\nfrom glassnet", UserWarning, quiet.__file__, 1)
    assert capsys.readouterr().err == "glassnet: warning: a note from glassnet\n"


def test_a_user_s_own_warning_filters_are_respected(monkeypatch):
    monkeypatch.setattr(sys, "warnoptions", ["default"])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with library_warnings_quiet():
            warnings.warn_explicit("library note", UserWarning, "/x/matplotlib/layout.py", 1)
    assert [str(w.message) for w in seen] == ["library note"]
