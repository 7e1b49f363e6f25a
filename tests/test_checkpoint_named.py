"""A fresh ``train`` over an earlier run writes over its checkpoint (``MODEL.ckpt.npz``),
after which that run can no longer be resumed: the "replaced" note names it (NU9 #18), as
it names the model and the files beside it. A ``--resume`` continues its own checkpoint
and a first run replaces none: neither names it."""

from glassnet.cli.main import main


def _train(out, capsys, *extra, epochs="2"):
    argv = ["train", "--dataset", "moons", "--n-samples", "80", "--hidden", "3", "--epochs",
            epochs, "--progress", "off", "--out", str(out), *extra]  # fmt: skip
    assert main(argv) == 0
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith("note:")]


def test_a_fresh_run_names_the_checkpoint_it_replaced(tmp_path, capsys):
    out = tmp_path / "m.npz"
    checkpoint = tmp_path / "m.ckpt.npz"
    assert not any("ckpt" in line for line in _train(out, capsys))  # none before
    first = checkpoint.stat().st_ino, checkpoint.read_bytes()
    (note,) = [line for line in _train(out, capsys) if "replaced the earlier" in line]
    assert str(checkpoint) in note and str(out) in note
    assert (checkpoint.stat().st_ino, checkpoint.read_bytes()) != first  # it was replaced


def test_resume_and_other_models_leave_it_unnamed(tmp_path, capsys):
    out = tmp_path / "m.npz"
    _train(out, capsys)
    notes = _train(out, capsys, "--resume", epochs="4")
    assert not any("ckpt" in line for line in notes)
    assert any(str(out) in line for line in notes)  # the model it continued is replaced
    other = tmp_path / "other.npz"  # another model in the folder: its own checkpoint
    assert not any("m.ckpt.npz" in line for line in _train(other, capsys))
    assert (tmp_path / "m.ckpt.npz").is_file()
