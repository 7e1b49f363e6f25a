"""``glassnet train`` on so few rows that ``--val-fraction`` holds out one validation row
(NU12 #4): it trains, and one warning on stderr says the validation scores rest on that
row, as the estimators refuse fewer than 2 validation rows; 2 validation rows, or
``--val-fraction 0``, say nothing of it."""

import pytest

from glassnet.cli.main import main


def _csv(path, n):
    rows = [f"{i / n:.3f},{(i * 7 % n) / n:.3f},{'ab'[i % 2]}" for i in range(n)]
    path.write_text("x0,x1,label\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize(("n", "fraction", "warned"),
                         [(3, "0.2", True), (4, "0.25", True), (10, "0.2", False),
                          (3, "0", False)])  # fmt: skip
def test_one_validation_row_is_named(tmp_path, capsys, n, fraction, warned):
    data = _csv(tmp_path / "d.csv", n)
    argv = ["train", "--data", str(data), "--target", "label", "--epochs", "2", "--hidden", "2",
            "--val-fraction", fraction, "--progress", "off", "--out", str(tmp_path / "m.npz")]
    assert main(argv) == 0
    err = capsys.readouterr().err
    line = (f"warning: --val-fraction {fraction} holds out 1 validation row of {n}: the "
            "validation scores, and early stopping on them, rest on that one row (the "
            "estimators refuse fewer than 2); give more rows, or --val-fraction 0 to train on "
            "every row")  # fmt: skip
    assert (line in err.splitlines()) == warned, err
    assert err.count("holds out 1 validation row") == int(warned)
