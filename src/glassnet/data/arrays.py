"""Reading NumPy files, checked before they are trusted, and in row blocks on request.

* ``.npz``: an array ``X`` (N, D) and a target array (``y`` by default), stored or
  compressed (``numpy.savez_compressed``).
* ``.npy``: one 2-D array, its target a column index; memory-mapped for training.

Nothing is unpickled: each ``.npy`` header (inside an ``.npz`` too) is checked before any
data is read (:mod:`glassnet.data.npyfile`).
:func:`row_blocks` reads ``X`` a block of rows at a time, for predictions over files
larger than memory.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np

from glassnet.core.validation import DataError
from glassnet.data.npyfile import Header, read_data, read_header

__all__ = ["Arrays", "npz_members", "npz_names", "read_data", "read_npy", "read_npz",
           "row_blocks", "target_index"]

MAX_MEMBERS = 1024  # arrays in a data .npz (X, targets and a few more)


class Arrays(NamedTuple):
    X: Any  # (N, D): an ndarray, or a memmap for .npy files
    y: Any  # (N,) or (N, k), None when the file has no target
    feature_names: tuple[str, ...]
    target_name: str | None


class _Member:
    """One array of an open ``.npz``."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self.zf, self.info = zf, info

    @contextmanager
    def open(self, where: str) -> Iterator[tuple[IO[bytes], Header]]:
        with self.zf.open(self.info) as f:
            yield f, read_header(f, self.info.file_size, where)


@contextmanager
def npz_members(path: Path) -> Iterator[dict[str, _Member]]:
    """The zip's ``.npy`` members by array name, the zip open while the block runs."""
    try:
        with open(path, "rb") as fh, zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise DataError(f"{path}: holds {len(infos)} arrays, more than {MAX_MEMBERS}")
            members = {i.filename.removesuffix(".npy"): i for i in infos}
            if len(members) != len(infos):
                raise DataError(f"{path}: the zip names an array more than once")
            yield {name: _Member(zf, info) for name, info in members.items()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError,
            NotImplementedError, zlib.error) as exc:
        raise DataError(f"{path}: not a readable .npz file ({exc})") from None


def npz_names(path: Path) -> list[str]:
    """The NPZ's array names (for an optional target)."""
    with npz_members(path) as members:
        return list(members)


def check_target_array(path: Path, target: str, arrays: list[str]) -> None:
    """Refuse an ``.npz`` file's ``--target`` that is not one of its ``arrays``, or is
    ``X``, the features (the target is never a feature): an ``UnknownColumn``, a bad
    argument, naming the arrays (the closest first)."""
    from glassnet.data.errors import UnknownColumn, unknown_column

    if target == "X":
        raise UnknownColumn(
            f"{path}: the target array cannot be 'X', the features (the target is never "
            f"a feature); arrays are {', '.join(arrays)}", target
        )
    if target not in arrays:
        raise unknown_column(str(path), "target array", target, arrays)


def read_npz(path: Path, target: str | None) -> Arrays:
    with npz_members(path) as members:
        if "X" not in members:
            raise DataError(f"{path}: no array named 'X'; arrays are {', '.join(members)}")
        if target is not None:
            check_target_array(path, target, list(members))
        name = target or ("y" if "y" in members else None)
        arrays = {}
        for key in ("X", name) if name else ("X",):
            with members[key].open(f"{path}: array {key!r}") as (f, header):
                arrays[key] = read_data(f, header, f"{path}: array {key!r}")
    X = arrays["X"]
    names = tuple(f"x{j}" for j in range(X.shape[1])) if X.ndim == 2 else ()
    return Arrays(X, arrays.get(name) if name else None, names, name)


def read_npy(path: Path, target: str | None) -> Arrays:
    with open(path, "rb") as f:
        read_header(f, path.stat().st_size, str(path))
    try:
        A = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npy file ({exc})") from None
    if A.ndim != 2:
        raise DataError(f"{path}: expected a 2-D array, got shape {A.shape}")
    if target is None:
        return Arrays(A, None, tuple(f"x{j}" for j in range(A.shape[1])), None)
    col = target_index(path, target, A.shape[1])
    keep = [j for j in range(A.shape[1]) if j != col]
    return Arrays(A[:, keep], np.asarray(A[:, col]), tuple(f"x{j}" for j in keep), str(col))


def target_index(path: Path, target: str, width: int) -> int:
    """The column index ``target`` of an ``.npy`` file of ``width`` columns."""
    try:
        col = int(target)
    except ValueError:
        from glassnet.data.errors import UnknownColumn

        raise UnknownColumn(
            f"{path}: for .npy files the target is a column index, got {target!r}"
        ) from None
    if not -width <= col < width:
        from glassnet.data.errors import UnknownColumn

        raise UnknownColumn(f"{path}: target column {col} out of range for {width} columns "
                            f"(0 to {width - 1}, or -1 for the last)")  # fmt: skip
    return col % width


def row_blocks(path: Path, rows: int, target: str | None = None) -> Iterator[Any]:
    """``X``'s rows of an ``.npy`` or ``.npz`` file, ``rows`` at a time, read as they are
    needed (an ``.npy`` file's ``target`` column left out); never the whole array."""
    if path.suffix.lower() == ".npy":
        with open(path, "rb") as f:
            header = read_header(f, path.stat().st_size, str(path))
            yield from _blocks(f, header, str(path), rows, target, path)
        return
    with npz_members(path) as members:
        if "X" not in members:
            raise DataError(f"{path}: no array named 'X'; arrays are {', '.join(members)}")
        with members["X"].open(f"{path}: array 'X'") as (f, header):
            yield from _blocks(f, header, f"{path}: array 'X'", rows, None, path)


def _blocks(
    f: IO[bytes], header: Header, where: str, rows: int, target: str | None, path: Path
) -> Iterator[Any]:
    if len(header.shape) != 2:
        raise DataError(f"{where}: expected a 2-D array, got shape {header.shape}")
    n, width = header.shape
    if n == 0 or width == 0:
        raise DataError(f"{where} has no data (shape {header.shape})")
    keep = None
    if target is not None:
        col = target_index(path, target, width)
        keep = [j for j in range(width) if j != col]
    if header.fortran and path.suffix.lower() == ".npy":  # columns first on disk
        yield from _column_blocks(f, header, where, rows, keep)
        return
    if header.fortran:  # a zip member's columns: one stream, rows cannot be read apart
        whole = read_data(f, header, where)
        yield from (whole[i : i + rows] if keep is None else whole[i : i + rows, keep]
                    for i in range(0, n, rows))
        return
    for start in range(0, n, rows):
        block = read_data(f, header, where, min(rows, n - start))
        yield block if keep is None else block[:, keep]


def _column_blocks(
    f: IO[bytes], header: Header, where: str, rows: int, keep: list[int] | None
) -> Iterator[Any]:
    """A column-major (Fortran-order) ``.npy``'s rows ``rows`` at a time: each block's
    slice of each kept column read on its own (one seek per column), never the whole."""
    n, width = header.shape
    item = header.dtype.itemsize
    columns = range(width) if keep is None else keep
    for start in range(0, n, rows):
        count = min(rows, n - start)
        block = np.empty((count, len(columns)), dtype=header.dtype)
        for k, j in enumerate(columns):
            f.seek(header.offset + (j * n + start) * item)
            column = Header(header.offset, header.dtype, (count,), False)
            block[:, k] = read_data(f, column, where)
        yield block
