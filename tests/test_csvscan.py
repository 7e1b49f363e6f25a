"""The CSV scan before pyarrow parses (``glassnet.data.csvscan``), and pyarrow's readers
closed before they are dropped (NU7 finding 1: ``glassnet evaluate`` aborted once at exit,
"terminate called without an active exception", exit code 134).

pyarrow calls (and releases) a Python ``invalid_row_handler`` on threads of its own, and
parses ahead of the reader: a file without lines of whitespace gets no handler, and a
reader that has one is read to its end when its loop ends in any way. The oracles: the
file's lines classified by ``str.strip`` (what the handler tests), and the reader itself."""

import subprocess
import sys

import numpy as np
import pytest

from glassnet.data import blocks, csvscan
from glassnet.data.encoding import strict_encoding

TEXTS = [
    "a,b\n1,2\n3,4\n",
    "a,b\n1,2\n   \n3,4\n",
    "a,b\n1,2\n\n\n3,4\n",
    "a,b\r\n1,2\r\n\r\n3,4\r\n",
    "a,b\r\n1,2\r\n \r\n3,4\r\n",
    "a,b\n1,2\n\t",
    "a,b\n1,2\n\u00a0\n",
    "a,b\n 1,2\n3 ,4",
    'a,b\n"x\n   \ny",2\n',
    "a,b\n1,2",
    "a,b\r\n1,2\r\n\r \r\n3,4\r\n",
    "a,b\n  1,2\n\t3,4 \n",
    "a,b\n1,2\n \t \n",
]


def _has_blank(text):
    """The oracle: a line (split as pyarrow splits: \\n, \\r\\n) holding only whitespace."""
    lines = text.replace("\r\n", "\n").split("\n")
    return any(line and not line.strip() for line in lines)


@pytest.mark.parametrize("chunk", [2, 5, 1 << 20])
@pytest.mark.parametrize("text", TEXTS)
def test_scan_finds_lines_of_whitespace_across_chunks(tmp_path, monkeypatch, text, chunk):
    monkeypatch.setattr(csvscan, "CHUNK", chunk)
    (tmp_path / "t.csv").write_bytes(text.encode())
    found = csvscan.scan(tmp_path / "t.csv")
    assert found.blank == _has_blank(text)
    assert found.commas == text.count(",")
    handler = csvscan.parse_options(tmp_path / "t.csv").invalid_row_handler
    assert (handler is not None) == found.blank


def test_a_file_without_blank_lines_gets_no_python_handler(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n" + "".join(f"{i},{i}\n" for i in range(50)))
    assert csvscan.parse_options(tmp_path / "t.csv").invalid_row_handler is None


@pytest.fixture
def opened(monkeypatch):
    """Every streaming reader opened, with its parse options."""
    readers = []
    real = blocks.stream_csv

    def counted(source, types, options):
        reader = real(source, types, options)
        readers.append((reader, options))
        return reader

    monkeypatch.setattr(blocks, "stream_csv", counted)
    return readers


def _ended(reader, options):
    """A reader given the Python handler has nothing left to parse (pyarrow's read-ahead,
    which calls the handler, is over); one without the handler may have."""
    if options.invalid_row_handler is None:
        return True
    with pytest.raises(StopIteration):
        reader.read_next_batch()
    return True


def _table(path, rows, blank):
    lines = ["a,b"] + [f"{i},{2 * i}" for i in range(rows)]
    if blank:
        lines.insert(rows // 2, "   ")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("blank", [False, True])
@pytest.mark.parametrize("taken", [0, 1, None])
def test_streaming_readers_end_however_the_loop_ends(tmp_path, opened, blank, taken):
    """Read to the end (None), stopped after one block, or before the first: a file with a
    line of whitespace (only it gets the Python handler) is read to its end when the
    generator closes; the rows read are the file's, the blank line skipped."""
    path = _table(tmp_path / "t.csv", 60_000, blank)  # several blocks of BLOCK_BYTES
    stream = blocks.feature_blocks(path, strict_encoding(("a", "b")))
    got = []
    for i, frame in enumerate(stream):
        if taken is not None and i >= taken:
            break
        got.append(frame.n_rows)
    stream.close()
    [(reader, options)] = opened
    assert (options.invalid_row_handler is not None) == blank
    assert _ended(reader, options)
    if taken is None:
        assert sum(got) == 60_000


@pytest.mark.parametrize("blank", [False, True])
def test_the_target_reader_ends_too(tmp_path, opened, blank):
    from glassnet.data.labelled import labelled_blocks

    path = _table(tmp_path / "t.csv", 1000, blank)
    labelled = labelled_blocks(path, strict_encoding(("a",)), "b", numeric=True)
    pairs = list(labelled.blocks)
    assert sum(len(y) for _, y in pairs) == 1000
    assert len(opened) == 2  # the target column, then the features
    assert all(_ended(reader, options) for reader, options in opened)


def test_evaluate_exits_cleanly_when_run_side_by_side(tmp_path):
    """Four ``glassnet evaluate`` processes at once, stdout to a pipe (the finding's setting):
    each exits 0 with its scores, and none aborts at exit."""
    from glassnet.cli.main import main

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) * 1e6
    rows = np.column_stack([X, y])
    lines = ["x0,x1,x2,t", *(",".join(f"{v:.6g}" for v in row) for row in rows)]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n")
    assert main(["train", "--data", str(tmp_path / "d.csv"), "--target", "t", "--epochs", "2",
                 "--progress", "off", "--out", str(tmp_path / "m.npz")]) == 0  # fmt: skip
    command = [sys.executable, "-m", "glassnet", "evaluate", "--model", str(tmp_path / "m.npz"),
               "--data", str(tmp_path / "d.csv"), "--target", "t"]  # fmt: skip
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]  # fmt: skip
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert "RMSE" in out and "terminate" not in err
