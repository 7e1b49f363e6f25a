"""``evaluate``/``report --target`` that names one of the model's input columns is refused
(exit 2): the network reads it, so it cannot be the truth its outputs are scored against;
another name than the model's target is scored with a warning naming both (NU11 #4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from glassnet.cli.main import main
from glassnet.data.targets import BadTargets, check_named


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("named")
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120) * 100})
    frame["region"] = np.where(rng.random(120) > 0.5, "north", "south")
    frame["spend"] = 3 * frame.a + frame.b / 100
    frame["size"] = frame.spend * 2
    frame["label"] = np.where(frame.a > 0, "yes", "no")
    frame["amount"] = frame.spend
    frame.to_csv(folder / "t.csv", index=False)
    base = ["--data", str(folder / "t.csv"), "--epochs", "2", "--progress", "off"]
    for name, target, drop in (("reg", "spend", "size,label,amount"),
                               ("two", "spend,size", "label,amount"),
                               ("cls", "label", "spend,size,amount")):  # fmt: skip
        argv = [
            "train",
            *base,
            "--target",
            target,
            "--drop",
            drop,
            "--out",
            str(folder / f"{name}.npz"),
        ]
        assert main(argv) == 0
    return folder


@pytest.mark.parametrize("model", ["reg", "two", "cls"])
@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize("feature", ["a", "region"])  # a number and a one-hot text column
def test_a_feature_named_as_target_is_refused(run, capsys, model, command, feature):
    argv = [command, "--model", str(run / f"{model}.npz"), "--data", str(run / "t.csv"),
            "--target", feature]  # fmt: skip
    if command == "report":
        argv += ["--out", str(run / f"{model}-{feature}.html")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{feature!r} is one of the model's input columns, not what it predicts" in err
    assert not (run / f"{model}-{feature}.html").exists()


def test_another_column_is_scored_with_a_warning(run, capsys):
    data = ["--data", str(run / "t.csv")]
    assert main(["evaluate", "--model", str(run / "reg.npz"), *data, "--target", "amount"]) == 0
    captured = capsys.readouterr()
    assert "the model was trained to predict spend; its outputs are scored against amount" in (
        captured.err
    )
    assert main(["evaluate", "--model", str(run / "reg.npz"), *data, "--target", "spend"]) == 0
    same = capsys.readouterr()
    assert "warning" not in same.err
    assert same.out.replace("spend", "amount") == captured.out  # the same column's numbers


def test_check_named_alone():
    assert check_named(("y",), ("a", "b"), ("y",)) == ""
    assert check_named((), ("a", "b"), ("z",)) == ""  # a model keeping no names: as given
    assert "trained to predict y" in check_named(("y",), ("a",), ("z",))
    with pytest.raises(BadTargets, match="name its target"):
        check_named((), ("a", "b"), ("b",))
