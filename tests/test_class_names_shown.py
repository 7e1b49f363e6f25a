"""Look-alike class names on screen (NU7 14): names that shortening makes equal are shown
quoted, or tagged ``~N`` with a key line saying which class each tag is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from glassnet.views.labels import name_key, shorten_all
from glassnet.views.metrics import ClassScores, confusion_table


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        (["BENIGN", "benign", "benign ", "malignant"],
         ["BENIGN", "'benign'", "'benign '", "malignant"]),
        (["a b", "a  b", "a\nb", "c"], ["'a b'", "'a  b'", "'a\\nb'", "c"]),
        (["x", " x", "x\t"], ["'x'", "' x'", "'x\\t'"]),
        (["ok", "fine"], ["ok", "fine"]),
    ],
)  # fmt: skip
def test_look_alikes_are_quoted(names: list[str], shown: list[str]) -> None:
    assert shorten_all(names) == shown
    assert name_key(names, shown) == ""  # quoted names need no key
    assert len(set(shown)) == len(names)


def test_names_alike_past_the_cut_get_a_key() -> None:
    names = ["a" * 30 + "x", "b", "a" * 30 + "y", "a" * 40]
    shown = shorten_all(names, 12)
    assert shown == ["aaaaaaaaa.~1", "b", "aaaaaaaaa.~2", "aaaaaaaaa.~3"]
    key = name_key(names, shown)
    assert key.startswith("key: aaaaaaaaa.~1 = class 0 'aaaa")
    assert "aaaaaaaaa.~2 = class 2 " in key and "~3 = class 3" in key
    assert ", b = " not in key  # only the tagged names


@pytest.mark.parametrize("long", [False, True])
def test_tables_carry_the_key_when_tagged(long: bool) -> None:
    stem = "x" * 40 if long else "benign"
    names = [stem, stem + " ", "malignant"]
    C = np.array([[5, 1, 0], [0, 2, 1], [1, 0, 7]])
    for text in (ClassScores.from_confusion(C).table(names), confusion_table(C, names)):
        last = text.splitlines()[-1]
        if long:
            assert last.startswith("key: ") and "class 1 'xxx" in last
        else:
            assert "'benign '" in text and "key:" not in text


def test_evaluate_shows_each_class_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    from glassnet.cli.main import main

    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    labels = np.where(X[:, 0] > 0, "malignant", "benign").astype(object)
    labels[:4], labels[4:6] = "benign ", "BENIGN"
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(t=labels)
    frame.to_csv(tmp_path / "d.csv", index=False)
    model = tmp_path / "m.npz"
    assert main(["train", "--data", str(tmp_path / "d.csv"), "--target", "t", "--epochs", "2",
                 "--progress", "off", "--out", str(model)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["evaluate", "--model", str(model), "--data", str(tmp_path / "d.csv"),
                 "--target", "t"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "'benign'" in out and "'benign '" in out and "BENIGN" in out and "~1" not in out
