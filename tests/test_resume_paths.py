"""``train --resume`` without the checkpoint it continues says where it looked and what is
there: an ``--out`` that is a folder is refused as ``train`` refuses it without
``--resume``, naming the folder's checkpoints and the ``--out`` that resumes each; a model
path whose checkpoint is missing names that path and the checkpoints beside it. An
``--out`` ending in ``/`` names a folder, made or not: every command that writes one file
refuses it (``train --out runs/`` wrote the model to a file ``runs`` and its history,
figure and report into the folder above)."""

import shutil

import pytest

from glassnet.cli.main import main

MOONS = ["train", "--dataset", "moons", "--n-samples", "60", "--hidden", "3", "--epochs", "2",
         "--progress", "off"]  # fmt: skip


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    """A folder ``runs`` holding a resumable run ``m.npz`` (``m.ckpt.npz``)."""
    at = tmp_path_factory.mktemp("resume") / "runs"
    assert main([*MOONS, "--out", str(at / "m.npz")]) == 0
    return at


@pytest.fixture()
def runs(earlier, tmp_path):
    shutil.copytree(earlier, tmp_path / "runs")
    return tmp_path / "runs"


def _refused(capsys, argv):
    capsys.readouterr()
    assert main(argv) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.strip().splitlines()) == 1, said
    return said.err.strip()


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_folder_names_its_checkpoints(runs, capsys, slash):
    err = _refused(capsys, [*MOONS, "--epochs", "4", "--resume", "--out", f"{runs}{slash}"])
    assert f"--out {runs}{slash} is a folder; name the model file to write" in err
    assert f"{runs} holds m.ckpt.npz: --out {runs / 'm.npz'} resumes it" in err
    assert main([*MOONS, "--epochs", "4", "--resume", "--out", str(runs / "m.npz")]) == 0
    assert "resuming from epoch 2" in capsys.readouterr().out


def test_a_folder_with_several_checkpoints_names_each(runs, capsys):
    assert main([*MOONS, "--out", str(runs / "b.npz")]) == 0
    err = _refused(capsys, [*MOONS, "--resume", "--out", str(runs)])
    assert (f"holds b.ckpt.npz, m.ckpt.npz: --out {runs / 'b.npz'} or --out {runs / 'm.npz'} "
            "resumes them") in err


def test_a_folder_without_checkpoints(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    err = _refused(capsys, [*MOONS, "--resume", "--out", str(tmp_path / "empty")])
    assert f"{tmp_path / 'empty'} holds no checkpoint (*.ckpt.npz)" in err


def test_a_folder_that_does_not_exist(tmp_path, capsys):
    err = _refused(capsys, [*MOONS, "--resume", "--out", f"{tmp_path / 'new'}/"])
    assert "names a folder (it ends in /)" in err
    assert f"{tmp_path / 'new'} does not exist" in err


@pytest.mark.parametrize("name", ["other.npz", "other", "M.npz"])
def test_a_model_without_its_checkpoint_names_the_path_and_those_there(runs, capsys, name):
    err = _refused(capsys, [*MOONS, "--resume", "--out", str(runs / name)])
    checkpoint = runs / (name.removesuffix(".npz") + ".ckpt.npz")
    assert err.startswith(f"glassnet train: error: {checkpoint}: no checkpoint to resume from")
    assert f"--out {runs / name} keeps {checkpoint.name}" in err
    assert f"{runs} holds m.ckpt.npz: --out {runs / 'm.npz'} resumes it" in err


def test_a_missing_folder_of_the_model(tmp_path, capsys):
    err = _refused(capsys, [*MOONS, "--resume", "--out", str(tmp_path / "nowhere" / "m.npz")])
    assert f"{tmp_path / 'nowhere'} does not exist" in err


@pytest.mark.parametrize(
    "argv",
    [
        [*MOONS, "--out", "{d}/new/"],
        [*MOONS, "--out", "{d}/runs/"],
        ["predict", "--model", "{d}/runs/m.npz", "--data", "{d}/d.csv", "--out", "{d}/p/"],
        ["report", "--model", "{d}/runs/m.npz", "--data", "{d}/d.csv", "--target", "label",
         "--out", "{d}/p/"],
        ["export-onnx", "--model", "{d}/runs/m.npz", "--out", "{d}/p/"],
        ["export-onnx", "{d}/runs/m.npz", "{d}/p/"],
    ],
)  # fmt: skip
def test_an_out_ending_in_a_slash_is_a_folder(runs, argv, capsys):
    d = runs.parent
    (d / "d.csv").write_text("x0,x1,label\n0.1,0.2,0\n1.0,-0.5,1\n")
    before = sorted(p.name for p in d.iterdir())
    err = _refused(capsys, [a.format(d=d) for a in argv])
    assert "a folder" in err and "name the file to write" in err, err
    assert sorted(p.name for p in d.iterdir()) == before


CHECKPOINT_PLACE = {  # what stands at MODEL.ckpt.npz -> how to make it, what it is said to be
    "user's table": (lambda runs, p: p.write_text("a,b\n1,2\n"), "a file glassnet did not"),
    "figure": (lambda runs, p: shutil.copy(runs / "loss.png", p), "a figure (PNG image)"),
    "a model": (lambda runs, p: shutil.copy(runs / "m.npz", p), "a glassnet model, not a"),
    "history": (lambda runs, p: shutil.copy(runs / "history.json", p), "a training history"),
}  # fmt: skip


@pytest.mark.parametrize("ensemble", [False, True])
@pytest.mark.parametrize("placed", sorted(CHECKPOINT_PLACE))
def test_a_file_at_the_checkpoint_s_place_is_kept(runs, capsys, placed, ensemble):
    """train writes MODEL.ckpt.npz beside the model (an ensemble removes an earlier run's):
    over a file that is no checkpoint it refuses, before any work, naming what it is."""
    make, what = CHECKPOINT_PLACE[placed]
    at = runs / "n.ckpt.npz"
    make(runs, at)
    before = at.read_bytes()
    extra = ["--ensemble", "2"] if ensemble else []
    err = _refused(capsys, [*MOONS, *extra, "--out", str(runs / "n.npz")])
    assert f"{at}, where train keeps the run's state beside --out {runs / 'n.npz'}, is " in err
    assert what in err
    assert ("would be removed" if ensemble else "would be replaced") in err
    assert at.read_bytes() == before and not (runs / "n.npz").exists()


@pytest.mark.parametrize("ensemble", [False, True])
def test_an_earlier_checkpoint_or_an_empty_file_is_written_over(runs, capsys, ensemble):
    (runs / "e.ckpt.npz").write_bytes(b"")
    shutil.copy(runs / "m.ckpt.npz", runs / "c.ckpt.npz")
    extra = ["--ensemble", "2"] if ensemble else []
    for name in ("e.npz", "c.npz"):
        assert main([*MOONS, *extra, "--out", str(runs / name)]) == 0
