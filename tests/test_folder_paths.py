"""A folder (or a device) named where a model file is expected is said to be one, not
"no such model file" (NU9 #34): a user passing a run's folder is told which model files it
holds; a path with nothing there still reads "no such model file"."""

import pytest

import glassnet
from glassnet.cli.main import main
from glassnet.files.modelmeta import ModelFileError

DATA = "x0,x1,label\n0.1,0.2,0\n1.0,-0.5,1\n0.3,0.9,1\n"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs") / "xor"
    argv = ["train", "--dataset", "xor", "--n-samples", "40", "--hidden", "2", "--epochs", "1",
            "--progress", "off", "--out", str(folder / "model.npz")]  # fmt: skip
    assert main(argv) == 0
    data = folder.parent / "new.csv"
    data.write_text(DATA)
    return folder, data


def _commands(model, data, out):
    labelled = ["--data", data, "--target", "label"]
    return {
        "predict": ["predict", "--model", model, "--data", data],
        "evaluate": ["evaluate", "--model", model, *labelled],
        "report": ["report", "--model", model, *labelled, "--out", str(out / "r.html")],
        "export-onnx": ["export-onnx", "--model", model, "--out", str(out / "m.onnx")],
        "explain": ["explain", "--model", model, *labelled],
        "positional": ["report", model, *labelled, "--out", str(out / "r2.html")],
    }


COMMANDS = ["predict", "evaluate", "report", "export-onnx", "explain", "positional"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_run_folder_as_the_model_names_its_model_files(run, tmp_path, capsys, command):
    folder, data = run
    assert main(_commands(str(folder), str(data), tmp_path)[command]) == 1
    err = capsys.readouterr().err
    assert f"{folder}: a folder, not a model file; it holds model.npz: name one, as " in err
    assert str(folder / "model.npz") in err and "no such" not in err
    assert "ckpt" not in err  # the checkpoint is no model to name


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_model_still_reads_no_such_model_file(run, tmp_path, capsys, command):
    _, data = run
    assert main(_commands(str(tmp_path / "gone.npz"), str(data), tmp_path)[command]) == 1
    assert "gone.npz: no such model file" in capsys.readouterr().err


def test_load_names_a_folder_and_the_models_in_it(tmp_path, run):
    folder, _ = run
    with pytest.raises(ModelFileError, match="a folder, not a model file; it holds model.npz"):
        glassnet.load(folder)
    (tmp_path / "a.npz").mkdir()  # a folder named like a model, inside an empty folder
    with pytest.raises(ModelFileError, match=r"a\.npz: a folder, not a model file$"):
        glassnet.load(tmp_path / "a.npz")
    with pytest.raises(ModelFileError, match=r"a folder, not a model file$"):
        glassnet.load(tmp_path)  # only a folder inside: no model file to name


def test_many_model_files_are_shown_as_three_and_more(tmp_path, run):
    folder, _ = run
    for name in ("b.npz", "c.npz", "d.npz"):
        (tmp_path / name).write_bytes((folder / "model.npz").read_bytes())
    (tmp_path / "a.ckpt.npz").write_bytes(b"")
    with pytest.raises(ModelFileError, match=r"it holds b\.npz, c\.npz, d\.npz: name one"):
        glassnet.load(tmp_path)
    (tmp_path / "e.npz").write_bytes(b"")
    with pytest.raises(ModelFileError, match=r"it holds b\.npz, c\.npz, d\.npz, \.\.\.: name"):
        glassnet.load(tmp_path)


def test_a_device_is_not_a_regular_file(tmp_path):
    with pytest.raises(ModelFileError, match="/dev/null: not a regular file"):
        glassnet.load("/dev/null")


def test_the_playground_names_a_folder_given_as_data(tmp_path):
    from glassnet.data.tables import DataError
    from glassnet.playground.app import start

    with pytest.raises(DataError, match="a folder, not a data file"):
        start(data=tmp_path, port=0)
