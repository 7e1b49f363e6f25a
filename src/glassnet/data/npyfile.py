"""The ``.npy`` format read by hand: a header checked before any data is read.

Each ``.npy`` header (inside an ``.npz`` too) is read with a cap on its length, and checked
before any data is: arrays of Python objects (``dtype=object``) are refused with one line,
and an array must hold exactly the bytes its header declares (in an ``.npz``, the member
size of the zip directory, which bounds a decompression), so a file that lies about its
size is refused before memory is set aside for it. The one reader of ``.npy`` headers:
data files (:mod:`glassnet.data.arrays`) and model files (:mod:`glassnet.files.safenpz`).
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from typing import IO, Any, NamedTuple

import numpy as np

from glassnet.core.validation import DataError

__all__ = ["MAX_HEADER_BYTES", "Header", "parse_header", "read_data", "read_header"]

MAX_HEADER_BYTES = 4096  # a .npy header of a plain array is under 200 bytes


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
