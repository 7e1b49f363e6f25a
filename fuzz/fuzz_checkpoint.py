"""Fuzz the checkpoint reader: any bytes give a loop state or a CheckpointError.

Run by hand (not part of the test suite)::

    pip install atheris
    python fuzz/fuzz_checkpoint.py -atheris_runs=20000 [corpus_dir]
"""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from glassnet.files.checkpoint import CheckpointError, load_checkpoint

PATH = os.path.join(tempfile.mkdtemp(prefix="glassnet-fuzz-"), "c.npz")


def test_one_input(data: bytes) -> None:
    with open(PATH, "wb") as f:
        f.write(data)
    try:
        load_checkpoint(PATH, "any")
    except CheckpointError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
