"""Reading ``.npz`` files from somebody else: every size is checked before it is trusted.

A zip file and the ``.npy`` files inside it declare their own sizes, and ``numpy.load``
believes them: a small file can declare a huge array or a huge member and exhaust memory
before anything is checked. :class:`SafeNpz` reads in the order that keeps the cost of a
lie bounded by the size of the file on disk and the model the metadata describes:

1. the zip's end record: at most :data:`MAX_MEMBERS` members, a directory that fits in
   the file; no two members share a name; every member stored (not compressed, as
   ``numpy.savez`` writes them) and lying within the file without overlapping another;
2. the metadata member (a 0-d unicode array of JSON), at most :data:`MAX_META_BYTES`,
   before it is parsed;
3. what the caller expects from the metadata (:class:`Spec`: dtypes and shape per
   member): unknown and missing members are refused unread; every member's ``.npy``
   header (magic, version, dtype, shape, order) must agree with its spec and its size in
   the zip directory, to the byte;
4. only then the array data, into arrays of exactly the declared size.

Any failure raises :class:`NpzError` with one line naming the member. Step 1, the zip's own
structure, is :mod:`glassnet.files.safezip`.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError
from glassnet.data.npyfile import parse_header
from glassnet.files.safezip import MAX_MEMBERS, NpzError, check_end_record, check_layout

MAX_META_BYTES = 16 * 2**20  # 4 million characters of JSON

__all__ = ["FLOATS", "MAX_MEMBERS", "MAX_META_BYTES", "NpzError", "SafeNpz", "Spec"]


@dataclass(frozen=True)
class Spec:
    """What one member must be: one of ``dtypes`` (NumPy kind letters such as ``"f"`` or
    exact dtypes such as ``"<f8"``) and ``shape`` (``None``: any shape of the right rank
    ``ndim``)."""

    dtypes: tuple[str, ...]
    shape: tuple[int, ...] | None = None
    ndim: int | None = None


FLOATS = ("float32", "float64")


class SafeNpz:
    """An ``.npz`` opened for checked reading; see the module docstring for the order.

    ``fh`` is a binary file open for reading and seeking (it is not closed here).
    """

    def __init__(self, fh: IO[bytes]) -> None:
        self.size = fh.seek(0, os.SEEK_END)
        check_end_record(fh, self.size)
        try:
            self.zip = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise NpzError(f"not a readable zip file ({exc})") from None
        infos = self.zip.infolist()
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise NpzError(f"the zip names a member more than once: {dup[0]!r}")
        self.info = {n.removesuffix(".npy"): i for n, i in zip(names, infos, strict=True)}
        check_layout(infos, self.size)
        self.headers: dict[str, tuple[int, np.dtype[Any], tuple[int, ...], bool]] = {}

    def __enter__(self) -> SafeNpz:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    @property
    def names(self) -> set[str]:
        return set(self.info)

    def meta(self, name: str = "meta") -> Any:
        """The JSON in the 0-d unicode member ``name``, size-capped before it is read."""
        if name not in self.info:
            raise NpzError("no metadata member")
        if self.info[name].file_size > MAX_META_BYTES:
            raise NpzError(
                f"the metadata declares {self.info[name].file_size} bytes, more than the "
                f"{MAX_META_BYTES} allowed"
            )
        text = self.read(name, Spec(("U",), ()))
        try:
            return json.loads(str(text))
        except (json.JSONDecodeError, RecursionError) as exc:
            raise NpzError(f"damaged metadata ({type(exc).__name__})") from None

    def expect(self, specs: dict[str, Spec]) -> None:
        """Refuse unknown or missing members, then check every header against its spec."""
        unknown = sorted(self.names - set(specs))
        if unknown:
            raise NpzError(f"unknown member {unknown[0]!r} (not read)")
        missing = sorted(set(specs) - self.names)
        if missing:
            raise NpzError(f"missing array {missing[0]!r}")
        for name, spec in specs.items():
            self._header(name, spec)

    def shape(self, name: str, spec: Spec) -> tuple[int, ...]:
        """The shape in ``name``'s header, checked against ``spec`` and the zip directory."""
        return self._header(name, spec)[2]

    def read(self, name: str, spec: Spec) -> Array:
        """The array ``name``, its header checked against ``spec`` before its data is read."""
        offset, dtype, shape, fortran = self._header(name, spec)
        count = math.prod(shape)
        out = np.empty(count, dtype=dtype)
        view = out.data.cast("B")
        done = 0
        try:
            with self.zip.open(self.info[name]) as member:
                f: Any = member  # a ZipExtFile, which reads into buffers
                f.seek(offset)
                while done < len(view) and (n := f.readinto(view[done:])):
                    done += n
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise NpzError(f"array {name!r} is damaged ({exc})") from None
        if done < len(view):
            raise NpzError(f"array {name!r} is truncated")
        return out.reshape(shape, order="F" if fortran else "C")

    def _header(self, name: str, spec: Spec) -> tuple[int, np.dtype[Any], tuple[int, ...], bool]:
        if name not in self.headers:
            self.headers[name] = _read_header(self.zip, self.info[name], name)
        offset, dtype, shape, fortran = self.headers[name]
        _match(name, dtype, shape, spec)
        data = math.prod(shape) * dtype.itemsize
        if offset + data != self.info[name].file_size:
            raise NpzError(
                f"array {name!r}: its header declares {data} bytes of data, the zip "
                f"directory {self.info[name].file_size - offset}"
            )
        return offset, dtype, shape, fortran


def _read_header(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str
) -> tuple[int, np.dtype[Any], tuple[int, ...], bool]:
    """``(data offset, dtype, shape, fortran order)`` from a member's ``.npy`` header (read
    by :func:`glassnet.data.npyfile.parse_header`, which caps its length)."""
    try:
        with zf.open(info) as f:
            header = parse_header(f, f"array {name!r}")
    except DataError as exc:
        raise NpzError(str(exc)) from None
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise NpzError(f"array {name!r}: bad .npy header ({type(exc).__name__})") from None
    return header.offset, header.dtype, header.shape, header.fortran


def _match(name: str, dtype: np.dtype[Any], shape: tuple[int, ...], spec: Spec) -> None:
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise NpzError(f"array {name!r} has dtype {dtype}; only plain arrays are read")
    if dtype.kind not in spec.dtypes and dtype.name not in spec.dtypes:
        raise NpzError(f"array {name!r} has dtype {dtype}, expected {' or '.join(spec.dtypes)}")
    if spec.shape is not None and shape != spec.shape:
        raise NpzError(f"array {name!r} has shape {shape}, expected {spec.shape}")
    if spec.ndim is not None and len(shape) != spec.ndim:
        raise NpzError(f"array {name!r} has {len(shape)} dimensions, expected {spec.ndim}")
