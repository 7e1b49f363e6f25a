"""Hostile model files and checkpoints are refused after reading and allocating little:
bounded by the zip's end record (64 KiB), its directory and the ``.npy`` headers, never by
what the file declares."""

import io
import tracemalloc
from collections import defaultdict

import numpy as np
import pytest
from _hostile import base_file, hostile, npy, zipped

import glassnet.files.modelfile as modelfile
from glassnet.files.modelfile import ModelFileError, load_model
from glassnet.files.safenpz import MAX_META_BYTES, NpzError, SafeNpz, Spec

READ_LIMIT = 80_000  # end-record tail 65,557 + directory + headers
ALLOC_LIMIT = 1_000_000


class CountingFile(io.FileIO):
    """A file that counts the bytes read from it."""

    total = 0

    def read(self, size=-1):
        data = super().read(size)
        CountingFile.total += len(data)
        return data

    def readinto(self, buffer):
        n = super().readinto(buffer)
        CountingFile.total += n or 0
        return n


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    return base_file(tmp_path_factory.mktemp("base") / "m.npz")


CASES = hostile(defaultdict(bytes), 0)  # names only, for the ids


@pytest.mark.parametrize("case", list(CASES))
def test_lying_model_files_are_refused_cheaply(members, tmp_path, monkeypatch, case):
    path = tmp_path / "m.npz"
    path.write_bytes(hostile(members, 64 * 2**20)[case]())
    CountingFile.total = 0
    monkeypatch.setattr(modelfile, "open", lambda p, mode: CountingFile(p, "r"), raising=False)
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError) as info:
            load_model(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(path) in str(info.value) and len(str(info.value)) < 400
    meta = path.stat().st_size if case.startswith("metadata:") else 0  # read, then refused
    assert CountingFile.total < READ_LIMIT + meta, (case, CountingFile.total)
    assert peak < ALLOC_LIMIT + 3 * meta, (case, peak)


def test_the_honest_base_file_loads_and_reads_it_whole(members, tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    path.write_bytes(zipped(members))
    CountingFile.total = 0
    monkeypatch.setattr(modelfile, "open", lambda p, mode: CountingFile(p, "r"), raising=False)
    model = load_model(path)
    assert model.params[0]["W"].shape == (500, 500)
    assert CountingFile.total >= 500 * 500 * 8  # the counter counts what a load reads


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("npy header declares 250M values", r"shape \(250000000,\), expected \(500, 500\)"),
        ("npy and metadata agree on a huge layer the file lacks", "declares 2000000000 bytes"),
        ("zip directory declares a 4 GB member", "does not hold"),
        ("compression bomb: unknown member of zeros", "compressed"),
        ("duplicate names", "more than once: 'layer0_W.npy'"),
        ("object dtype", "only plain arrays"),
        ("wrong dtype int64", "dtype int64, expected float32 or float64"),
        ("extra small member", "unknown member 'evil'"),
        ("extra non-npy member", "unknown member 'evil.txt'"),
        ("huge metadata", f"more than the {MAX_META_BYTES}"),
        ("zip declares 65000 members", "65000 members"),
        ("overlapping members", "does not hold"),
        ("metadata: an architecture of 100,000 layers", "invalid architecture"),
    ],
)
def test_each_lie_is_named(members, tmp_path, case, message):
    path = tmp_path / "m.npz"
    path.write_bytes(hostile(members, 2**24)[case]())
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_fortran_order_and_big_endian_arrays_still_load(tmp_path):
    a = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    buf = io.BytesIO()
    np.savez(buf, a=a, b=np.arange(3, dtype=">f4"))
    with SafeNpz(buf) as npz:
        npz.expect({"a": Spec(("f",), (2, 3)), "b": Spec(("f",), (3,))})
        np.testing.assert_array_equal(npz.read("a", Spec(("f",), (2, 3))), a)
        np.testing.assert_array_equal(npz.read("b", Spec(("f",))), np.arange(3))


def test_a_member_shorter_than_its_header_says_is_refused():
    data = zipped({"a": npy("<f8", (4,), bytes(16))})
    with SafeNpz(io.BytesIO(data)) as npz, pytest.raises(NpzError, match="declares 32 bytes"):
        npz.read("a", Spec(("f",), (4,)))


def test_format_1_fixture_keeps_loading():
    """A model file written by glassnet 0.1 (format 1), committed under tests/fixtures."""
    from pathlib import Path

    model = load_model(Path(__file__).parent / "fixtures" / "model-format1.npz")
    assert model.net.sizes == [4, 5, 3] and list(model.classes) == ["a", "b", "c"]
    expected = [  # written by main's loader before the checked reader existed
        [0.22567181753567672, 0.42007567175049276, 0.35425251071383046],
        [0.10728169774978596, 0.2809844351447368, 0.6117338671054773],
    ]
    X = np.arange(8.0).reshape(2, 4)
    np.testing.assert_allclose(model.predict_proba(X), expected, rtol=1e-12)
    assert model.feature_names == ("w", "x", "y", "z") and model.settings == {"epochs": 5}


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda w: b"NOTNUMPY" + w[8:], "not a .npy array"),
        (lambda w: w[:6] + b"\x09\x00" + w[8:], "not a .npy array"),
        (lambda w: w[:10] + b"{'descr': '<f8', 'fortran_order': False, 'shape': (2," + w[60:],
         "its header is damaged"),
        (lambda w: b"\x93NUMPY\x02\x00" + (10**6).to_bytes(4, "little") + b" " * 10**6,
         "its header is damaged"),
    ],
)
def test_data_and_model_files_share_one_npy_header_reader(tmp_path, members, damage, message):
    """The same damaged header is refused with the same words by the data reader
    (``glassnet.data.arrays``) and by the model-file reader (``SafeNpz``)."""
    from glassnet.data.tables import DataError, load_table

    bad = damage(members["layer0_W"])
    (tmp_path / "d.npy").write_bytes(bad)
    with pytest.raises(DataError, match=message):
        load_table(tmp_path / "d.npy")
    (tmp_path / "m.npz").write_bytes(zipped({**members, "layer0_W": bad}))
    with pytest.raises(ModelFileError, match=rf"array 'layer0_W'.*{message}"):
        load_model(tmp_path / "m.npz")
