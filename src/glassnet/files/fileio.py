"""Writing files so that a crash never leaves one half-written.

Every writer goes through :func:`atomic_write` (or :func:`atomic_save` for writers that
need a file name): the content is written to a temporary file in the destination's
folder, flushed to disk, then renamed over the destination (``os.replace`` is atomic on
one file system). Readers see the old file or the new one.

* **Temporary files** are named ``.NAME.PID.XXXXXXXX.tmp`` after the process that owns
  them. A failure or a signal the process sees removes them; those left by an ending it
  cannot see (``SIGKILL``, the out-of-memory killer) are swept by the next write to the
  same destination, once their owner is gone.
* **Signals** that ask the process to stop (``SIGINT``, ``SIGTERM``, ``SIGHUP``,
  ``SIGQUIT``) are held back while the bytes are written and renamed
  (:func:`signals_deferred`), so the write finishes and the signal acts right after. A
  long write that streams its input (:class:`StreamedWrite`: ``glassnet predict --out``)
  holds them back only while it renames: a signal before stops it and leaves the
  destination as it was.
* **Devices and pipes** (``/dev/null``, ``/dev/stdout``, a FIFO) are written into
  directly, not replaced by a plain file.
* **Symbolic links** are written through: when the destination is a link, its target is
  replaced atomically and the link stays a link (a link loop is refused).
* **Failures** raise :class:`WriteError`, an ``OSError`` whose message names the file,
  the reason, and that the destination was left as it was.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from glassnet.files.destinations import (
    WriteError,
    destination,
    failed,
    make_parent,
    removed_on_failure,
    rename_onto,
    special,
    temporary,
)
from glassnet.files.signals import STOP_SIGNALS, signals_deferred
from glassnet.files.stale import sweep_stale

__all__ = [
    "STOP_SIGNALS", "StreamedWrite", "WriteError", "atomic_save", "atomic_write", "destination",
    "save_figure", "signals_deferred", "sweep_stale", "write_bytes", "write_json", "write_npz",
    "write_text",
]  # fmt: skip

T = TypeVar("T")


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> Path:
    """Call ``write(f)`` on a temporary file beside ``path``, then rename it to ``path``.

    Returns ``path`` as given. Raises :class:`WriteError` (naming ``path``) when the disk is
    full, a folder is missing or not writable, and so on.
    """
    given = Path(path)
    if special(given):  # a device or a pipe: written through, never replaced by a file
        try:
            with open(given, "wb") as f:
                write(f)
        except WriteError:
            raise
        except OSError as exc:
            raise failed(given, exc) from None
        return given
    target = destination(given)
    if given == target:
        make_parent(target)
    with signals_deferred():
        try:
            fd, tmp = temporary(target, ".tmp")
        except OSError as exc:
            raise failed(given, exc) from None
        with removed_on_failure(tmp, given), os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        with removed_on_failure(tmp, given):
            rename_onto(tmp, target)
    return given


class StreamedWrite:
    """A write that may take long (predictions streamed from a large file), which a stop
    signal may cut short: :meth:`run` calls ``write(f)`` on a temporary file beside
    ``path`` with the signals acting at once (their :class:`KeyboardInterrupt` removes the
    temporary file and leaves ``path`` as it was), and holds them back only while the file
    is renamed into place; one that came then acts right after. ``renamed`` says whether
    the file is in place; ``direct`` whether ``path`` is a device or a pipe, written into
    as the bytes come (so a signal leaves there what was written so far)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.direct = special(self.path)
        self.renamed = False

    def run(self, write: Callable[[IO[bytes]], T]) -> T:
        """``write(f)``'s result, once the file is in place; :class:`WriteError` as
        :func:`atomic_write` raises it."""
        given = self.path
        if self.direct:
            try:
                with open(given, "wb") as f:
                    return write(f)
            except WriteError:
                raise
            except OSError as exc:
                raise failed(given, exc) from None
        target = destination(given)
        if given == target:
            make_parent(target)
        try:
            fd, tmp = temporary(target, ".tmp")
        except OSError as exc:
            raise failed(given, exc) from None
        with removed_on_failure(tmp, given):
            with os.fdopen(fd, "wb") as f:
                result = write(f)
                f.flush()
                os.fsync(f.fileno())
            with signals_deferred():  # renamed whole; a signal now acts just after
                rename_onto(tmp, target)
                self.renamed = True
        return result


def atomic_save(path: str | os.PathLike[str], save: Callable[[Path], None]) -> Path:
    """For writers that need a file name: ``save(tmp)`` writes a temporary file beside
    ``path`` (ending in the same suffix, so the format is recognised), which is then renamed
    to ``path``. ``save`` may take long, so signals are held back only while the file is
    flushed and renamed; an interrupted ``save`` removes its temporary file."""
    given = Path(path)
    if special(given):  # a device or a pipe: saved in a temporary folder, then copied in
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder) / f"out{given.suffix}"
            save(tmp)
            with removed_on_failure(tmp, given), open(tmp, "rb") as f, open(given, "wb") as out:
                shutil.copyfileobj(f, out)
        return given
    target = destination(given)
    if given == target:
        make_parent(target)
    try:
        fd, tmp = temporary(target, ".tmp" + target.suffix)
        os.close(fd)
    except OSError as exc:
        raise failed(given, exc) from None
    with removed_on_failure(tmp, given):
        save(tmp)
        with signals_deferred():
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            rename_onto(tmp, target)
    return given


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
