"""``train --out`` with another kind of file's suffix is refused before any work (NU12 #3):
the model file is a ``.npz`` archive whatever its name."""

from __future__ import annotations

import pytest

from glassnet.cli.main import main

MOONS = ["--dataset", "moons", "--n-samples", "60", "--epochs", "1", "--progress", "off"]


@pytest.mark.parametrize("name", ["model.csv", "model.JSON", "m.onnx", "report.html", "m.parquet"])
def test_a_model_named_as_another_kind_is_refused(tmp_path, capsys, name):
    out = tmp_path / "z" / name
    assert main(["train", *MOONS, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"--out {out}: train writes a model file (a .npz archive)" in err
    assert not (tmp_path / "z").exists() or not any((tmp_path / "z").iterdir())


@pytest.mark.parametrize("name", ["model.npz", "model.NPZ", "model"])
def test_a_model_file_name_is_taken(tmp_path, name):
    assert main(["train", *MOONS, "--out", str(tmp_path / name)]) == 0
    assert (tmp_path / name).is_file()


def test_an_existing_table_keeps_its_own_message(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n")
    assert main(["train", *MOONS, "--out", str(table)]) == 2
    assert "exists and is not a model file (.npz)" in capsys.readouterr().err
    assert table.read_text() == "a,b\n1,2\n"
