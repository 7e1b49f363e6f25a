"""Reading NumPy files, checked before they are trusted, and in row blocks on request.

* ``.npz``: an array ``X`` (N, D) and a target array (``y`` by default), stored or
  compressed (``numpy.savez_compressed``).
* ``.npy``: one 2-D array, its target a column index; memory-mapped for training.

Nothing is unpickled. Each ``.npy`` header (inside an ``.npz`` too) is read with a cap on
its length, and checked before any data is: arrays of Python objects (``dtype=object``)
are refused with one line, and an array must hold exactly the bytes its header declares
(in an ``.npz``, the member size of the zip directory, which bounds a decompression), so
a file that lies about its size is refused before memory is set aside for it.
:func:`row_blocks` reads ``X`` a block of rows at a time, for predictions over files
larger than memory.
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np

from glassnet.core.validation import DataError

MAX_MEMBERS = 1024  # arrays in a data .npz (X, targets and a few more)
MAX_HEADER_BYTES = 4096  # a .npy header of a plain array is under 200 bytes


class Arrays(NamedTuple):
    X: Any  # (N, D): an ndarray, or a memmap for .npy files
    y: Any  # (N,) or (N, k), None when the file has no target
    feature_names: tuple[str, ...]
    target_name: str | None


class Header(NamedTuple):
    offset: int  # where the data starts
    dtype: np.dtype[Any]
    shape: tuple[int, ...]
    fortran: bool


def read_header(f: IO[bytes], size: int, where: str) -> Header:
    """The ``.npy`` header at ``f``'s start (``f`` left at the data), checked: a plain
    dtype, and exactly ``size`` bytes in all. Raises :class:`DataError` naming ``where``."""
    header = parse_header(f, where)
    if header.dtype.hasobject:
        raise DataError(
            f"{where} holds Python objects (dtype {header.dtype}), which glassnet does not "
            "unpickle; save numbers or text (a numeric or string dtype)"
        )
    data = math.prod(header.shape) * header.dtype.itemsize
    if header.offset + data != size:
        raise DataError(
            f"{where}: its header declares {data} bytes of data, the file holds "
            f"{size - header.offset}; the file is damaged"
        )
    return header


def parse_header(f: IO[bytes], where: str) -> Header:
    """The ``.npy`` header at ``f``'s start, parsed (``f`` left at the data) with its length
    capped at :data:`MAX_HEADER_BYTES`, nothing else checked (the one reader of ``.npy``
    headers: data files here, model files in :mod:`glassnet.files.safenpz`). Raises
    :class:`DataError` naming ``where`` for a bad magic string, version or header."""
    fmt = np.lib.format
    magic = f.read(8)
    if magic[:6] != b"\x93NUMPY" or magic[6:] not in (b"\x01\x00", b"\x02\x00"):
        raise DataError(f"{where}: not a .npy array (or a .npy version glassnet does not read)")
    length = f.read(2 if magic[6] == 1 else 4)
    text = f.read(min(int.from_bytes(length, "little"), MAX_HEADER_BYTES + 1))
    read = fmt.read_array_header_1_0 if magic[6] == 1 else fmt.read_array_header_2_0
    try:
        shape, fortran, dtype = read(io.BytesIO(length + text), MAX_HEADER_BYTES)
    except Exception:  # numpy parses the header's text: any damage raises something
        raise DataError(f"{where}: not a readable .npy array (its header is damaged)") from None
    return Header(8 + len(length) + len(text), dtype, tuple(shape), bool(fortran))


def read_data(f: IO[bytes], header: Header, where: str, rows: int | None = None) -> Any:
    """The next ``rows`` rows (default: all) of the array after ``header``, read into an
    array of exactly that size."""
    shape = header.shape if rows is None else (rows, *header.shape[1:])
    out = np.empty(math.prod(shape), dtype=header.dtype)
    view, done = out.view(np.uint8).data, 0  # the bytes of any dtype
    try:
        while done < len(view) and (n := f.readinto(view[done:])):  # type: ignore[attr-defined]
            done += n
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise DataError(f"{where}: the array is damaged ({exc})") from None
    if done < len(view):
        raise DataError(f"{where}: the array is truncated")
    return out.reshape(shape, order="F" if header.fortran else "C")


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


def not_the_features(path: Path, target: str, arrays: list[str]) -> None:
    """Refuse ``--target X`` of an ``.npz`` file (an ``UnknownColumn``, a bad argument): X
    is the features, and the target is never a feature."""
    if target == "X":
        from glassnet.data.errors import UnknownColumn

        raise UnknownColumn(
            f"{path}: the target array cannot be 'X', the features (the target is never "
            f"a feature); arrays are {', '.join(arrays)}", target
        )


def read_npz(path: Path, target: str | None) -> Arrays:
    with npz_members(path) as members:
        if "X" not in members:
            raise DataError(f"{path}: no array named 'X'; arrays are {', '.join(members)}")
        if target is not None:
            not_the_features(path, target, list(members))
        if target is not None and target not in members:
            from glassnet.data.errors import unknown_column

            raise unknown_column(str(path), "target array", target, list(members))
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
