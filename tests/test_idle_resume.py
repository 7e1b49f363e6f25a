"""``glassnet train --resume`` that has nothing left to train (NU13 #4): the run already
trained its ``--epochs``, or ended by early stopping. It wrote model.npz, history.json,
loss.png and report.html again (the report's landscape with its end star on epoch 0);
now it writes nothing, says the files are left as they are and exits 0. The oracle: the
files' bytes and modification times before and after; a file an interrupted save left
unwritten is written, alone; a real resume still writes every file."""

from pathlib import Path

import pytest

from glassnet.cli.main import main


def _csv(path: Path) -> Path:
    rows = [f"{(i % 7) / 7:.3f},{(i * 5 % 11) / 11:.3f},{'ab'[(i * 3 % 5) > 1]}"
            for i in range(80)]  # labels unrelated to the columns: early stopping comes soon
    path.write_text("x0,x1,label\n" + "\n".join(rows) + "\n")
    return path


def _train(tmp_path: Path, *options: str) -> int:
    out = str(tmp_path / "run" / "m.npz")
    argv = ["train", "--data", str(_csv(tmp_path / "d.csv")), "--target", "label", "--hidden",
            "3", "--progress", "off", "--out", out, *options]  # fmt: skip
    return main(argv)


def _files(tmp_path: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted((tmp_path / "run").iterdir())}  # fmt: skip


@pytest.mark.parametrize("options", [
    ("--epochs", "3"),                                    # all its epochs trained
    ("--epochs", "3", "--val-fraction", "0"),             # no validation rows
    ("--epochs", "40", "--patience", "1", "--lr", "0.5"),  # ended by early stopping
])  # fmt: skip
def test_a_resume_with_nothing_to_train_writes_nothing(tmp_path, capsys, options):
    assert _train(tmp_path, *options) == 0
    before = _files(tmp_path)
    assert set(before) == {"m.npz", "m.ckpt.npz", "history.json", "loss.png", "report.html"}
    early = "(early stopping)" in capsys.readouterr().out
    assert early == ("--patience" in options)
    more = ["--epochs", "60"] if early else []  # more epochs: early stopping still ended it
    for extra in ([], more) if more else ([],):
        assert _train(tmp_path, *options, *extra, "--resume") == 0
        out = capsys.readouterr().out
        assert ("nothing was trained, so nothing is written: " f"{tmp_path / 'run' / 'm.npz'} "
                "and history.json, loss.png, report.html beside it are left as they are") in out
        assert "replaced" not in out and "wrote" not in out
        assert _files(tmp_path) == before


def test_a_file_an_interrupted_save_left_unwritten_is_written_alone(tmp_path, capsys):
    assert _train(tmp_path, "--epochs", "2") == 0
    (tmp_path / "run" / "loss.png").unlink()
    before = _files(tmp_path)
    assert _train(tmp_path, "--epochs", "2", "--resume") == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'run' / 'loss.png'}\n" in out
    after = _files(tmp_path)
    assert {k: v for k, v in after.items() if k != "loss.png"} == before
    assert after["loss.png"][0].startswith(b"\x89PNG")


def test_a_real_resume_still_writes_and_names_the_unrecorded_epochs(tmp_path, capsys):
    assert _train(tmp_path, "--epochs", "3", "--val-fraction", "0") == 0
    before = _files(tmp_path)
    assert _train(tmp_path, "--epochs", "5", "--val-fraction", "0", "--resume") == 0
    out = capsys.readouterr().out
    assert "nothing is written" not in out and "note: replaced the earlier" in out
    after = _files(tmp_path)
    assert all(after[k][1] != before[k][1] for k in before)
    page = (tmp_path / "run" / "report.html").read_text()
    assert "resumed from its checkpoint of epoch 3: the path holds no parameters of epochs 1 " \
           "to 3" in page  # fmt: skip
    assert "keeps only those it resumes from" not in page
