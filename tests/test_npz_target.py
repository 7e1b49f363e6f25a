"""Every command that reads a target takes an ``.npz``'s array ``y`` when ``--target`` is
not given, as ``train`` does (docs/guide/data.md): ``evaluate``, ``report`` and ``explain
--model`` print the same as with ``--target y`` (the oracle); without a ``y`` array, or for
a CSV, ``evaluate`` still asks for ``--target`` (exit code 2)."""

import numpy as np
import pytest

from glassnet.cli.main import main


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("npz")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    np.savez(tmp / "d.npz", X=X, y=(X[:, 0] > 0).astype(int), z=X[:, 1])
    np.savez(tmp / "noy.npz", X=X, t=(X[:, 0] > 0).astype(int))
    assert main(["train", "--data", str(tmp / "d.npz"), "--epochs", "2", "--progress", "off",
                 "--out", str(tmp / "m.npz")]) == 0  # fmt: skip
    return tmp


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["evaluate", "explain"])
def test_the_default_target_is_y(capsys, trained, command):
    argv = [command, "--model", str(trained / "m.npz"), "--data", str(trained / "d.npz")]
    code, out, err = _run(capsys, argv)
    assert code == 0, err
    code_y, out_y, _ = _run(capsys, [*argv, "--target", "y"])
    assert code_y == 0 and out == out_y
    if command == "evaluate":
        assert "accuracy" in out


def test_report_with_the_default_target_is_the_labelled_report(capsys, trained):
    argv = ["report", "--model", str(trained / "m.npz"), "--data", str(trained / "d.npz")]
    code, out, err = _run(capsys, argv)
    assert code == 0, err
    assert (trained / "m-report-d.html").is_file()
    assert not (trained / "m-predictions-d.html").exists()


@pytest.mark.parametrize("data", ["noy.npz", "d.csv"])
def test_evaluate_without_a_y_still_asks_for_target(capsys, trained, data):
    if data.endswith(".csv"):
        (trained / data).write_text("a,b,c,y\n" + "1,2,3,0\n" * 5)
    argv = ["evaluate", "--model", str(trained / "m.npz"), "--data", str(trained / data)]
    code, _, err = _run(capsys, argv)
    assert code == 2 and "--target" in err and len(err.strip().splitlines()) == 1


def test_another_target_array_is_still_taken(capsys, trained):
    argv = ["evaluate", "--model", str(trained / "m.npz"), "--data", str(trained / "noy.npz"),
            "--target", "t"]  # fmt: skip
    code, out, err = _run(capsys, argv)
    assert code == 0, err
