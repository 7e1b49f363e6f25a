"""No command writes over a user's file: ``train`` writes its model over a glassnet model
only, ``predict``, ``report`` and ``export-onnx`` over their own kind of file only, each
refusing anything else (a data set ``.npz``, a CSV, any other file) with one line naming
what it is, exit 2, the file untouched; ``sweep`` and ``demo`` write beside such a file
under ``sweep.NAME`` / ``demo.NAME``. An empty file is written over."""

import zipfile

import numpy as np
import pytest
from _out_argv import writing_argv

from glassnet.cli.main import main

MOONS = ["--dataset", "moons", "--n-samples", "60", "--hidden", "3", "--epochs", "2"]


def _data_npz(path, compressed=False):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), (rng.random(40) > 0.5).astype(np.int64)
    with open(path, "wb") as fh:  # under any name (np.savez would add .npz to a path)
        (np.savez_compressed if compressed else np.savez)(fh, X=X, y=y)


def _arrays(path):
    with open(path, "wb") as fh:
        np.savez(fh, a=np.ones(3), b=np.zeros(2))


def _zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "mine")


USER_FILES = {  # name -> (how to make it, what the refusal says it is)
    "data.npz": (_data_npz, "a data set (.npz of arrays X, y)"),
    "packed.npz": (lambda p: _data_npz(p, True), "a data set (.npz of arrays X, y)"),
    "arrays.npz": (_arrays, "an .npz of arrays (a, b) glassnet did not write"),
    "bundle.zip": (_zip, "a zip archive glassnet did not write"),
}


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("m")
    assert main(["train", *MOONS, "--progress", "off", "--out", str(folder / "m.npz")]) == 0
    data = folder / "new.csv"
    data.write_text("x0,x1,label\n0.1,0.2,0\n1.0,-0.5,1\n0.3,0.9,1\n")
    return folder / "m.npz", data


def _refused(capsys, out, before, *phrases):
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1, said
    for phrase in phrases:
        assert phrase in said.err, said.err
    assert out.read_bytes() == before


@pytest.mark.parametrize("ensemble", [[], ["--ensemble", "2"]])
@pytest.mark.parametrize("name", sorted(USER_FILES))
def test_train_refuses_an_npz_or_zip_that_is_not_a_model(tmp_path, capsys, name, ensemble):
    make, what = USER_FILES[name]
    out = tmp_path / name
    make(out)
    before = out.read_bytes()
    assert main(["train", *MOONS, "--progress", "off", "--out", str(out), *ensemble]) == 2
    _refused(capsys, out, before, f"--out {out} is {what}: it would be replaced by the model")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # refused before training


def test_train_refuses_a_checkpoint_and_still_replaces_a_model(tmp_path, capsys):
    out = tmp_path / "m.npz"
    argv = ["train", *MOONS, "--progress", "off", "--out"]
    assert main([*argv, str(out)]) == 0
    checkpoint = tmp_path / "m.ckpt.npz"
    assert checkpoint.is_file()
    capsys.readouterr()
    before = checkpoint.read_bytes()
    assert main([*argv, str(checkpoint)]) == 2
    _refused(capsys, checkpoint, before, "is a glassnet checkpoint")
    assert main([*argv, str(out), "--seed", "3"]) == 0  # a model: replaced, and named
    assert f"note: replaced the earlier {out}" in capsys.readouterr().out


OWN = {"predict": "a table of predictions", "report": "a glassnet report page",
       "export-onnx": "an ONNX model"}  # fmt: skip
_SUFFIX = {"predict": ".csv", "report": "", "export-onnx": ""}  # predict: a table's suffix
PLAIN = {"table.csv": b"a,b\n1,2\n", "page.html": b"<html>my page</html>",
         "notes.txt": b"my notes", "model.onnx": b"not onnx at all"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PLAIN) + sorted(USER_FILES))
@pytest.mark.parametrize("command", ["predict", "report", "export-onnx"])
def test_single_file_commands_refuse_a_users_file(model, tmp_path, capsys, command, name):
    out = tmp_path / (name + _SUFFIX[command] if not name.endswith(".csv") else name)
    if name in PLAIN:
        out.write_bytes(PLAIN[name])
        phrase = f"--out {out} exists and is not {OWN[command]}: it would be replaced by the"
    else:
        USER_FILES[name][0](out)
        phrase = f"--out {out} is {USER_FILES[name][1]}: {command} would replace it"
    before = out.read_bytes()
    capsys.readouterr()
    assert main(writing_argv(command, *model, out)) == 2
    _refused(capsys, out, before, phrase)


@pytest.mark.parametrize("command", ["predict", "report", "export-onnx"])
def test_single_file_commands_write_over_an_empty_file(model, tmp_path, capsys, command):
    out = tmp_path / ("out.bin" + _SUFFIX[command])
    out.touch()
    assert main(writing_argv(command, *model, out)) == 0
    assert out.stat().st_size > 0


@pytest.mark.parametrize(
    ("command", "name", "argv"),
    [("sweep", "best.npz", ["sweep", *MOONS, "--lr", "0.1", "--out"]),
     ("sweep", "results.csv", ["sweep", *MOONS, "--lr", "0.1", "--out"]),
     ("demo", "params.npz", ["demo", "--every", "0", "--out"]),
     ("demo", "metrics.json", ["demo", "--every", "0", "--out"])],  # fmt: skip
)
def test_sweep_and_demo_write_beside_a_users_file(tmp_path, capsys, command, name, argv):
    mine = tmp_path / name
    if name.endswith(".npz"):
        _data_npz(mine)
    else:
        mine.write_text("my,own\n1,2\n")
    before = mine.read_bytes()
    assert main([*argv, str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert mine.read_bytes() == before
    assert (tmp_path / f"{command}.{name}").is_file()
    assert f"note: {tmp_path} holds files glassnet did not write ({name})" in said
    assert f"replaced the earlier {mine}" not in said
