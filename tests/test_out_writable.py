"""An ``--out`` whose folder cannot be made or written in is refused before any work (exit
2, one line), whatever the reason; checking leaves no folder or file behind (NU8 3)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glassnet.cli.main import main

TRAIN = ["train", "--dataset", "moons", "--epochs", "2", "--progress", "off"]


def _code(argv):
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("out", ["/proc/nope/model.npz", "/proc/model.npz", "/proc/a/b/m.npz"])
def test_a_virtual_file_system_is_refused_before_training(capsys, out):
    assert _code([*TRAIN, "--out", out]) == 2
    err = capsys.readouterr()
    assert "epoch" not in err.out  # nothing trained
    assert err.err.count("\n") == 1 and f"--out {out}: cannot write in" in err.err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_without_write_permission_is_refused(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert _code([*TRAIN, "--out", str(locked / "sub" / "m.npz")]) == 2
    finally:
        locked.chmod(0o755)
    assert "cannot write in" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["train", "predict"])
def test_checking_leaves_nothing_behind(tmp_path, capsys, command):
    out = tmp_path / "a" / "b" / "m.npz"
    argv = [command, "--data", str(tmp_path / "missing.csv"), "--out", str(out)]
    if command == "predict":
        argv += ["--model", str(tmp_path / "missing.npz")]
    else:
        argv += ["--target", "y"]
    assert _code(argv) != 0  # the missing input ends it after the checks
    assert list(tmp_path.iterdir()) == []  # the folders made to check were removed


def test_a_writable_new_folder_still_trains(tmp_path):
    out = tmp_path / "new" / "deeper" / "m.npz"
    assert main([*TRAIN, "--out", str(out)]) == 0
    assert out.is_file() and not list(out.parent.glob(".glassnet-probe-*"))
