"""Where a write goes and how it fails: the pieces of :mod:`glassnet.files.fileio`'s
atomic writes (the destination through links, the temporary file beside it, its mode, the
rename, and the :class:`WriteError` that names the file when anything fails).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from glassnet.files.stale import sweep_stale

__all__ = ["WriteError", "destination", "failed", "file_mode", "make_parent",
           "removed_on_failure", "rename_onto", "special", "temporary"]


class WriteError(OSError):
    """Writing a file failed; the message names the file and what became of it."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(code, message)

    def __str__(self) -> str:
        return str(self.strerror)


def destination(path: str | os.PathLike[str]) -> Path:
    """Where writing ``path`` puts the bytes: ``path`` itself, or the target of the
    symbolic link(s) it names. A link loop is a :class:`WriteError`."""
    path = Path(path)
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if target.is_symlink():
        raise WriteError(errno.ELOOP, f"cannot write {path}: a loop of symbolic links")
    return target


def special(path: Path) -> bool:
    """Whether ``path`` (links followed) is a character device, a FIFO or a socket
    (``/dev/null``, ``/dev/stdout``, a named pipe): written into, since a rename would
    replace the device by a plain file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def temporary(path: Path, suffix: str) -> tuple[int, Path]:
    sweep_stale(path)
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=suffix, dir=path.parent
    )
    return fd, Path(name)


def failed(path: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    kept = "left unchanged" if path.exists() else "not created"
    return WriteError(exc.errno or 0, f"could not write {path}: {reason}; the file was {kept}")


@contextlib.contextmanager
def removed_on_failure(tmp: Path, given: Path) -> Iterator[None]:
    """Remove the temporary file ``tmp`` if the block fails in any way; an ``OSError``
    becomes a :class:`WriteError` naming the file the caller asked for."""
    try:
        yield
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise failed(given, exc) from None
        raise


def rename_onto(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the mode a plainly created file would have, then move it onto ``target``."""
    os.chmod(tmp, file_mode(target))
    os.replace(tmp, target)


def make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            exc.errno or 0, f"could not write {path}: cannot create its folder ({exc.strerror})"
        ) from None


def file_mode(path: Path) -> int:
    """The mode a plainly created file would get: the old file's, else 0o666 less the umask
    (``mkstemp`` alone would leave 0o600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
