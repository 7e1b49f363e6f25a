"""Dates in any common format are refused as features with one error, as ISO dates are.

The oracle is the generator: random datetimes written with ``strftime`` in a format (so
the cells are dates by construction, and the format found must read them back to the
same datetimes); numbers, version strings and words that merely look date-like are not.
"""

from datetime import datetime, timedelta

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.data.dates import date_format

WRITTEN = ["%m/%d/%Y", "%d.%m.%Y", "%b %Y", "%Y/%m/%d", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M:%S",
           "%d/%m/%Y", "%B %d, %Y", "%d-%b-%Y", "%m/%d/%y", "%Y/%m/%d %I:%M %p",
           "%d %B %Y", "%Y-%m", "%m/%d/%Y %H:%M:%S.%f"]  # fmt: skip


def _dates(rng, n, fmt, unique=False):
    start = datetime(1990, 1, 1)
    days = rng.choice(20000, n, replace=False) if unique else rng.integers(0, 40, n) * 13
    seconds = rng.integers(0, 86400, n) if "%H" in fmt or "%I" in fmt else np.zeros(n, int)
    moments = [start + timedelta(days=int(d), seconds=int(s), microseconds=int(s) * 7 % 10**6)
               for d, s in zip(days, seconds, strict=True)]  # fmt: skip
    return moments, [m.strftime(fmt) for m in moments]


@pytest.mark.parametrize("fmt", WRITTEN)
def test_the_format_found_reads_the_cells_back(rng, fmt):
    moments, cells = _dates(rng, 300, fmt, unique=True)
    found = date_format(sorted(set(cells)))
    assert found is not None
    for moment, cell in zip(moments, cells, strict=True):
        # what the written format keeps of the moment, read back by the format found
        kept = datetime.strptime(moment.strftime(fmt), fmt)
        assert datetime.strptime(cell, found) == kept


@pytest.mark.parametrize(
    "cells",
    [["2021", "2020", "1999"], ["1.5", "2.25"], ["1.2.30", "1.2.3", "10.4.12"],
     ["v1.2.2021", "v1.3.2021"], ["red", "blue"], ["A-2021", "B-2020"], ["1,234,567", "1,000"],
     ["03/15/2021", "red"], ["Room 2021", "Hall 1999"], ["2021-03-15x"], []],
)  # fmt: skip
def test_things_that_are_not_dates(cells):
    assert date_format(cells) is None


def _cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("unique", [False, True])
@pytest.mark.parametrize("fmt", ["%m/%d/%Y", "%d.%m.%Y", "%b %Y", "%Y/%m/%d", "%m/%d/%Y %H:%M",
                                 "%d.%m.%Y %H:%M:%S", "%Y-%m-%d"])  # fmt: skip
def test_cli_refuses_dates_of_every_format_the_same_way(capsys, tmp_path, rng, fmt, unique):
    n = 300
    _, cells = _dates(rng, n, fmt, unique)
    X = rng.normal(size=(n, 2))
    path = tmp_path / "d.csv"
    path.write_text("x1,when,x2,y\n" + "".join(
        f"{a},\"{c}\",{b},{'yes' if a + b > 0 else 'no'}\n"
        for (a, b), c in zip(X, cells, strict=True)))  # fmt: skip
    code, _, err = _cli(capsys, "train", "--data", path, "--target", "y", "--epochs", 1,
                        "--progress", "off", "--out", tmp_path / "m.npz")  # fmt: skip
    assert code == 1, err
    assert "column 'when' holds dates or times; leave it out with --drop when" in err
    assert "ID" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("cells", [["1.2.30", "1.2.3", "2.0.11"], ["Room 2021", "Hall 1999"]])
def test_cli_trains_on_date_like_categories(capsys, tmp_path, rng, cells):
    n = 60
    X = rng.normal(size=(n, 2))
    path = tmp_path / "d.csv"
    path.write_text("x1,v,x2,y\n" + "".join(
        f"{a},{cells[i % len(cells)]},{b},{'yes' if a + b > 0 else 'no'}\n"
        for i, (a, b) in enumerate(X)))  # fmt: skip
    code, text, err = _cli(capsys, "train", "--data", path, "--target", "y", "--epochs", 1,
                           "--progress", "off", "--out", tmp_path / "m.npz")  # fmt: skip
    assert code == 0, err
    assert "column 'v'" in text and "categories one-hot encoded" in text
