"""NumPy data files (``glassnet.data.arrays``): read as ``numpy.load`` reads them (the
oracle), in row blocks that join to the whole, and never trusted: object arrays, headers
that lie about their size and damaged bytes are one :class:`DataError` each."""

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from glassnet.core.validation import DataError
from glassnet.data.arrays import row_blocks
from glassnet.data.tables import load_table


@pytest.fixture
def data(rng):
    return rng.normal(size=(257, 5)), rng.integers(0, 3, 257)


@pytest.mark.parametrize("save", [np.savez, np.savez_compressed])
@pytest.mark.parametrize("ydtype", ["int64", "float32", "bool", "U5"])
def test_npz_reads_as_numpy_loads_it(tmp_path, data, save, ydtype):
    X, y = data
    save(tmp_path / "d.npz", X=X.astype(np.float32), y=y.astype(ydtype), other=np.arange(3))
    table = load_table(tmp_path / "d.npz")
    with np.load(tmp_path / "d.npz") as oracle:
        np.testing.assert_array_equal(table.X, oracle["X"])
        np.testing.assert_array_equal(table.y, oracle["y"])
        assert table.X.dtype == oracle["X"].dtype and table.y.dtype == oracle["y"].dtype


@pytest.mark.parametrize("rows", [1, 7, 64, 1000])
@pytest.mark.parametrize("kind", ["npz", "npz-compressed", "npy", "npy-fortran"])
def test_row_blocks_join_to_the_whole(tmp_path, data, rows, kind):
    X, y = data
    A = np.column_stack([X, y])
    if kind.startswith("npz"):
        path = tmp_path / "d.npz"
        (np.savez_compressed if "compressed" in kind else np.savez)(path, X=X, y=y)
        blocks, expected = list(row_blocks(path, rows)), X
    else:
        path = tmp_path / "d.npy"
        np.save(path, np.asfortranarray(A) if "fortran" in kind else A)
        blocks, expected = list(row_blocks(path, rows, target="5")), X
        np.testing.assert_array_equal(load_table(path, "5").X, expected)
    assert all(len(b) <= rows for b in blocks) and len(blocks) == -(-len(X) // rows)
    np.testing.assert_array_equal(np.concatenate(blocks), expected)


def _one_line(excinfo):
    text = str(excinfo.value)
    assert "\n" not in text and "Traceback" not in text
    return text


@pytest.mark.parametrize("where", ["X", "y"])
def test_object_arrays_are_refused_unread(tmp_path, data, where):
    X, y = data
    arrays = {"X": X, "y": y}
    arrays[where] = arrays[where].astype(object)
    np.savez(tmp_path / "d.npz", **arrays)
    with pytest.raises(DataError) as excinfo:
        load_table(tmp_path / "d.npz")
    assert f"array '{where}' holds Python objects" in _one_line(excinfo)
    np.save(tmp_path / "d.npy", np.array([[1, "a"]], dtype=object), allow_pickle=True)
    with pytest.raises(DataError, match="holds Python objects"):
        load_table(tmp_path / "d.npy", "0")


def _npy_bytes(A, shape=None):
    """An .npy file of ``A`` whose header may declare another ``shape``."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": A.dtype.str, "fortran_order": False, "shape": shape or A.shape}
    )
    return buf.getvalue() + A.tobytes()


@pytest.mark.parametrize("shape", [(10**12, 5), (2**40,), (300, 5), (100, 5)])
@pytest.mark.parametrize("container", ["npy", "npz", "npz-compressed"])
def test_headers_that_lie_about_their_size_are_refused(tmp_path, data, shape, container):
    X, _ = data
    raw = _npy_bytes(X, shape)
    if container == "npy":
        path = tmp_path / "d.npy"
        path.write_bytes(raw)
    else:
        path = tmp_path / "d.npz"
        method = zipfile.ZIP_DEFLATED if "compressed" in container else zipfile.ZIP_STORED
        with zipfile.ZipFile(path, "w", method) as zf:
            zf.writestr("X.npy", raw)
    with pytest.raises(DataError) as excinfo:
        load_table(path, None if container != "npy" else None)
    assert "declares" in _one_line(excinfo)
    with pytest.raises(DataError, match="declares"):
        list(row_blocks(path, 10))


@pytest.mark.parametrize("save", [np.savez, np.savez_compressed])
def test_every_damaged_byte_is_one_data_error_or_a_faithful_read(tmp_path, rng, save):
    X, y = rng.normal(size=(6, 3)), np.arange(6)
    save(tmp_path / "d.npz", X=X, y=y)
    good = (tmp_path / "d.npz").read_bytes()
    damaged = tmp_path / "bad.npz"
    for i in range(len(good)):
        raw = bytearray(good)
        raw[i] ^= 0xA5
        damaged.write_bytes(bytes(raw))
        try:
            table = load_table(damaged)
        except DataError as exc:
            assert "\n" not in str(exc)
            continue
        assert table.X.shape[1] >= 1  # read: a byte the zip does not check (a name, a date)


def test_a_target_that_is_not_there_is_named(tmp_path, data):
    X, y = data
    np.savez(tmp_path / "d.npz", X=X, labels=y)
    with pytest.raises(DataError, match="no target array 'y'; arrays are X, labels"):
        load_table(tmp_path / "d.npz", "y")
    assert load_table(tmp_path / "d.npz", "y", require_target=False).y is None
    Path(tmp_path / "e.npz").write_bytes(b"PK\x05\x06" + bytes(18))
    with pytest.raises(DataError, match="no array named 'X'"):
        load_table(tmp_path / "e.npz")


@pytest.mark.parametrize("kind", ["npy", "npz", "npz-compressed"])
def test_cli_predictions_streamed_from_arrays_equal_the_whole_pass(
    capsys, tmp_path, rng, kind, monkeypatch
):
    import glassnet.data.blocks as blocks
    from glassnet.cli.main import main
    from glassnet.files.modelfile import load_model

    X, y = rng.normal(size=(300, 3)), rng.integers(0, 2, 300)
    np.savez(tmp_path / "train.npz", X=X, y=y)
    model = tmp_path / "m.npz"
    assert main(["train", "--data", str(tmp_path / "train.npz"), "--epochs", "3",
                 "--progress", "off", "--out", str(model)]) == 0  # fmt: skip
    if kind == "npy":
        data, target = tmp_path / "new.npy", ["--target", "3"]
        np.save(data, np.column_stack([X, y]))
    else:
        data, target = tmp_path / "new.npz", []
        (np.savez_compressed if "compressed" in kind else np.savez)(data, X=X)
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 7)
    capsys.readouterr()
    code = main(["predict", "--model", str(model), "--data", str(data), *target])
    text = capsys.readouterr().out
    assert code == 0
    assert text.splitlines()[1:] == [str(v) for v in load_model(model).predict(X)]


@pytest.mark.parametrize("kind", ["npz", "npy"])
@pytest.mark.parametrize("columns", [{"features": ("0", "1")}, {"drop": ("x0",)}])
def test_column_names_of_arrays_are_refused_not_ignored(tmp_path, data, kind, columns):
    X, y = data
    path = tmp_path / f"d.{kind}"
    if kind == "npz":
        np.savez(path, X=X, y=y)
    else:
        np.save(path, np.c_[X, y])
    target = "y" if kind == "npz" else "5"
    assert load_table(path, target).X.shape == X.shape  # every column, without the option
    with pytest.raises(DataError, match=rf"d\.{kind}: features and drop name a table's columns"):
        load_table(path, target, **columns)
