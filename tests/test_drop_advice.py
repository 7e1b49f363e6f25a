"""The option an error or warning advises for a column that cannot be a feature works when
copied as it is: it keeps the columns already left out (``--drop id`` then a date column:
``--drop id,booked``, not ``--drop booked``, which would bring ``id`` back), and where the
features were named (``--features``), it is ``--features`` without the column. Each advice
is taken from the message and run (the oracle: the run it advises succeeds)."""

from __future__ import annotations

import re
import shlex

import numpy as np
import pytest

from glassnet.cli.main import main

N = 60


def _write(tmp_path, **columns):
    path = tmp_path / "t.csv"
    names = list(columns)
    rows = [",".join(str(columns[n][i]) for n in names) for i in range(N)]
    path.write_text(",".join(names) + "\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(0)
    x = np.round(rng.normal(size=N), 3)
    return _write(
        tmp_path,
        id=[f"P{i:04d}" for i in range(N)],  # text different in every row: an ID
        x=x,
        when=[f"2024-02-{i % 28 + 1:02d}" for i in range(N)],  # dates
        note=[""] * N,  # no values at all
        code=[1000 + i for i in range(N)],  # whole numbers counting the rows: an ID
        size=np.round(rng.uniform(1, 9, N), 1),
        y=(x > 0).astype(int),
    )


def _train(capsys, tmp_path, data, *extra):
    code = main(["train", "--data", str(data), "--target", "y", "--epochs", "2",
                 "--progress", "off", "--out", str(tmp_path / "m.npz"), *extra])  # fmt: skip
    return code, capsys.readouterr().err


def _advised(err: str) -> list[str]:
    """The option the message advises, as arguments: ``--drop a,b`` or ``--features a,b``."""
    found = re.search(r"leave (?:it|them all) out with (--(?:drop|features) \S+)", err)
    assert found, err
    return shlex.split(found.group(1).rstrip(".;"))


@pytest.mark.parametrize(
    "given",
    [
        ["--drop", "id"],  # then the date
        ["--drop", "id,when"],  # then the empty column
        ["--drop", "when,note"],  # then the ID (whole numbers counting rows) and the text ID
        ["--drop", "note", "--drop", "id"],  # the last --drop counts (argparse)
    ],
)
def test_the_advised_drop_keeps_the_columns_dropped_already(capsys, tmp_path, table, given):
    code, err = _train(capsys, tmp_path, table, *given)
    assert code == 1, err
    dropped = given[-1].split(",")
    advice = _advised(err)
    assert advice[0] == "--drop" and advice[1].split(",")[: len(dropped)] == dropped, err
    while code == 1:  # follow each advice until the run trains
        code, err = _train(capsys, tmp_path, table, *advice)
        if code == 1:
            previous, advice = advice, _advised(err)
            assert set(previous[1].split(",")) < set(advice[1].split(",")), err
    assert code == 0, err


@pytest.mark.parametrize(
    ("features", "bad"),
    [("x,when,size", "when"), ("id,x", "id"), ("x,note,size", "note"), ("code,x", "code")],
)
def test_named_features_are_advised_without_the_column(capsys, tmp_path, table, features, bad):
    code, err = _train(capsys, tmp_path, table, "--features", features)
    assert code == 1, err
    advice = _advised(err)
    kept = [f for f in features.split(",") if f != bad]
    assert advice == ["--features", ",".join(kept)], err
    code, err = _train(capsys, tmp_path, table, *advice)
    assert code == 0, err


def test_the_record_number_warning_keeps_the_columns_dropped_already(capsys, tmp_path):
    rng = np.random.default_rng(1)
    x = np.round(rng.normal(size=N), 3)
    data = _write(tmp_path, id=[f"P{i:04d}" for i in range(N)], x=x,
                  n=rng.permutation(N) * 7 + 3, y=(x > 0).astype(int))  # fmt: skip
    code, err = _train(capsys, tmp_path, data, "--drop", "id")
    assert code == 0, err
    (line,) = [t for t in err.splitlines() if "different whole number" in t]
    assert line.endswith("leave it out with --drop id,n"), line
