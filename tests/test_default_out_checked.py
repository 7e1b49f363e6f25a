"""``glassnet report`` and ``glassnet export-onnx`` without ``--out`` write beside the model
(``MODEL-report-DATA.html`` / ``MODEL-predictions-DATA.html``, ``MODEL.onnx``); that file
is checked as a given ``--out`` is (issue 12 item 2): a file of another kind there (a
training report, a model, a user's notes or table) is refused before any work, exit 2, one
line naming the path as the default and asking for ``--out``, the file untouched; a file
of the command's own kind, or an empty one, is replaced, and named as replaced."""

import shutil

import numpy as np
import pytest

from glassnet.cli.main import main

MOONS = ["--dataset", "moons", "--n-samples", "60", "--hidden", "3", "--epochs", "2"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A trained model ``m.npz`` (with the training run's files beside it) and a CSV."""
    at = tmp_path_factory.mktemp("trained")
    assert main(["train", *MOONS, "--progress", "off", "--out", str(at / "m.npz")]) == 0
    (at / "new.csv").write_text("x0,x1,label\n0.1,0.2,0\n1.0,-0.5,1\n0.3,0.9,1\n")
    return at


@pytest.fixture()
def folder(trained, tmp_path):
    """A fresh copy of :func:`trained`'s folder for each test."""
    shutil.copytree(trained, tmp_path / "run")
    return tmp_path / "run"


def _data_npz(path):
    with open(path, "wb") as fh:
        np.savez(fh, X=np.ones((3, 2)), y=np.zeros(3))


PLACED = {  # what stands at the default path -> (how to make it, what it is said to be)
    "training report": (lambda d, p: shutil.copy(d / "report.html", p), "is a training report"),
    "training history": (lambda d, p: shutil.copy(d / "history.json", p),
                         "is a training history"),
    "loss figure": (lambda d, p: shutil.copy(d / "loss.png", p), "is a figure (PNG image)"),
    "a model": (lambda d, p: shutil.copy(d / "m.npz", p), "is a glassnet model"),
    "user's notes": (lambda d, p: p.write_text("my notes\n"), "exists and is not"),
    "user's table": (lambda d, p: p.write_text("a,b\n1,2\n"), "exists and is not"),
    "data set": (lambda d, p: _data_npz(p), "is a data set (.npz of arrays X, y)"),
}  # fmt: skip

COMMANDS = {  # argv (m.npz, new.csv in the folder) -> the default path's name
    "report, labelled": (["report", "--model", "{d}/m.npz", "--data", "{d}/new.csv",
                          "--target", "label"], "m-report-new.html"),
    "report, unlabelled": (["report", "--model", "{d}/m.npz", "--data", "{d}/new.csv"],
                           "m-predictions-new.html"),
    "report, positional model": (["report", "{d}/m.npz", "--data", "{d}/new.csv",
                                  "--target", "label"], "m-report-new.html"),
    "export-onnx": (["export-onnx", "--model", "{d}/m.npz"], "m.onnx"),
    "export-onnx, positional model": (["export-onnx", "{d}/m.npz"], "m.onnx"),
}  # fmt: skip


def _argv(argv, folder):
    return [a.format(d=folder) for a in argv]


def _code(argv):
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


@pytest.mark.parametrize("placed", sorted(PLACED))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_another_kind_at_the_default_path_is_refused(folder, command, placed, capsys):
    argv, name = COMMANDS[command]
    make, what = PLACED[placed]
    at = folder / name
    make(folder, at)
    before = at.read_bytes()
    capsys.readouterr()
    assert _code(_argv(argv, folder)) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1, said
    assert f"{at} (where {argv[0]} writes without --out) {what}" in said.err, said.err
    assert said.err.strip().endswith("name another file with --out"), said.err
    assert at.read_bytes() == before
    written = {p.name for p in folder.iterdir()} - {name}
    assert written == {"m.npz", "m.ckpt.npz", "new.csv", "history.json", "loss.png",
                       "report.html"}  # fmt: skip


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_folder_at_the_default_path_is_refused(folder, command, capsys):
    argv, name = COMMANDS[command]
    (folder / name).mkdir()
    assert _code(_argv(argv, folder)) == 2
    err = capsys.readouterr().err
    assert f"{folder / name} (where {argv[0]} writes without --out) is a folder" in err
    assert list((folder / name).iterdir()) == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_loop_of_links_at_the_default_path_is_refused(folder, command, capsys):
    argv, name = COMMANDS[command]
    (folder / name).symlink_to(folder / "loop")
    (folder / "loop").symlink_to(folder / name)
    assert _code(_argv(argv, folder)) == 2
    assert f"{folder / name} (where {argv[0]} writes without --out) is a loop" in (
        capsys.readouterr().err
    )


def _needs(command):
    if command.startswith("export-onnx"):
        pytest.importorskip("onnx")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_its_own_kind_or_an_empty_file_is_replaced_and_named(folder, command, capsys):
    _needs(command)
    argv, name = COMMANDS[command]
    (folder / name).write_bytes(b"")
    assert _code(_argv(argv, folder)) == 0
    first = capsys.readouterr().out
    assert f"wrote {folder / name}" in first
    assert "replaced the earlier" in first  # the empty file was there: named
    assert _code(_argv(argv, folder)) == 0  # over its own page/model: replaced, named
    assert f"note: replaced the earlier {folder / name}" in capsys.readouterr().out


def test_export_of_a_model_named_onnx_keeps_the_model(folder, capsys):
    """A model file named ``m.onnx``: its default output is itself."""
    shutil.copy(folder / "m.npz", folder / "m.onnx")
    before = (folder / "m.onnx").read_bytes()
    assert _code(["export-onnx", "--model", str(folder / "m.onnx")]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'm.onnx'} (where export-onnx writes without --out)" in err, err
    assert (folder / "m.onnx").read_bytes() == before


def test_a_given_out_is_still_named_as_given(folder, capsys):
    (folder / "notes.html").write_text("mine\n")
    argv = ["report", "--model", str(folder / "m.npz"), "--data", str(folder / "new.csv"),
            "--target", "label", "--out", str(folder / "notes.html")]  # fmt: skip
    assert _code(argv) == 2
    err = capsys.readouterr().err
    assert f"--out {folder / 'notes.html'} exists and is not a glassnet report page" in err
    assert err.strip().endswith("; name another file")
