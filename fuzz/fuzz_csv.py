"""Fuzz the CSV reader with atheris: any bytes give encoded features or a DataError.

Run by hand (not part of the test suite)::

    pip install atheris
    python fuzz/fuzz_csv.py -atheris_runs=20000 [corpus_dir]
"""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from glassnet.data.encoding import fit_encoding
    from glassnet.data.tables import DataError, load_table

PATH = os.path.join(tempfile.mkdtemp(prefix="glassnet-fuzz-"), "d.csv")


def test_one_input(data: bytes) -> None:
    with open(PATH, "wb") as f:
        f.write(data)
    try:
        table = load_table(PATH, "target")
        fit_encoding(table.frame).transform(table.frame)
    except DataError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
