"""A CSV separated by semicolons or tabs is named as such by every command, whatever its data
rows hold (NU11 #9): with decimal commas (a European spreadsheet's export) the rows have more
commas than the header has fields, and the message used to count fields instead. Decimal
commas are named when seen. The oracle: files written by pandas with ``sep`` and
``decimal``, and the message composed here from their first line."""

import numpy as np
import pandas as pd
import pytest

from glassnet.cli.main import main
from glassnet.data.errors import decimal_commas

NAMES = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
FIX_POINTS = ("glassnet reads comma-separated files with decimal points: save the file with "
              "commas between fields and points in numbers")  # fmt: skip
FIX = "glassnet reads comma-separated files: save the file with commas"


def _frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"mean radius": rng.normal(14, 3, n), "texture": -rng.random(n),
                       "count": rng.integers(0, 9, n)})  # fmt: skip
    df["label"] = np.where(df["mean radius"] > 14, "big", "small")
    return df


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sep")
    _frame().to_csv(folder / "train.csv", index=False)
    out = folder / "model.npz"
    assert main(["train", "--data", str(folder / "train.csv"), "--target", "label", "--epochs",
                 "2", "--hidden", "3", "--progress", "off", "--out", str(out)]) == 0  # fmt: skip
    return out


def _expected(path, sep, decimal):
    header = path.read_text().splitlines()[0]
    shown = header if len(header) <= 60 else header[:57] + "..."
    said = f"{path}: the header is one column {shown!r} separated by {NAMES[sep]}"
    return said + (f", and its numbers have decimal commas (1,5); {FIX_POINTS}"
                   if decimal == "," else f"; {FIX}")  # fmt: skip


@pytest.mark.parametrize("decimal", [",", "."])
@pytest.mark.parametrize("sep", [";", "\t", "|"])
@pytest.mark.parametrize("command", ["train", "predict", "evaluate", "report", "sweep"])
def test_every_command_names_the_separator_and_decimal_commas(
    tmp_path, capsys, model, sep, decimal, command
):
    data = tmp_path / "export.csv"
    _frame(seed=1).to_csv(data, index=False, sep=sep, decimal=decimal)
    if decimal == ",":
        assert "," in data.read_text().splitlines()[1]  # the rows hold commas
    out = tmp_path / "out"
    argv = {
        "train": ["--data", str(data), "--target", "label", "--out", str(out / "m.npz")],
        "sweep": ["--data", str(data), "--target", "label", "--out", str(out)],
        "predict": ["--model", str(model), "--data", str(data), "--out", str(out / "p.csv")],
        "evaluate": ["--model", str(model), "--data", str(data), "--target", "label"],
        "report": ["--model", str(model), "--data", str(data), "--target", "label", "--out",
                   str(out / "r.html")],
    }[command]  # fmt: skip
    assert main([command, *argv]) == 1
    err = capsys.readouterr().err
    assert err == f"glassnet {command}: error: {_expected(data, sep, decimal)}\n"
    assert "fields, the header has" not in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        (["1,5;2"], True),
        (["-0,25;x"], True),
        (["1,5e-3;y"], True),
        (['"12,75";z'], True),
        (["1.5;2"], False),  # decimal points
        (["1;2", "3;4"], False),  # whole numbers
        (["a,b;c"], False),  # text with a comma is no number
        ([], False),  # no data rows
    ],
)
def test_decimal_commas_are_seen_in_the_cells(tmp_path, rows, found):
    path = tmp_path / "f.csv"
    path.write_text("\n".join(["a;b", *rows]) + "\n")
    assert decimal_commas(str(path), ";") is found
    assert decimal_commas(str(tmp_path / "missing.csv"), ";") is False
    assert decimal_commas(str(tmp_path / "f.parquet"), ";") is False


def test_a_comma_file_with_a_bad_row_still_counts_fields(tmp_path, capsys):
    """A real comma-separated file with one row too long: the field count, as before."""
    data = tmp_path / "bad.csv"
    data.write_text("a,b,label\n1,2,x\n3,4,5,y\n")
    assert main(["train", "--data", str(data), "--target", "label", "--progress", "off",
                 "--out", str(tmp_path / "m.npz")]) == 1  # fmt: skip
    assert "line 3 has 4 fields, the header has 3" in capsys.readouterr().err
