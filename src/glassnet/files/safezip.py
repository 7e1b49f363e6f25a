"""The zip structure of an ``.npz`` from somebody else, checked before :mod:`zipfile` or
:mod:`numpy` trust it (step 1 of :mod:`glassnet.files.safenpz`): at most
:data:`MAX_MEMBERS` members in a directory that fits in the file, every member stored (not
compressed, as ``numpy.savez`` writes them) and lying within the file without overlapping
another. Layout: PKWARE's APPNOTE.TXT, sections 4.3.7 (local file header, 30 bytes before
the name) and 4.3.16 (end of central directory record, 22 bytes)."""

from __future__ import annotations

import struct
import zipfile
from typing import IO

MAX_MEMBERS = 4096  # 2 per layer plus a few: far more than any MLP glassnet writes
_END = struct.Struct("<4s4H2LH")  # zip "end of central directory" record, 22 bytes
_LOCAL = 30  # fixed part of a zip local file header


class NpzError(ValueError):
    """An ``.npz`` file that is damaged or says something about itself that is not true."""


def check_end_record(fh: IO[bytes], size: int) -> None:
    """The zip's end record, read from the file's last 64 KiB, before zipfile reads more."""
    tail = min(size, 65535 + _END.size)
    fh.seek(size - tail)
    data = fh.read(tail)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or len(data) - at < _END.size:
        raise NpzError("not a zip file (no end record)")
    _, disk, _, _, count, cd_size, cd_offset, _ = _END.unpack_from(data, at)
    if disk != 0 or count == 0xFFFF or cd_offset == 0xFFFFFFFF:
        raise NpzError("a multi-part or zip64 file; glassnet writes neither")
    if count > MAX_MEMBERS:
        raise NpzError(f"the zip declares {count} members, more than {MAX_MEMBERS}")
    if cd_offset + cd_size > size:
        raise NpzError(f"the zip directory declares {cd_size} bytes beyond the file's end")


def check_layout(infos: list[zipfile.ZipInfo], size: int) -> None:
    """Stored members, each within the file, none overlapping another."""
    end = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        name = info.filename
        if not name.endswith(".npy"):
            raise NpzError(f"unknown member {name!r} (not read)")
        if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
            raise NpzError(f"member {name!r} is compressed; glassnet reads stored members only")
        start = info.header_offset + _LOCAL + len(info.filename.encode())
        if info.header_offset < end or start + info.file_size > size:
            raise NpzError(
                f"member {name!r} declares {info.file_size} bytes that the file does not hold"
            )
        end = start + info.file_size
