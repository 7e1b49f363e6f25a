"""Writing files so that a crash never leaves one half-written.

Every writer goes through :func:`atomic_write`: the content is written to a temporary
file in the destination's folder, flushed to disk, then renamed over the destination
(``os.replace`` is atomic on one file system). Readers see the old file or the new one.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> Path:
    """Call ``write(f)`` on a temporary file beside ``path``, then rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _file_mode(path: Path) -> int:
    """The mode a plainly created file would get: the old file's, else 0o666 less the umask
    (``mkstemp`` alone would leave 0o600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_save(path: str | os.PathLike[str], save: Callable[[Path], None]) -> Path:
    """For writers that need a file name: ``save(tmp)`` writes a temporary file beside
    ``path`` (same suffix, so the format is recognised), which is then renamed to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        save(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    def write(f: IO[bytes]) -> None:
        f.write(data)

    return atomic_write(path, write)


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    return write_text(path, json.dumps(obj, indent=2, allow_nan=False) + "\n")


def write_npz(path: str | os.PathLike[str], arrays: dict[str, NDArray[Any]]) -> Path:
    """An uncompressed ``.npz`` of plain (non-object) arrays, readable without pickle."""
    for name, a in arrays.items():
        if a.dtype.hasobject:
            raise TypeError(f"array {name!r} holds Python objects; refusing to pickle it")
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return write_bytes(path, buf.getvalue())


def save_figure(fig: Any, path: str | os.PathLike[str], dpi: int = 100) -> Path:
    """Render a matplotlib figure to PNG in memory, then write it atomically."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return write_bytes(path, buf.getvalue())
