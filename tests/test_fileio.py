import json

import numpy as np
import pytest

from glassnet.files.fileio import atomic_save, atomic_write, write_json, write_npz


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"old content")

    def crash(f):
        f.write(b"half of the new")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        atomic_write(path, crash)
    assert path.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_json_and_npz_round_trip(tmp_path):
    write_json(tmp_path / "sub" / "m.json", {"a": [1.5, 2]})
    assert json.loads((tmp_path / "sub" / "m.json").read_text()) == {"a": [1.5, 2]}
    write_npz(tmp_path / "p.npz", {"W": np.arange(6.0).reshape(2, 3)})
    with np.load(tmp_path / "p.npz", allow_pickle=False) as f:
        np.testing.assert_array_equal(f["W"], np.arange(6.0).reshape(2, 3))


def test_refuses_object_arrays_and_nan_json(tmp_path):
    with pytest.raises(TypeError, match="refusing to pickle"):
        write_npz(tmp_path / "p.npz", {"x": np.array([{}], dtype=object)})
    with pytest.raises(ValueError):
        write_json(tmp_path / "m.json", {"loss": float("nan")})
    assert list(tmp_path.iterdir()) == []


def test_atomic_save_gives_the_writer_a_named_file_with_the_suffix(tmp_path):
    path = tmp_path / "anim.gif"
    seen = []

    def save(tmp):
        seen.append(tmp.suffix)
        tmp.write_bytes(b"GIF89a")

    assert atomic_save(path, save) == path and path.read_bytes() == b"GIF89a"
    assert seen == [".gif"]

    def crash(tmp):
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic_save(path, crash)
    assert path.read_bytes() == b"GIF89a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anim.gif"]


def test_new_files_get_the_usual_permissions_and_keep_existing_ones(tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    try:
        new = write_json(tmp_path / "new.json", {})
        assert stat.S_IMODE(new.stat().st_mode) == 0o644  # not mkstemp's 0o600
        os.chmod(new, 0o640)
        write_json(new, {"again": 1})
        assert stat.S_IMODE(new.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


def _dead_pid():
    import subprocess
    import sys

    code = "import os; print(os.getpid())"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return int(proc.stdout)


def test_temporary_files_name_their_process_and_stale_ones_are_swept(tmp_path, monkeypatch):
    import os

    from glassnet.files import fileio

    path = tmp_path / "m.npz"
    dead = tmp_path / f".m.npz.{_dead_pid()}.abcd_123.tmp"
    live = tmp_path / f".m.npz.{os.getppid()}.abcd_123.tmp"  # pytest's parent: alive
    gif = tmp_path / f".m.npz.{_dead_pid()}.zzzzzzzz.tmp.npz"
    other = tmp_path / f".n.npz.{_dead_pid()}.abcd_123.tmp"  # another destination's
    for p in (dead, live, gif, other):
        p.write_bytes(b"half")
    seen = []
    real = fileio.tempfile.mkstemp
    monkeypatch.setattr(fileio.tempfile, "mkstemp", lambda **kw: seen.append(kw) or real(**kw))
    write_json(path, {})
    assert seen[0]["prefix"] == f".m.npz.{os.getpid()}."
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["m.npz", live.name, other.name])


def test_stop_signals_wait_for_the_write_and_then_act(tmp_path):
    import os
    import signal

    from glassnet.files.fileio import signals_deferred

    path = tmp_path / "m.json"

    def write(f):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of the write
        f.write(b"{}")

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, write)
    assert path.read_bytes() == b"{}"  # the write finished first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]
    with pytest.raises(KeyboardInterrupt), signals_deferred():
        with signals_deferred():  # nested: only the outer block releases
            os.kill(os.getpid(), signal.SIGINT)
        path.write_text("still running")
    assert path.read_text() == "still running"


@pytest.mark.parametrize(
    ("where", "error", "reason"),
    [
        ("fsync", OSError(28, "No space left on device"), "No space left on device"),
        ("mkstemp", PermissionError(13, "Permission denied"), "Permission denied"),
        ("replace", OSError(30, "Read-only file system"), "Read-only file system"),
    ],
)
def test_a_failed_write_names_the_file_and_what_became_of_it(
    tmp_path, monkeypatch, where, error, reason
):
    import os

    from glassnet.files import fileio
    from glassnet.files.fileio import WriteError

    old = tmp_path / "old.json"
    old.write_text("old")

    def fail(*args, **kwargs):
        raise error

    target = fileio.tempfile if where == "mkstemp" else os
    monkeypatch.setattr(target, where, fail)
    for path, fate in ((old, "left unchanged"), (tmp_path / "new.json", "not created")):
        with pytest.raises(WriteError) as info:
            write_json(path, {"a": 1})
        assert str(info.value) == f"could not write {path}: {reason}; the file was {fate}"
        assert info.value.errno == error.errno
    monkeypatch.undo()
    assert old.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.json"]


def test_a_missing_folder_that_cannot_be_made_is_named(tmp_path):
    from glassnet.files.fileio import WriteError

    (tmp_path / "file").write_text("not a folder")
    message = r"could not write .*file/sub/m.json: cannot create its folder"
    with pytest.raises(WriteError, match=message):
        write_json(tmp_path / "file" / "sub" / "m.json", {})


def test_symbolic_links_are_written_through_to_their_target(tmp_path):
    from glassnet.files.fileio import WriteError, write_text

    store = tmp_path / "store"
    store.mkdir()
    (store / "real.txt").write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(store / "real.txt")
    chain = tmp_path / "chain.txt"
    chain.symlink_to(link)
    assert write_text(chain, "new") == chain
    assert chain.is_symlink() and link.is_symlink() and (store / "real.txt").read_text() == "new"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(store / "later.txt")
    write_text(dangling, "made")
    assert dangling.is_symlink() and (store / "later.txt").read_text() == "made"
    loop = tmp_path / "loop.txt"
    loop.symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(loop)
    with pytest.raises(WriteError, match="loop of symbolic links"):
        write_text(loop, "x")
    assert sorted(p.name for p in store.iterdir()) == ["later.txt", "real.txt"]
