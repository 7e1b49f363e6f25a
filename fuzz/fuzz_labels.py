"""Fuzz the shortening of user text (class and column names) for figures and tables.

Run by hand (not part of the test suite)::

    pip install atheris
    python fuzz/fuzz_labels.py -atheris_runs=50000

Invariants: every shortened name fits its width on one line; distinct names stay
distinct; the confusion table's lines stay short whatever the names.
"""

import sys

import atheris
import numpy as np

with atheris.instrument_imports():
    from glassnet.views.labels import shorten_all
    from glassnet.views.metrics import confusion_table


def test_one_input(raw: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(raw)
    width = fdp.ConsumeIntInRange(4, 60)
    names = [
        fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 5000))
        for _ in range(fdp.ConsumeIntInRange(1, 6))
    ]
    names = list(dict.fromkeys(names))
    short = shorten_all(names, width)
    assert all(len(s) <= width and "\n" not in s for s in short), short
    if len({" ".join(n.split()) for n in names}) == len(names):
        assert len(set(short)) == len(short), (names, short)
    C = np.ones((len(names), len(names)), dtype=np.int64)
    table = confusion_table(C, names)
    assert max(map(len, table.splitlines())) < 80 + 17 * len(names), table


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
