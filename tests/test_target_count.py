"""``evaluate``/``report --target`` naming another count of columns than a regressor predicts
(NU14 #1): one line, exit code 2, naming the columns to give, and no warning before it (it
was "warning: ... scored against price" then "the model predicts 2 targets, the data has 1",
exit 1). The regressor's mean loss is labelled in the targets' units squared (NU14 #2), and
its number is the half squared error worked out here from ``Model.predict``."""

from __future__ import annotations

import re

import numpy as np
import pytest

from glassnet.cli.evaluate_command import check_count
from glassnet.cli.main import main
from glassnet.data.targets import BadTargets
from glassnet.files.modelfile import load_model

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("count")
    rng = np.random.default_rng(5)
    X = rng.normal(size=(90, 2))
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1],
                          "price": 1e5 * (2 + X[:, 0]) + 1e3 * rng.normal(size=90),
                          "tax": 1e3 * (1 + 0.2 * X[:, 1]),
                          "other": rng.normal(size=90)})  # fmt: skip
    frame.to_csv(tmp / "t.csv", index=False)
    frame.rename(columns={"price": "p2", "tax": "t2"}).to_csv(tmp / "renamed.csv", index=False)
    np.savez(tmp / "t.npz", X=X, y=frame[["price", "tax"]].to_numpy())
    base = ["--epochs", "3", "--progress", "off", "--val-fraction", "0"]
    for name, data, target in (("two", "t.csv", ["--target", "price,tax", "--drop", "other"]),
                               ("one", "t.csv", ["--target", "price", "--drop", "tax,other"]),
                               ("arr", "t.npz", [])):  # fmt: skip
        out = str(tmp / f"{name}.npz")
        argv = ["train", "--data", str(tmp / data), *target, *base, "--out", out]
        assert main(argv) == 0
    return tmp


def _run(capsys, runs, command, model, data, target):
    argv = [command, "--model", str(runs / f"{model}.npz"), "--data", str(runs / data)]
    argv += ["--target", target] if target else []
    if command == "report":
        argv += ["--out", str(runs / "page.html")]
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize(
    ("model", "data", "target", "said"),
    [
        ("two", "t.csv", "price", "the model predicts 2 targets (price, tax); name them all"),
        ("two", "t.csv", "tax", "--target tax: the model predicts 2 targets (price, tax)"),
        ("two", "t.csv", "other", "in that order: --target price,tax"),  # another column
        ("two", "t.csv", "price,tax,other", "in that order: --target price,tax"),  # superset
        ("two", "t.csv", "other,price,tax", "--target other,price,tax: the model predicts 2"),
        ("two", "renamed.csv", "p2", "--target p2: the model predicts 2 targets (price, tax)"),
        ("two", "renamed.csv", "p2,t2,other", "name them all, in that order: --target price,tax"),
        ("one", "t.csv", "price,tax", "predicts 1 target (price); name it: --target price"),
    ],
)
def test_another_count_of_targets_is_one_line_exit_2(capsys, runs, command, model, data,
                                                     target, said):  # fmt: skip
    page = runs / "page.html"
    page.unlink(missing_ok=True)
    code, out, err = _run(capsys, runs, command, model, data, target)
    assert code == 2, err
    assert said in err and len(err.strip().splitlines()) == 1, err
    assert "warning" not in err and "the data has" not in err and out == ""
    assert not page.exists()


def test_the_right_count_is_scored(capsys, runs):
    # renamed columns, two of them: scored with the warning naming both lists (NU11 #4)
    code, out, err = _run(capsys, runs, "evaluate", "two", "renamed.csv", "p2,t2")
    assert code == 0 and "trained to predict price,tax; its outputs are scored against p2,t2" in err
    assert "p2: RMSE" in out and "t2: RMSE" in out
    # an .npz's 2-D y is one array holding both targets: not counted as columns
    code, out, err = _run(capsys, runs, "evaluate", "arr", "t.npz", "y")
    assert code == 0 and "samples 90" in out, err


def test_check_count_alone():
    check_count(2, ("a", "b"), ("x", "y"))  # the count agrees: names are another check
    with pytest.raises(BadTargets, match=r"predicts 3 targets; name 3 target columns"):
        check_count(3, (), ("a",))  # a model keeping no names
    with pytest.raises(BadTargets, match=r"predicts 2 targets \(a, b\); name them all"):
        check_count(2, ("a", "b"), ("a", "b", "c"))


def test_the_loss_is_in_the_targets_units_squared(capsys, runs):
    """evaluate's mean loss = mean over samples of mean over columns of (y - t)^2 / 2, in the
    targets' units squared (by hand from the model's predictions)."""
    code, out, _ = _run(capsys, runs, "evaluate", "two", "t.csv", "price,tax")
    assert code == 0
    line = out.splitlines()[0]
    assert line.endswith("(half squared error, in the targets' units squared)"), line
    shown = float(re.search(r"mean loss (\S+)", line).group(1))
    frame = pd.read_csv(runs / "t.csv")
    model = load_model(runs / "two.npz")
    Y = np.asarray(model.predict(frame[["a", "b"]].to_numpy()), dtype=np.float64)
    T = frame[["price", "tax"]].to_numpy()
    by_hand = 0.5 * np.mean((Y - T) ** 2)
    assert shown == pytest.approx(by_hand, rel=1e-4)
    assert by_hand > 1e6  # the square of prices of 1e5 (the units themselves would be ~1e4)
