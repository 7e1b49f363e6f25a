"""Counts in messages agree with their nouns: "1 row", "2 rows", never "1 rows" or "row(s)"."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.core.wording import counted, noun


@pytest.mark.parametrize(
    ("n", "word", "said"),
    [(0, "row", "0 rows"), (1, "row", "1 row"), (2, "row", "2 rows"), (1, "class", "1 class"),
     (3, "class", "3 classes"), (2, "category", "2 categories"), (1, "entry", "1 entry"),
     (5, "entry", "5 entries"), (2, "box", "2 boxes"), (1, "epoch", "1 epoch"),
     (2, "epoch", "2 epochs"), (3, "batch", "3 batches"), (2, "match", "2 matches"),
     (3, "day", "3 days"),
     (2, "feature column", "2 feature columns")],
)  # fmt: skip
def test_counted_agrees_with_its_number(n, word, said):
    plural = "categories" if word == "category" else None
    assert counted(n, word, plural) == said


def test_verbs_agree_too():
    assert noun(1, "holds") == "holds" and noun(2, "holds") == "hold"


def _table(path, n_empty: int, n_odd: int = 0) -> None:
    rng = np.random.default_rng(0)
    lines = ["a,b,label"]
    for i in range(40):
        a, b = rng.normal(size=2)
        label = "" if i < n_empty else ("yes" if a > 0 else "no")
        lines.append(f"{a:.3f},{'odd' if i >= 40 - n_odd else 'x' if a > 0 else 'y'},{label}")
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("n", [1, 2])
def test_train_and_evaluate_say_rows_and_cells_by_count(tmp_path, capsys, n):
    _table(tmp_path / "train.csv", n)
    base = ["--data", str(tmp_path / "train.csv"), "--target", "label"]
    out = str(tmp_path / "m.npz")
    assert main(["train", *base, "--epochs", "1", "--progress", "off", "--out", out]) == 0
    said = capsys.readouterr().out
    rows = "1 row whose" if n == 1 else f"{n} rows whose"
    assert f"left out {rows} target 'label' is empty" in said, said
    _table(tmp_path / "test.csv", n, n_odd=n)
    test = str(tmp_path / "test.csv")
    code = main(["evaluate", "--model", out, "--data", test, "--target", "label"])
    text = "".join(capsys.readouterr())
    assert code == 0, text
    assert f"left out {rows} target 'label' is empty" in text, text
    cells = "1 cell holds" if n == 1 else f"{n} cells hold"
    assert f"warning: {cells} categories unseen in training" in text, text
    for wrong in ("1 rows", "1 cells", "(s)"):
        assert wrong not in text + said


@pytest.mark.parametrize("epochs", [1, 2])
def test_an_ensemble_says_its_epochs_by_count(tmp_path, capsys, epochs):
    argv = ["train", "--dataset", "moons", "--n-samples", "100", "--ensemble", "2", "--epochs",
            str(epochs), "--patience", "0", "--progress", "off", "--out", str(tmp_path / "m.npz")]
    assert main(argv) == 0
    said = capsys.readouterr().out
    assert f"members: 2 ran all {counted(epochs, 'epoch')}" in said, said
    assert "1 epochs" not in said
