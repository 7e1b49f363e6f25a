"""Fuzz the model loader with atheris: any bytes give a model or a ModelFileError.

Run by hand (not part of the test suite)::

    pip install atheris
    python fuzz/fuzz_modelfile.py -atheris_runs=20000 [corpus_dir]

A crash (any other exception) stops the run and prints the input that caused it.
"""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from glassnet.files.modelfile import ModelFileError, load_model

PATH = os.path.join(tempfile.mkdtemp(prefix="glassnet-fuzz-"), "m.npz")


def test_one_input(data: bytes) -> None:
    with open(PATH, "wb") as f:
        f.write(data)
    try:
        load_model(PATH)
    except ModelFileError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
