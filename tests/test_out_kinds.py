"""``predict``, ``report`` and ``export-onnx`` write one kind of file each (a predictions
table, a report page, an ONNX model). Over another kind that a glassnet command made (an
ONNX model, predictions, a report page, a sweep's results, a figure) they refuse: exit 2,
one line naming what the file is, the file untouched. Over their own kind they write and
name what they replaced."""

import shutil

import numpy as np
import pytest
from _out_argv import writing_argv

from glassnet.cli.checks import run_file_kind
from glassnet.cli.main import main


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """One file of every kind these commands and a sweep make, and the model behind them."""
    folder = tmp_path_factory.mktemp("kinds")
    model = folder / "run" / "m.npz"
    assert main(["train", "--dataset", "moons", "--n-samples", "80", "--hidden", "4",
                 "--epochs", "2", "--progress", "off", "--out", str(model)]) == 0  # fmt: skip
    data = folder / "new.csv"
    data.write_text("x0,x1,label\n0.1,0.2,0\n1.0,-0.5,1\n0.3,0.9,1\n")
    made = {
        "labels.csv": ["predict", "--model", str(model), "--data", str(data)],
        "proba.csv": ["predict", "--model", str(model), "--data", str(data), "--proba"],
        "page.html": ["report", "--model", str(model), "--data", str(data), "--target", "label"],
        "model.onnx": ["export-onnx", "--model", str(model)],
        "bytes.bin": ["export-onnx", "--model", str(model)],  # ONNX under another name
    }
    for name, argv in made.items():
        assert main([*argv, "--out", str(folder / name)]) == 0
    assert main(["sweep", "--dataset", "moons", "--n-samples", "60", "--hidden", "3",
                 "--epochs", "2", "--lr", "0.1", "--out", str(folder / "sw")]) == 0  # fmt: skip
    return folder, model, data


KINDS = {  # file -> (what it is, the command that makes that kind)
    "labels.csv": ("a table of predictions", "predict"),
    "proba.csv": ("a table of predictions", "predict"),
    "page.html": ("a glassnet report page", "report"),
    "model.onnx": ("an ONNX model", "export-onnx"),
    "bytes.bin": ("an ONNX model", "export-onnx"),
    "sw/results.csv": ("a sweep's results table", None),
    "sw/report.html": ("a sweep report", None),
    "run/loss.png": ("a figure (PNG image)", None),
}


def test_each_kind_is_told_by_its_bytes(made):
    folder, _, _ = made
    for name, (kind, _) in KINDS.items():
        assert run_file_kind(folder / name) == kind, name
    assert run_file_kind(folder / "new.csv") is None  # the user's data: no command made it


def test_the_onnx_files_are_onnx_models(made):
    onnx = pytest.importorskip("onnx")  # the oracle: the ONNX library reads them
    folder, _, _ = made
    for name in ("model.onnx", "bytes.bin"):
        assert onnx.load(str(folder / name)).producer_name == "glassnet"


@pytest.mark.parametrize("name", sorted(KINDS))
@pytest.mark.parametrize("command", ["predict", "report", "export-onnx"])
def test_each_command_over_each_kind(made, tmp_path, capsys, command, name):
    folder, model, data = made
    out = tmp_path / name.replace("/", "_")
    shutil.copy(folder / name, out)
    before = out.read_bytes()
    kind, maker = KINDS[name]
    capsys.readouterr()
    code = main(writing_argv(command, model, data, out))
    said = capsys.readouterr()
    if maker == command:  # its own kind: written, and the replaced file named
        assert code == 0
        assert f"note: replaced the earlier {out}" in said.out
        assert run_file_kind(out) == kind
        return
    assert code == 2
    assert said.out == "" and len(said.err.strip().splitlines()) == 1
    assert f"--out {out} is {kind}: {command} would replace it" in said.err
    assert out.read_bytes() == before


@pytest.mark.parametrize("header", ["prediction,score", "x,prediction", "predictions",
                                    "prediction_1,prediction_0", "id,label"])  # fmt: skip
def test_a_table_that_only_looks_like_predictions_is_not_one(tmp_path, header):
    path = tmp_path / "t.csv"
    path.write_text(header + "\n1,2\n")
    assert run_file_kind(path) is None


def test_bytes_that_open_like_onnx_are_not_onnx_without_its_name_or_producer(tmp_path):
    raw = bytes([0x08, 0x08, 0x12, 0x03]) + b"abc" + np.arange(20, dtype=np.uint8).tobytes()
    (tmp_path / "a.bin").write_bytes(raw)
    (tmp_path / "a.onnx").write_bytes(raw)
    assert run_file_kind(tmp_path / "a.bin") is None
    assert run_file_kind(tmp_path / "a.onnx") == "an ONNX model"
