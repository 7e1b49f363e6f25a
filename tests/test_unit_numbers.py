"""Numbers written with a unit (``12.5%``, ``$123.45``, ``€5``, ``1.2e3 kg``, ``21.5 °C``)
are refused naming the column, the line, the value, the unit and the plain number to write
instead, whether every value is different (once "looks like an ID") or they repeat (once
one-hot encoded as categories without a word), in a feature or a target, in a CSV or a
Parquet file (NU9 #16). Words before a number that are no unit (``Q1``, ``Grade 3``) stay
categories, record names (``P00017``) IDs. The oracle is the generator: Python's own
formatting of the numbers, and the unit put around it."""

import numpy as np
import pytest

from glassnet.cli.main import main

UNITS = {  # how the cell is written -> (the unit named, the plain number shown)
    "percent": (lambda x: f"{x:.1f}%", "%", lambda x: f"{x:.1f}"),
    "percent, space": (lambda x: f"{x:.0f} %", "%", lambda x: f"{x:.0f}"),
    "dollars": (lambda x: f"${x:.2f}", "$", lambda x: f"{x:.2f}"),
    "dollars, grouped": (lambda x: f"${x * 100:,.2f}", "$", lambda x: f"{x * 100:.2f}"),
    "negative dollars": (lambda x: f"-${x:.2f}", "$", lambda x: f"-{x:.2f}"),
    "euros after": (lambda x: f"{x:.0f} €", "€", lambda x: f"{x:.0f}"),
    "euros, decimal comma": (lambda x: f"€{x:.2f}".replace(".", ","), "€", lambda x: f"{x:.2f}"),
    "pounds": (lambda x: f"£{x:.0f}", "£", lambda x: f"{x:.0f}"),
    "kilograms": (lambda x: f"{x * 10:.1e} kg", "kg", lambda x: f"{x * 10:.1e}"),
    "celsius": (lambda x: f"{x / 4:.1f} °C", "°C", lambda x: f"{x / 4:.1f}"),
    "US dollars": (lambda x: f"US$ {x:.0f}", "US$", lambda x: f"{x:.0f}"),
}


def _train(tmp_path, data, target="y", suffix="csv"):
    return main(["train", "--data", str(data), "--target", target, "--epochs", "1",
                 "--progress", "off", "--out", str(tmp_path / "m.npz")])  # fmt: skip


def _write(path, cells, rng, suffix="csv"):
    import pandas as pd

    frame = pd.DataFrame({"a": rng.normal(size=len(cells)), "n": cells,
                          "y": np.arange(len(cells)) % 2})  # fmt: skip
    frame.to_csv(path, index=False) if suffix == "csv" else frame.to_parquet(path)


@pytest.mark.parametrize("unit", sorted(UNITS))
@pytest.mark.parametrize("repeated", [False, True])
def test_cli_names_numbers_written_with_a_unit(capsys, tmp_path, rng, unit, repeated):
    pytest.importorskip("pandas")
    write, sign, plain = UNITS[unit]
    values = rng.integers(1, 20, 60) if repeated else rng.permutation(np.arange(100, 160))
    cells = [write(float(v)) for v in values]
    _write(tmp_path / "d.csv", cells, rng)
    code = _train(tmp_path, tmp_path / "d.csv")
    err = capsys.readouterr().err
    assert code == 1, err
    said = (f"column 'n' holds numbers written with the unit {sign!r} ({cells[0]!r} at line 2);"
            f" write them as plain numbers ({plain(float(values[0]))}), or leave it out with "
            "--drop n")  # fmt: skip
    assert said in err
    assert "ID" not in err and len(err.strip().splitlines()) == 1


def test_a_few_cells_with_a_unit_among_plain_numbers_are_named(capsys, tmp_path, rng):
    cells = [f"{v:.2f}" for v in rng.uniform(1, 9, 50)]
    cells[17] = "4.50%"
    _write(tmp_path / "d.csv", cells, rng)
    assert _train(tmp_path, tmp_path / "d.csv") == 1
    err = capsys.readouterr().err
    assert "column 'n' holds numbers written with the unit '%' ('4.50%' at line 19)" in err


def test_parquet_and_targets_with_a_unit_are_named(capsys, tmp_path, rng):
    pytest.importorskip("pyarrow")
    cells = [f"${v:.2f}" for v in rng.uniform(10, 500, 40)]
    _write(tmp_path / "d.parquet", cells, rng, "parquet")
    assert _train(tmp_path, tmp_path / "d.parquet") == 1
    err = capsys.readouterr().err
    assert f"column 'n' holds numbers written with the unit '$' ({cells[0]!r} at row 0)" in err
    assert _train(tmp_path, tmp_path / "d.parquet", target="n") == 1  # a price as the target
    err = capsys.readouterr().err
    assert "column 'n' holds numbers written with the unit '$'" in err and "--drop" not in err


@pytest.mark.parametrize(
    "cells",
    [["Q1", "Q2", "Q3", "Q4"], ["Grade 3", "Grade 4"], ["M1", "M2"], ["10 kg", "3 lb"],
     ["1st", "2nd", "3rd"], ["#1", "#2"], ["5 stars", "4 stars"]],
)  # fmt: skip
def test_cli_keeps_words_with_numbers_as_categories(capsys, tmp_path, rng, cells):
    pytest.importorskip("pandas")
    _write(tmp_path / "d.csv", cells * 12, rng)
    out_code = _train(tmp_path, tmp_path / "d.csv")
    out = capsys.readouterr()
    assert out_code == 0, out.err
    assert f"column 'n': {len(cells)} categories one-hot encoded" in out.out


def test_record_names_are_still_ids(capsys, tmp_path, rng):
    pytest.importorskip("pandas")
    _write(tmp_path / "d.csv", [f"P{i:05d}" for i in range(40)], rng)
    assert _train(tmp_path, tmp_path / "d.csv") == 1
    assert "column 'n' looks like an ID" in capsys.readouterr().err
