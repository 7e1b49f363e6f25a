"""Whole numbers different in every row that do not count rows (random record numbers)
are trained on as numbers (they may be a real quantity) with one warning line naming the
column and ``--drop``; a contiguous range is still refused as an ID, and repeated whole
numbers or fractions get no warning. The oracle is the generator (``np.unique``)."""

import numpy as np
import pytest

from glassnet.cli.main import main


def _train(capsys, tmp_path, cells):
    rng = np.random.default_rng(1)
    path = tmp_path / "d.csv"
    path.write_text("a,rec,y\n" + "".join(f"{rng.normal()},{c},{i % 2}\n"
                                          for i, c in enumerate(cells)))  # fmt: skip
    code = main(["train", "--data", str(path), "--target", "y", "--epochs", "1",
                 "--progress", "off", "--out", str(tmp_path / "m.npz")])  # fmt: skip
    return code, capsys.readouterr().err


@pytest.mark.parametrize("n", [20, 60])
@pytest.mark.parametrize("top", [10**3, 10**9])
def test_unique_whole_numbers_warn_once(capsys, tmp_path, n, top):
    cells = np.random.default_rng(n).choice(np.arange(top), n, replace=False) - top // 3
    assert len(np.unique(cells)) == n and np.ptp(cells) != n - 1
    code, err = _train(capsys, tmp_path, cells)
    assert code == 0, err
    lines = [line for line in err.splitlines() if "'rec'" in line]
    assert len(lines) == 1 and lines[0].startswith("warning:") and "--drop rec" in lines[0]


@pytest.mark.parametrize("kind", ["repeated", "fractions", "few rows"])
def test_other_numbers_do_not_warn(capsys, tmp_path, kind):
    rng = np.random.default_rng(2)
    cells = {"repeated": rng.integers(0, 10, 60), "fractions": rng.normal(size=60),
             "few rows": rng.choice(1000, 19, replace=False)}[kind]  # fmt: skip
    code, err = _train(capsys, tmp_path, cells)
    assert code == 0, err
    assert "'rec'" not in err


def test_a_contiguous_range_is_still_an_id(capsys, tmp_path):
    code, err = _train(capsys, tmp_path, np.random.default_rng(3).permutation(40) + 100)
    assert code == 1 and "column 'rec' looks like an ID" in err
