"""``estimator.save(path)`` and ``glassnet.export_onnx(model, path)`` write over nothing
another command or the user made (NU11 #13): a file of another kind (a CSV, a training
history, a checkpoint, a report) is refused naming what it is, and left as it was; a model
of a ``glassnet train`` run is replaced with a warning naming it; their own kind (an
estimator's model, an ONNX model) and empty or missing files are written as before."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from glassnet.cli.main import main  # noqa: E402
from glassnet.files.modelfile import load_model  # noqa: E402
from glassnet.files.overwrites import FileOfAnotherKind  # noqa: E402

RNG = np.random.default_rng(3)
X = RNG.normal(size=(40, 2))
Y = np.where(X[:, 0] > 0, "pos", "neg")


@pytest.fixture(scope="module")
def clf():
    from glassnet.sklearn.estimators import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0).fit(X, Y)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A ``glassnet train`` run: model, checkpoint, history.json, report beside them."""
    folder = tmp_path_factory.mktemp("run")
    data = folder / "d.csv"
    rows = zip(X[:, 0], X[:, 1], Y, strict=True)
    data.write_text("a,b,label\n" + "".join(f"{a},{b},{y}\n" for a, b, y in rows))
    out = folder / "model.npz"
    argv = ["train", "--data", str(data), "--target", "label", "--epochs", "2", "--progress",
            "off", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    return folder


def _others(run, tmp_path):
    """Files of other kinds, each a copy (the test writes over copies only)."""
    files = {
        "a data table": ("data.csv", (run / "d.csv").read_bytes()),
        "a training history": ("history.json", (run / "history.json").read_bytes()),
        "a glassnet checkpoint": ("model.ckpt.npz", (run / "model.ckpt.npz").read_bytes()),
        "a training report": ("report.html", (run / "report.html").read_bytes()),
        "a figure": ("loss.png", (run / "loss.png").read_bytes()),
        "a text file": ("notes.txt", b"my notes\n"),
    }
    paths = {}
    for what, (name, content) in files.items():
        path = tmp_path / what.replace(" ", "_") / name
        path.parent.mkdir()
        path.write_bytes(content)
        paths[what] = path
    return paths


@pytest.mark.parametrize("writer", ["save", "export_onnx"])
def test_a_file_of_another_kind_is_refused_and_kept(tmp_path, clf, run, writer):
    if writer == "export_onnx":
        pytest.importorskip("onnx")
    import glassnet

    for what, path in _others(run, tmp_path).items():
        before = path.read_bytes()
        with pytest.raises(FileOfAnotherKind) as e:
            clf.save(path) if writer == "save" else glassnet.export_onnx(clf, path)
        said = str(e.value)
        assert said.startswith(f"{path} is ") and said.endswith("; name another file"), said
        assert path.read_bytes() == before, what
        assert isinstance(e.value, FileExistsError)
    assert "is a glassnet checkpoint (of a run --resume continues)" in _refusal(
        clf, tmp_path / "a_glassnet_checkpoint" / "model.ckpt.npz", writer)
    assert "is a training history" in _refusal(
        clf, tmp_path / "a_training_history" / "history.json", writer)
    assert "is a file glassnet did not write" in _refusal(
        clf, tmp_path / "a_text_file" / "notes.txt", writer)


def _refusal(clf, path, writer):
    import glassnet

    with pytest.raises(FileOfAnotherKind) as e:
        clf.save(path) if writer == "save" else glassnet.export_onnx(clf, path)
    return str(e.value)


def test_export_onnx_refuses_a_model_file_and_save_refuses_an_onnx_file(tmp_path, clf):
    pytest.importorskip("onnx")
    import glassnet

    model, onnx_file = tmp_path / "m.npz", tmp_path / "m.onnx"
    clf.save(model)
    glassnet.export_onnx(clf, onnx_file)
    with pytest.raises(FileOfAnotherKind, match="is a glassnet model: the ONNX"):
        glassnet.export_onnx(clf, model)
    with pytest.raises(FileOfAnotherKind, match="is an ONNX model: saving the model would"):
        clf.save(onnx_file)
    assert load_model(model).settings["estimator"] == "MLPClassifier"


def test_own_kinds_and_empty_files_are_written_without_a_word(tmp_path, clf):
    import glassnet

    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for path in (tmp_path / "m.npz", tmp_path / "m.npz", empty):  # twice: its own file
            clf.save(path)
            assert load_model(path).settings["estimator"] == "MLPClassifier"
        if pytest.importorskip("onnx"):
            glassnet.export_onnx(clf, tmp_path / "m.onnx")
            glassnet.export_onnx(clf, tmp_path / "m.onnx")


def test_a_train_runs_model_is_replaced_with_a_warning_naming_it(tmp_path, clf, run):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(run, folder)
    model = folder / "model.npz"
    assert "estimator" not in load_model(model).settings  # glassnet train's
    with pytest.warns(UserWarning, match=f"replaced the model file {model}; the history.json, "
                      "report.html, loss.png beside it describe the model that was there"):
        clf.save(model)
    assert load_model(model).settings["estimator"] == "MLPClassifier"
    history = json.loads((folder / "history.json").read_text())
    assert history["epoch"][-1] == 2  # left as it was: the warning says what it describes


def test_a_folder_is_refused(tmp_path, clf):
    with pytest.raises(IsADirectoryError, match="is a folder; name the file to write"):
        clf.save(tmp_path)
