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
