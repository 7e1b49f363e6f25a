"""Every command that reads a target takes an ``.npz``'s array ``y`` when ``--target`` is
not given, as ``train`` does (docs/guide/data.md): ``evaluate``, ``report`` and ``explain
--model`` print the same as with ``--target y`` (the oracle); without a ``y`` array, or for
a CSV, ``evaluate`` still asks for ``--target`` (exit code 2). ``predict`` takes the same
default and checks a ``--target`` as the others do (an array of the file, not ``X``)."""

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


@pytest.mark.parametrize("data", ["d.npz", "noy.npz"])
def test_predict_takes_the_npz_default_and_any_array_as_target(capsys, trained, data):
    """``predict`` of an ``.npz`` predicts its ``X`` with or without ``--target`` (the
    default y, or another array named): the same lines (the oracle: no ``--target``)."""
    argv = ["predict", "--model", str(trained / "m.npz"), "--data", str(trained / data)]
    code, out, err = _run(capsys, argv)
    assert code == 0, err
    assert len(out.strip().splitlines()) == 81  # a header and one line per row of X
    for target in ("y", "z") if data == "d.npz" else ("t",):
        code_t, out_t, err_t = _run(capsys, [*argv, "--target", target])
        assert code_t == 0 and out_t == out, err_t


@pytest.mark.parametrize(
    ("command", "target", "said"),
    [
        ("predict", "X", "the target array cannot be 'X'"),
        ("predict", "w", "no target array 'w'"),
        ("predict", "Y", "no target array 'Y'"),
        ("evaluate", "X", "the target array cannot be 'X'"),
        ("evaluate", "w", "no target array 'w'"),
        ("report", "w", "no target array 'w'"),
    ],
)
def test_a_target_the_npz_lacks_is_refused_alike_by_every_command(
    capsys, trained, command, target, said
):
    argv = [command, "--model", str(trained / "m.npz"), "--data", str(trained / "d.npz"),
            "--target", target]  # fmt: skip
    code, out, err = _run(capsys, argv)
    assert code == 2 and said in err and len(err.strip().splitlines()) == 1, err
    assert out == ""
