"""Streamed reads hold a block, never the file: a Parquet file's row groups are not
buffered ahead (pyarrow's ``pre_buffer`` would hold every one read so far), and a
column-major ``.npy`` is read a block of each column at a time. The oracles: the whole
file read at once (the same rows) and the bytes each read asks for."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import glassnet.data.arrays as arrays
from glassnet.data.arrays import row_blocks

PARQUET_PEAK = r"""
import sys
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from glassnet.data.blocks import feature_blocks
from glassnet.data.encoding import strict_encoding
path, rows = sys.argv[1], 0
names = tuple(f"x{j}" for j in range(20))
for block in feature_blocks(path, strict_encoding(names)):
    rows += block.n_rows
print(rows, pa.default_memory_pool().max_memory())
"""


N = 400_000  # rows of the streamed Parquet file: 20 float64 columns, 64 MB


def stream_in_child(tmp_path, script, row_group, seed):
    """Write an N x 20 Parquet file of ``row_group``-row groups, run ``script`` on it in a
    fresh interpreter, and return the two numbers it prints (rows read, bytes of peak)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    table = pa.table({f"x{j}": rng.normal(size=N) for j in range(20)})
    pq.write_table(table, tmp_path / "d.parquet", row_group_size=row_group)
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "d.parquet")],
                         capture_output=True, text=True, check=True)  # fmt: skip
    rows, peak = map(int, out.stdout.split())
    return rows, peak


@pytest.mark.parametrize("row_group", [4096, 32768])
def test_parquet_blocks_hold_a_row_group_not_the_file(tmp_path, row_group):
    rows, peak = stream_in_child(tmp_path, PARQUET_PEAK, row_group, seed=0)
    assert rows == N
    group = row_group * 20 * 8  # bytes of a decoded row group
    assert peak < max(8 * 2**20, 6 * group), f"pyarrow held {peak / 2**20:.0f} MB of 64 MB"


PARQUET_RESIDENT = r"""
import sys
import numpy as np, pandas, pyarrow as pa, pyarrow.parquet as pq
from glassnet.data.blocks import feature_blocks
from glassnet.data.encoding import strict_encoding

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024

encoding = strict_encoding(tuple(f"x{j}" for j in range(20)))
base, rows = status("VmRSS"), 0
for block in feature_blocks(sys.argv[1], encoding):
    rows += encoding.transform(block).X.shape[0]
print(rows, status("VmHWM") - base)
"""


@pytest.mark.parametrize("row_group", [4096, 65536])
def test_parquet_stream_resident_memory_stays_near_a_row_group(tmp_path, row_group):
    """The process's resident peak while streaming and encoding a 64 MB Parquet file stays
    within 24 MB plus three decoded row groups: one thread decodes (each of pyarrow's
    threads keeps its own heap) and freed memory goes back to the system each batch
    (before: 39 MB and 102 MB)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("reads the resident peak from /proc (Linux)")
    rows, peak = stream_in_child(tmp_path, PARQUET_RESIDENT, row_group, seed=1)
    assert rows == N
    bound = 24 * 2**20 + 3 * row_group * 20 * 8
    assert peak < bound, f"resident peak {peak / 2**20:.0f} MB (bound {bound / 2**20:.0f} MB)"


BLOCKS = [((1000, 7), 33, None), ((1000, 7), 33, "2"), ((5, 3), 2, "0"), ((1, 1), 5, None),
          ((100, 4), 100, "3"), ((257, 2), 64, None)]  # fmt: skip


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize(("shape", "rows", "target"), BLOCKS)
def test_npy_row_blocks_read_a_block_at_a_time(tmp_path, monkeypatch, order, shape, rows, target):
    A = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) * 0.5 - 3
    np.save(tmp_path / "a.npy", np.asfortranarray(A) if order == "F" else A)
    sizes = []
    read_data = arrays.read_data

    def counted(f, header, where, count=None):
        out = read_data(f, header, where, count)
        sizes.append(out.size)
        return out

    monkeypatch.setattr(arrays, "read_data", counted)
    got = np.concatenate(list(row_blocks(Path(tmp_path / "a.npy"), rows, target)))
    expected = A if target is None else np.delete(A, int(target), axis=1)
    np.testing.assert_array_equal(got, expected)
    assert max(sizes) <= rows * shape[1]  # a block's worth, never the whole array
