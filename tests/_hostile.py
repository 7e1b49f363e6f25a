"""Model files that lie in every way a zip and an ``.npy`` can lie, for tests, the fuzz
targets' seeds and the refusal benchmark. Each builder takes the members of a valid file
(``{name: .npy bytes}``, name without ``.npy``) and returns the bytes of a hostile file."""

from __future__ import annotations

import io
import json
import struct
import warnings
import zipfile
from collections.abc import Callable

import numpy as np

from glassnet.core.network import Network
from glassnet.files.modelfile import Model, save_model

GIB = 2**30
# The numbers the labels below name, written once so that a label says what its file holds
# (tests/test_hostile_labels.py reads each file back): the classic zip end record counts
# members in 16 bits, so 65000 is about the most it can declare.
DECLARED_MEMBERS = 65_000
LAYERS = 100_000


def npy(descr: str, shape: tuple[int, ...], data: bytes = b"", fortran: bool = False) -> bytes:
    """An ``.npy`` file with the header saying whatever we like (version 1.0)."""
    header = repr({"descr": descr, "fortran_order": fortran, "shape": shape}).encode("latin1")
    pad = 64 - (10 + len(header) + 1) % 64
    header += b" " * pad + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + data


def members_of(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n.removesuffix(".npy"): z.read(n) for n in z.namelist()}


def zipped(
    members: list[tuple[str, bytes]] | dict[str, bytes], deflate: set[str] = frozenset()
) -> bytes:
    items = members.items() if isinstance(members, dict) else members
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name"
        with zipfile.ZipFile(buf, "w") as z:
            for name, data in items:
                kind = zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED
                z.writestr(
                    name if name.endswith(".txt") else name + ".npy", data, compress_type=kind
                )
    return buf.getvalue()


def patch_directory(data: bytes, name: str, offset: int, value: int, fmt: str = "<L") -> bytes:
    """Overwrite a field of ``name``'s central-directory entry (20: compressed size,
    24: size, 42: local header offset)."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        n = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + n].decode() == name + ".npy":
            struct.pack_into(fmt, out, offset + at, value)
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise KeyError(name)


def with_meta(members: dict[str, bytes], **changes) -> dict[str, bytes]:
    meta = json.loads(str(np.load(io.BytesIO(members["meta"]))))
    meta.update(changes)
    return {**members, "meta": _npy_of(np.array(json.dumps(meta)))}


def _npy_of(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, a, allow_pickle=False)
    return buf.getvalue()


def base_file(path, n_in: int = 500, hidden: int = 500) -> dict[str, bytes]:
    """A valid classifier of about ``8 * n_in * hidden`` bytes (2 MB by default)."""
    rng = np.random.default_rng(0)
    net = Network.mlp([n_in, hidden, 3], "relu", "softmax", "mean")
    save_model(Model(net, net.init(rng), np.array([0, 1, 2])), path)
    return members_of(path)


def bomb(members: dict[str, bytes], size: int, name: str = "extra") -> bytes:
    """``members`` plus ``name``: an ``.npy`` of ``size`` bytes of zeros, deflated (1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for key, data in members.items():
            if key != name:
                z.writestr(key + ".npy", data)
        info = zipfile.ZipInfo(name + ".npy")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            f.write(npy("<f8", (size // 8,)))
            chunk = bytes(2**24)
            for _ in range(size // len(chunk)):
                f.write(chunk)
    return buf.getvalue()


def hostile(members: dict[str, bytes], bomb_size: int = GIB) -> dict[str, Callable[[], bytes]]:
    """Every lie, by name; each value builds the bytes of one hostile file."""
    m = members
    w = m["layer0_W"]
    huge = (250_000_000,)
    return {
        "npy header declares 250M values": lambda: zipped(
            {**m, "layer0_W": npy("<f8", huge, w[128:])}
        ),
        "npy and metadata agree on a huge layer the file lacks": lambda: zipped(
            {
                **with_meta(m, sizes=[50_000, 5_000, 3]),
                "layer0_W": npy("<f8", (50_000, 5_000), w[128:]),
            }
        ),
        "zip directory declares a 4 GB member": lambda: patch_directory(
            patch_directory(zipped(m), "layer0_W", 24, 2**32 - 2), "layer0_W", 20, 2**32 - 2
        ),
        "zip directory declares a smaller member": lambda: patch_directory(
            patch_directory(zipped(m), "layer0_W", 24, 1000), "layer0_W", 20, 1000
        ),
        "compression bomb: unknown member of zeros": lambda: bomb(m, bomb_size),
        "compression bomb: a known member of zeros": lambda: bomb(m, bomb_size, "layer0_W"),
        "compressed known member": lambda: zipped(m, {"layer0_W"}),
        "duplicate names": lambda: zipped([*m.items(), ("layer0_W", w)]),
        "wrong dtype int64": lambda: zipped({**m, "layer0_W": npy("<i8", (500, 500), w[128:])}),
        "wrong dtype complex": lambda: zipped({**m, "layer0_W": npy("<c8", (500, 500), w[128:])}),
        "object dtype": lambda: zipped({**m, "layer0_W": npy("|O", (500, 500), w[128:])}),
        "structured dtype": lambda: zipped(
            {**m, "layer0_W": npy("[('a', '<f4'), ('b', '<f4')]", (500, 500), w[128:])}
        ),
        "extra small member": lambda: zipped({**m, "evil": npy("<f8", (2,), bytes(16))}),
        "extra non-npy member": lambda: zipped({**m, "evil.txt": b"hello"}),
        "truncated member": lambda: zipped({**m, "layer0_W": w[: len(w) // 2]}),
        "truncated file": lambda: zipped(m)[: len(zipped(m)) * 3 // 4],
        "huge metadata": lambda: zipped({**m, "meta": _npy_of(np.array("x" * 5_000_000))}),
        "metadata declares a huge string": lambda: zipped({**m, "meta": npy("<U100000000", ())}),
        "metadata is an object array": lambda: zipped({**m, "meta": npy("|O", ())}),
        "npy header too long": lambda: zipped(
            {**m, "layer0_W": b"\x93NUMPY\x02\x00" + struct.pack("<L", 10**6) + b" " * 10**6}
        ),
        "npy bad magic": lambda: zipped({**m, "layer0_W": b"NOTNUMPY" + w[8:]}),
        "npy version 9": lambda: zipped({**m, "layer0_W": w[:6] + b"\x09\x00" + w[8:]}),
        f"zip declares {DECLARED_MEMBERS} members": lambda: _end_record(
            zipped(m), count=DECLARED_MEMBERS
        ),
        "zip directory beyond the file": lambda: _end_record(zipped(m), cd_size=2**31),
        "overlapping members": lambda: _overlap(zipped(m)),
        f"metadata: an architecture of {LAYERS:,} layers": lambda: zipped(
            with_meta(m, sizes=[2] * (LAYERS + 1))  # the input's size, then each layer's
        ),
    }


def _end_record(data: bytes, count: int | None = None, cd_size: int | None = None) -> bytes:
    out = bytearray(data)
    at = out.rfind(b"PK\x05\x06")
    if count is not None:
        struct.pack_into("<HH", out, at + 8, count, count)
    if cd_size is not None:
        struct.pack_into("<L", out, at + 12, cd_size)
    return bytes(out)


def _overlap(data: bytes) -> bytes:
    """Point ``layer0_b``'s directory entry at ``layer0_W``'s local header."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        target = z.getinfo("layer0_W.npy").header_offset
    return patch_directory(data, "layer0_b", 42, target)
