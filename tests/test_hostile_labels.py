"""Each hostile file's label (``tests/_hostile.py``, printed by ``benchmarks/hostile_files.py``)
says what the file holds: every number a label names is read back from the file's own bytes
with :mod:`struct`, :mod:`zipfile` and NumPy's ``.npy`` reader, not from the builder
(NU9 #20: "zip declares 100000 members" declared 65000)."""

import io
import json
import re
import struct
import zipfile
from collections import defaultdict

import numpy as np
import pytest
from _hostile import base_file, hostile


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    members = base_file(tmp_path_factory.mktemp("base") / "m.npz")
    return {name: build() for name, build in hostile(members, 2**20).items()}


def _end_record_count(data: bytes) -> int:
    at = data.rfind(b"PK\x05\x06")
    on_disk, total = struct.unpack_from("<HH", data, at + 8)
    assert on_disk == total
    return total


def _directory_size(data: bytes, member: str) -> int:
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + n].decode() == member:
            return struct.unpack_from("<L", data, at + 24)[0]
        at = data.find(b"PK\x01\x02", at + 4)
    raise KeyError(member)


def _npy_shape(data: bytes, member: str) -> tuple[int, ...]:
    with zipfile.ZipFile(io.BytesIO(data)) as z, z.open(member) as f:
        assert np.lib.format.read_magic(f) == (1, 0)
        shape, _, _ = np.lib.format.read_array_header_1_0(f)  # the header alone
    return shape


def _meta(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return json.loads(str(np.load(io.BytesIO(z.read("meta.npy")))))


def _number(text: str) -> float:
    value = float(text.rstrip("MG").replace(",", ""))
    return value * {"M": 1e6, "G": 1e9}.get(text[-1], 1)


READERS = {  # a label's pattern -> what the file declares, read from its bytes
    r"zip declares ([\d,]+) members": _end_record_count,
    r"npy header declares ([\d,]+M) values": lambda d: int(np.prod(_npy_shape(d, "layer0_W.npy"))),
    r"declares a ([\d]+) GB member": lambda d: round(_directory_size(d, "layer0_W.npy") / 2**30),
    r"an architecture of ([\d,]+) layers": lambda d: len(_meta(d)["sizes"]) - 1,
    r"npy version (\d+)": lambda d: _member(d, "layer0_W.npy")[6],
}


def _member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


@pytest.mark.parametrize("label", sorted(hostile(defaultdict(bytes), 0)))
def test_every_number_in_a_label_is_what_the_file_declares(files, label):
    found = [(pattern, m) for pattern in READERS if (m := re.search(pattern, label))]
    if not found:
        assert not re.search(r"\d", label.replace("int64", "")), (
            f"{label!r} names a number no reader here checks"
        )
        return
    ((pattern, match),) = found
    assert READERS[pattern](files[label]) == _number(match.group(1)), label


def test_the_zip_member_count_is_one_the_classic_end_record_can_hold():
    from _hostile import DECLARED_MEMBERS

    assert DECLARED_MEMBERS < 2**16  # a 16-bit field: 100000 could never be declared there
