"""An .npz file's target: one line and exit code 2 (a bad argument), never a traceback,
when the file has no ``y`` and ``--target`` names none, or when ``--target X`` names the
features (the target is never a feature), from every command that reads a target."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cli.main import main


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    paths = {
        "X only": tmp_path / "noy.npz",
        "X and labels": tmp_path / "labels.npz",
        "X and y": tmp_path / "good.npz",
    }
    np.savez(paths["X only"], X=X)
    np.savez(paths["X and labels"], X=X, labels=y)
    np.savez(paths["X and y"], X=X, y=y)
    return tmp_path, paths


def _one_line(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert "\n" not in err and "Traceback" not in err
    return err


@pytest.mark.parametrize("kind", ["X only", "X and labels"])
def test_train_without_a_target_array_says_so(files, capsys, kind):
    tmp, paths = files
    err = _one_line(capsys, ["train", "--data", str(paths[kind]), "--epochs", "1",
                             "--progress", "off", "--out", str(tmp / "m" / "m.npz")])  # fmt: skip
    assert "no target array 'y'" in err and "--target" in err
    assert err.endswith("arrays are X" if kind == "X only" else "arrays are X, labels")
    assert not (tmp / "m").exists()


@pytest.mark.parametrize("kind", ["X and y", "X and labels"])
def test_the_features_are_never_the_target(files, capsys, kind):
    tmp, paths = files
    data = ["--data", str(paths[kind]), "--target", "X"]
    main(["train", "--data", str(paths["X and y"]), "--epochs", "1", "--progress", "off",
          "--out", str(tmp / "ok" / "m.npz")])  # fmt: skip
    capsys.readouterr()
    model = str(tmp / "ok" / "m.npz")
    commands = [
        ["train", *data, "--epochs", "1", "--progress", "off", "--out", str(tmp / "t" / "m.npz")],
        ["sweep", *data, "--lr", "0.1,0.2", "--epochs", "1", "--out", str(tmp / "s")],
        ["evaluate", "--model", model, *data],
        ["report", "--model", model, *data, "--out", str(tmp / "r.html")],
    ]
    for argv in commands:
        err = _one_line(capsys, argv)
        assert "the target array cannot be 'X'" in err and "never a feature" in err, argv
    assert not (tmp / "t").exists() and not (tmp / "s").exists()


def test_a_named_target_array_still_trains(files, capsys):
    tmp, paths = files
    argv = ["train", "--data", str(paths["X and labels"]), "--target", "labels",
            "--epochs", "1", "--progress", "off", "--out", str(tmp / "m" / "m.npz")]  # fmt: skip
    assert main(argv) == 0
    assert (tmp / "m" / "m.npz").is_file()
