"""An ID column is judged on the rows as read: rows left out because their target cell is
empty (at the start, the middle, the end, several) never turn an ID that counts the rows
into a feature; and every column that cannot be a feature (IDs, dates) is named in one
message with the one ``--drop`` that leaves them all out. The oracle is the generator: the
ID column is written as ``start + permutation(N)`` (or text ``c<i>``) over every row."""

import numpy as np
import pytest

from glassnet.cli.main import main

N = 60


def _write(tmp_path, ids, empty=(), date=False):
    rng = np.random.default_rng(4)
    lines = ["row,x" + (",day" if date else "") + ",grade"]
    for i, c in enumerate(ids):
        day = f",2024-01-{1 + i % 28:02d}" if date else ""
        lines.append(f"{c},{rng.normal():.4f}{day},{'' if i in empty else i % 3}")
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _train(capsys, tmp_path, path, *extra):
    code = main(["train", "--data", str(path), "--target", "grade", "--epochs", "1",
                 "--progress", "off", "--out", str(tmp_path / "m.npz"), *extra])  # fmt: skip
    return code, capsys.readouterr().err


EMPTY = {"none": (), "first": (0,), "middle": (10,), "last": (N - 1,),
         "several": (0, 7, 30, N - 2, N - 1)}  # fmt: skip


@pytest.mark.parametrize("where", list(EMPTY))
@pytest.mark.parametrize("ids", ["from 1", "from 0", "shuffled", "text"])
def test_an_id_stays_an_id_when_rows_without_a_target_are_left_out(capsys, tmp_path, where, ids):
    rng = np.random.default_rng(5)
    cells = {"from 1": np.arange(1, N + 1), "from 0": np.arange(N),
             "shuffled": rng.permutation(N) + 1000,
             "text": [f"c{i:03d}" for i in rng.permutation(N)]}[ids]  # fmt: skip
    code, err = _train(capsys, tmp_path, _write(tmp_path, cells, EMPTY[where]))
    assert code == 1, err
    assert f"column 'row' looks like an ID (a different value in each of its {N} rows)" in err
    assert "--drop row" in err


def test_numbers_that_do_not_count_the_rows_as_read_are_features(capsys, tmp_path):
    cells = np.arange(1, N + 1) * 7  # unique whole numbers, not counting rows: a warning only
    code, err = _train(capsys, tmp_path, _write(tmp_path, cells, (10,)))
    assert code == 0, err
    assert "looks like an ID" not in err and "'row' holds a different whole number" in err


def test_a_range_that_counts_the_labelled_rows_is_an_id_too(capsys, tmp_path):
    # 1..59 over the 59 labelled rows, the empty-target row holding 500: it counts the rows
    # trained on (though not the rows as read), so it is an ID as well.
    cells = [*range(1, 11), 500, *range(11, N)]
    code, err = _train(capsys, tmp_path, _write(tmp_path, cells, (10,)))
    assert code == 1 and "column 'row' looks like an ID" in err


@pytest.mark.parametrize("empty", [(), (3,)])
def test_every_unusable_column_is_named_in_one_message(capsys, tmp_path, empty):
    path = _write(tmp_path, np.arange(1, N + 1), empty, date=True)
    code, err = _train(capsys, tmp_path, path)
    assert code == 1, err
    (line,) = [line for line in err.splitlines() if "cannot be features" in line]
    assert "2 columns cannot be features" in line
    assert "'row' looks like an ID" in line and "'day' holds dates or times" in line
    assert line.endswith("leave them all out with --drop row,day")
    code, err = _train(capsys, tmp_path, path, "--drop", "row,day")
    assert code == 0, err


def test_one_unusable_column_keeps_its_own_message(capsys, tmp_path):
    path = _write(tmp_path, np.arange(1, N + 1), date=True)
    code, err = _train(capsys, tmp_path, path, "--drop", "row")
    assert code == 1
    assert "column 'day' holds dates or times; leave it out with --drop row,day" in err
