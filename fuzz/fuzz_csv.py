"""Fuzz the CSV reader with atheris: any bytes give a table or a DataError.

Run by hand (not part of the test suite)::

    pip install atheris
    python fuzz/fuzz_csv.py -atheris_runs=20000 [corpus_dir]
"""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from glassnet.data.tables import DataError, load_table

PATH = os.path.join(tempfile.mkdtemp(prefix="glassnet-fuzz-"), "d.csv")


def test_one_input(data: bytes) -> None:
    with open(PATH, "wb") as f:
        f.write(data)
    try:
        load_table(PATH, "target")
    except DataError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
