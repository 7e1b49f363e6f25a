"""Every CLI writer under hostile conditions: links are written through (README: "Files"),
and a full disk names the file and says what was kept."""

import contextlib
import errno
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model


def _train(out: Path, *extra: str) -> int:
    return main(
        ["train", "--dataset", "moons", "--n-samples", "200", "--epochs", "3", "--hidden", "4",
         "--progress", "off", "--out", str(out), *extra]
    )  # fmt: skip


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trained")
    assert _train(folder / "m.npz") == 0
    rng = np.random.default_rng(0)
    data = folder / "data.csv"
    rows = "\n".join(f"{a:.4f},{b:.4f},{int(a > 0)}" for a, b in rng.normal(size=(20, 2)))
    data.write_text("x0,x1,target\n" + rows + "\n")
    return folder / "m.npz", data


def _linked(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """``tmp_path/out/name``, a link to ``tmp_path/store/name`` which holds "old"."""
    (tmp_path / "store").mkdir(exist_ok=True)
    (tmp_path / "out").mkdir(exist_ok=True)
    target = tmp_path / "store" / name
    target.write_text("old")
    link = tmp_path / "out" / name
    link.symlink_to(target)
    return link, target


def _writes_through(link: Path, target: Path) -> None:
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() not in (b"old", b'{"model": "m.npz"}')
    assert not [p for p in target.parent.iterdir() if ".tmp" in p.name]


@pytest.mark.parametrize("name", ["m.npz", "history.json", "loss.png", "report.html"])
def test_train_writes_through_links(tmp_path, name):
    link, target = _linked(tmp_path, name)
    owned = '{"model": "m.npz"}'  # the files beside the model are its own, so replaced
    (target if name == "history.json" else tmp_path / "out" / "history.json").write_text(owned)
    if name == "history.json":
        target.write_text(owned)
    if name == "m.npz":  # an earlier model (train refuses to write over a file that is not one)
        target.unlink()
        assert _train(target) == 0
    assert _train(tmp_path / "out" / "m.npz") == 0
    _writes_through(link, target)
    if name == "m.npz":
        load_model(link)


def test_predict_report_and_export_write_through_links(tmp_path, trained, capsys):
    model, data = trained
    link, target = _linked(tmp_path, "p.csv")
    target.write_text("prediction\nold\n")  # an earlier file of each one's own kind
    assert main(["predict", "--model", str(model), "--data", str(data), "--out", str(link)]) == 0
    _writes_through(link, target)
    assert target.read_text().startswith("prediction\n")
    link, target = _linked(tmp_path, "r.html")
    target.write_text("<title>glassnet report: old</title>")
    report = ["report", str(model), "--data", str(data), "--target", "target", "--out", str(link)]
    assert main(report) == 0
    _writes_through(link, target)
    pytest.importorskip("onnx")
    link, target = _linked(tmp_path, "m.onnx")
    target.write_bytes(b"\x08\x08old")  # ONNX's opening bytes (ir_version 8)
    assert main(["export-onnx", str(model), str(link)]) == 0
    _writes_through(link, target)


def test_a_link_loop_is_refused_with_a_message(tmp_path, capsys):
    (tmp_path / "a.npz").symlink_to(tmp_path / "b.npz")
    (tmp_path / "b.npz").symlink_to(tmp_path / "a.npz")
    assert _train(tmp_path / "a.npz") == 2  # refused before training, as a bad --out
    assert "loop of symbolic links" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz", "b.npz"]


@contextlib.contextmanager
def _small_disk(folder: Path, size: str):
    """A tmpfs of ``size`` at ``folder``, where this test may mount one."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the injected-error tests cover this")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _kept_files(err: str) -> list[str]:
    return err.split("already written and kept: ")[1].strip().split(", ")


def test_a_full_disk_names_the_file_and_what_was_kept(tmp_path, capsys):
    with _small_disk(tmp_path / "disk", "96k") as disk:
        code = _train(disk / "m.npz")
        err = capsys.readouterr().err
        assert code == 1 and "No space left on device" in err, err
        failed = err.split("could not write ")[1].split(":")[0]
        assert not Path(failed).exists() and str(disk / "m.npz") in _kept_files(err)
        load_model(disk / "m.npz")
        assert not [p for p in disk.iterdir() if ".tmp" in p.name]


@pytest.mark.parametrize("failing", ["history.json", "loss.png", "report.html"])
def test_a_failing_extra_names_itself_and_keeps_the_model(tmp_path, monkeypatch, capsys, failing):
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file an fsync is for")
    real = os.fsync

    def fsync(fd):
        if f".{failing}." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    assert _train(tmp_path / "m.npz") == 1
    err = capsys.readouterr().err
    assert f"could not write {tmp_path / failing}: No space left on device" in err, err
    kept = _kept_files(err)
    assert str(tmp_path / "m.npz") in kept and str(tmp_path / failing) not in kept
    assert all(Path(p).is_file() for p in kept)
    load_model(tmp_path / "m.npz")


def test_a_model_that_cannot_be_saved_points_to_the_checkpoint(tmp_path, monkeypatch, capsys):
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file an fsync is for")
    real = os.fsync

    def fsync(fd):
        if "/.m.npz." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    assert _train(tmp_path / "m.npz") == 1
    err = capsys.readouterr().err
    assert f"could not write {tmp_path / 'm.npz'}" in err and "rerun with --resume" in err, err
    monkeypatch.undo()
    assert _train(tmp_path / "m.npz", "--resume") == 0
    load_model(tmp_path / "m.npz")


def _failing_fsync(monkeypatch, name: str) -> None:
    """Make writing ``name`` fail as a full disk would (its temporary file's fsync)."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file an fsync is for")
    real = os.fsync

    def fsync(fd):
        if f"/.{name}." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


SMALL = ["--dataset", "moons", "--n-samples", "120", "--epochs", "2"]


def _writer_argv(command: str, folder: Path, model: Path, data: Path) -> tuple[list[str], Path]:
    """The command line of ``command`` writing into ``folder``, and the file it writes."""
    out = {
        "train": folder / "m.npz", "ensemble": folder / "m.npz", "predict": folder / "p.csv",
        "report": folder / "r.html", "export-onnx": folder / "m.onnx",
        "sweep": folder / "results.csv", "demo": folder / "metrics.json",
    }[command]  # fmt: skip
    argv = {
        "train": ["train", *SMALL, "--hidden", "4", "--progress", "off", "--out", str(out)],
        "ensemble": ["train", *SMALL, "--ensemble", "2", "--progress", "off", "--out", str(out)],
        "predict": ["predict", "--model", str(model), "--data", str(data), "--out", str(out)],
        "report": ["report", "--model", str(model), "--data", str(data), "--out", str(out)],
        "export-onnx": ["export-onnx", "--model", str(model), "--out", str(out)],
        "sweep": ["sweep", *SMALL, "--hidden", "3", "--out", str(folder)],
        "demo": ["demo", "--every", "0", "--out", str(folder)],
    }[command]
    return argv, out


def _earlier_of_its_kind(command, argv, out):
    """An earlier file at ``out`` of the kind ``command`` writes, other than it would write."""
    if command in ("train", "ensemble"):
        assert main([*argv, "--seed", "7"]) == 0
        return
    out.write_bytes({
        "predict": b"prediction\nold\n", "report": b"<title>glassnet report: old</title>",
        "export-onnx": b"\x08\x08old",  # ONNX's opening bytes (ir_version 8), named .onnx
        "sweep": b"rank,hidden,learning_rate,weight_decay,old\n",
        "demo": b'{"first_perfect_iteration": null, "old": 1}',
    }[command])  # fmt: skip


@pytest.mark.parametrize(
    "command", ["train", "ensemble", "predict", "report", "export-onnx", "sweep", "demo"]
)
def test_a_replaced_file_is_named_only_once_the_write_succeeded(
    tmp_path, trained, monkeypatch, capsys, command
):
    if command == "export-onnx":
        pytest.importorskip("onnx")
    argv, out = _writer_argv(command, tmp_path, *trained)
    _earlier_of_its_kind(command, argv, out)  # no command writes over another kind
    capsys.readouterr()
    earlier = out.read_bytes()
    with monkeypatch.context() as m:
        _failing_fsync(m, out.name)
        assert main(argv) == 1
    console = capsys.readouterr()
    assert out.read_bytes() == earlier, "a failed write leaves the earlier file as it was"
    assert "note: replaced" not in console.out + console.err
    assert main(argv) == 0
    said = capsys.readouterr().out
    assert out.read_bytes() != earlier
    assert f"note: replaced the earlier {out}" in said or (
        command in ("sweep", "demo") and "note: replaced the earlier " in said and str(out) in said
    ), said
    assert main(argv) == 0  # and again: the file it wrote itself is named as replaced too
    assert "note: replaced the earlier" in capsys.readouterr().out


def _fifo_reader(path):
    """A named pipe at ``path`` and a thread that reads it whole: ``(thread, chunks)``."""
    import threading

    os.mkfifo(path)
    chunks = []
    thread = threading.Thread(target=lambda: chunks.append(Path(path).read_bytes()), daemon=True)
    thread.start()
    return thread, chunks


@pytest.mark.parametrize("kind", ["write_bytes", "atomic_save"])
def test_a_named_pipe_is_written_into_not_replaced(tmp_path, kind):
    """A device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO) gets the bytes; renaming a
    temporary file over it would turn it into a plain file (as root, even ``/dev/null``)."""
    from glassnet.files.fileio import atomic_save, write_bytes

    pipe = tmp_path / "pipe.csv"
    thread, chunks = _fifo_reader(pipe)
    if kind == "write_bytes":
        write_bytes(pipe, b"a,b\n1,2\n")
    else:
        atomic_save(pipe, lambda p: Path(p).write_bytes(b"a,b\n1,2\n"))
    thread.join(timeout=30)
    assert chunks == [b"a,b\n1,2\n"] and pipe.is_fifo()


def test_predict_and_export_write_into_a_named_pipe(tmp_path, trained):
    model, data = trained
    pipe = tmp_path / "p.csv"
    thread, chunks = _fifo_reader(pipe)
    assert main(["predict", "--model", str(model), "--data", str(data), "--out", str(pipe)]) == 0
    thread.join(timeout=60)
    assert pipe.is_fifo() and chunks and chunks[0].startswith(b"prediction\n")
    pytest.importorskip("onnx")
    pipe = tmp_path / "m.onnx"
    thread, chunks = _fifo_reader(pipe)
    assert main(["export-onnx", str(model), str(pipe)]) == 0
    thread.join(timeout=60)
    assert pipe.is_fifo() and chunks and len(chunks[0]) > 100
