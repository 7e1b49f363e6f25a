"""Fuzz the atomic writer with failures, links and Ctrl-C at chosen moments.

Run by hand (not part of the test suite)::

    pip install atheris
    python fuzz/fuzz_writes.py -atheris_runs=5000

Each input picks a destination layout (a plain file, a missing one, a link, a chain of
links, a dangling link, a loop), an operation to fail (``mkstemp``, ``write``, ``fsync``,
``chmod``, ``replace``) with an errno, and whether SIGINT arrives during the write.
Invariants: the write succeeds (the target holds the new bytes, links stay links) or
raises ``WriteError`` naming the path (the old bytes are intact), ``KeyboardInterrupt``
comes only after the file is complete, and no temporary file is left.
"""

import errno
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from glassnet.files import fileio

ROOT = Path(tempfile.mkdtemp(prefix="glassnet-fuzz-"))
ERRNOS = [errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EIO, errno.EDQUOT]
STEPS = ["none", "mkstemp", "write", "fsync", "chmod", "replace"]


def layout(kind: int, folder: Path) -> tuple[Path, Path | None]:
    """The path to write and the file that should end up holding the bytes."""
    target = folder / "store" / "real.bin"
    target.parent.mkdir()
    target.write_bytes(b"old")
    if kind == 0:
        return target, target
    if kind == 1:
        return folder / "new" / "m.bin", folder / "new" / "m.bin"
    link = folder / "link.bin"
    if kind == 2:
        link.symlink_to(target)
    elif kind == 3:
        (folder / "mid.bin").symlink_to(target)
        link.symlink_to(folder / "mid.bin")
    elif kind == 4:
        link.symlink_to(folder / "store" / "later.bin")
        return link, folder / "store" / "later.bin"
    else:
        link.symlink_to(folder / "loop.bin")
        (folder / "loop.bin").symlink_to(link)
        return link, None
    return link, target


def test_one_input(raw: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(raw)
    folder = Path(tempfile.mkdtemp(dir=ROOT))
    path, holder = layout(fdp.ConsumeIntInRange(0, 5), folder)
    step, code = fdp.PickValueInList(STEPS), fdp.PickValueInList(ERRNOS)
    interrupt, data = fdp.ConsumeBool(), fdp.ConsumeBytes(4096)
    before = holder.read_bytes() if holder is not None and holder.exists() else None

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    saved = {}
    if step in ("fsync", "chmod", "replace"):
        saved[step] = getattr(os, step)
        setattr(os, step, fail)
    elif step == "mkstemp":
        saved[step] = fileio.tempfile.mkstemp
        fileio.tempfile.mkstemp = fail

    def write(f):
        if interrupt:
            os.kill(os.getpid(), signal.SIGINT)
        if step == "write":
            fail()
        f.write(data)

    outcome = "ok"
    try:
        fileio.atomic_write(path, write)
    except fileio.WriteError as exc:
        outcome = "error"
        assert str(path) in str(exc), exc
    except KeyboardInterrupt:
        outcome = "interrupted"
    finally:
        for name, value in saved.items():
            if name == "mkstemp":
                fileio.tempfile.mkstemp = value
            else:
                setattr(os, name, value)
    if outcome == "error" or holder is None:
        assert holder is None or (holder.read_bytes() if holder.exists() else None) == before
    elif outcome == "ok" or step == "none":
        assert holder.read_bytes() == data
    leftovers = [p for p in folder.rglob("*") if ".tmp" in p.name]
    assert not leftovers, leftovers
    if path.is_symlink() or path.name == "link.bin":
        assert path.is_symlink()
    shutil.rmtree(folder)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
