"""Numbers written with thousands separators (``1,234,567``, ``1.234.567``, ``1 234``) are
refused naming the cause, the column, the line and the value, whether every value is
different (once "looks like an ID") or they repeat (once one-hot encoded). The oracle is
the generator: Python's own ``f"{x:,}"`` formatting."""

import numpy as np
import pytest

from glassnet.cli.main import main


def _write(path, cells, rng):
    path.write_text("a,n,y\n" + "".join(f'{rng.normal()},"{c}",{i % 2}\n'
                                         for i, c in enumerate(cells)))  # fmt: skip


GROUPINGS = {
    "comma": lambda x: f"{x:,}",
    "comma, decimals": lambda x: f"{x / 100:,.2f}",
    "dot (German)": lambda x: f"{x:,}".replace(",", "."),
    "space": lambda x: f"{x:,}".replace(",", " "),
}


@pytest.mark.parametrize("grouping", sorted(GROUPINGS))
@pytest.mark.parametrize("repeated", [False, True])
def test_cli_names_thousands_separators(capsys, tmp_path, rng, grouping, repeated):
    values = [1234567, 56789012] * 20 if repeated else rng.choice(np.arange(1000, 10**8), 40, False)
    cells = [GROUPINGS[grouping](int(v)) for v in values]
    _write(tmp_path / "d.csv", cells, rng)
    code = main(["train", "--data", str(tmp_path / "d.csv"), "--target", "y", "--epochs", "1",
                 "--progress", "off", "--out", str(tmp_path / "m.npz")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"column 'n' holds numbers with thousands separators ({cells[0]!r} at line 2)" in err
    assert "--drop n" in err and "ID" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("cells", [["1,2", "3,4"], ["a,b", "c,d"], ["12,3456", "1,23"]])
def test_cli_keeps_other_text_with_commas_as_categories(capsys, tmp_path, rng, cells):
    _write(tmp_path / "d.csv", cells * 20, rng)
    code = main(["train", "--data", str(tmp_path / "d.csv"), "--target", "y", "--epochs", "1",
                 "--progress", "off", "--out", str(tmp_path / "m.npz")])  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "column 'n': 2 categories one-hot encoded" in out.out
