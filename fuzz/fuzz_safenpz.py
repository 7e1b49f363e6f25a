"""Fuzz the checked .npz reader with files that lie: a valid model file, then mutations
chosen by atheris (npy headers with any dtype and shape, zip directory fields set to any
value, members added, dropped, duplicated, compressed or cut short).

Run by hand (not part of the test suite)::

    pip install atheris
    python fuzz/fuzz_safenpz.py -atheris_runs=20000

Invariants: ``load_model`` loads or raises ``ModelFileError``; it never allocates more
than the file's size plus 1 MiB (tracemalloc) whatever the file declares.
"""

import os
import sys
import tempfile
import tracemalloc

import atheris

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

with atheris.instrument_imports():
    from _hostile import base_file, npy, patch_directory, zipped

    from glassnet.files.modelfile import ModelFileError, load_model

FOLDER = tempfile.mkdtemp(prefix="glassnet-fuzz-")
PATH = os.path.join(FOLDER, "m.npz")
MEMBERS = base_file(os.path.join(FOLDER, "base.npz"), n_in=20, hidden=10)
DESCRS = ["<f8", "<f4", ">f8", "<i8", "|O", "<U5", "<c16", "|b1", "[('a', '<f4')]", "<f2"]


def mutate(fdp: atheris.FuzzedDataProvider) -> bytes:
    members = dict(MEMBERS)
    for _ in range(fdp.ConsumeIntInRange(0, 3)):
        if not members:
            break
        name = fdp.PickValueInList(sorted(members))
        kind = fdp.ConsumeIntInRange(0, 4)
        if kind == 0:
            shape = tuple(
                fdp.ConsumeIntInRange(0, 2**40) for _ in range(fdp.ConsumeIntInRange(0, 3))
            )
            members[name] = npy(fdp.PickValueInList(DESCRS), shape, fdp.ConsumeBytes(64))
        elif kind == 1:
            members[name] = members[name][: fdp.ConsumeIntInRange(0, len(members[name]))]
        elif kind == 2:
            members.pop(name)
        elif kind == 3:
            members[fdp.ConsumeUnicodeNoSurrogates(8) or "x"] = fdp.ConsumeBytes(32)
        else:
            members[name] = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 256))
    deflate = {n for n in members if fdp.ConsumeBool()} if fdp.ConsumeBool() else set()
    data = zipped(members, deflate)
    if members and fdp.ConsumeBool():
        name = fdp.PickValueInList(sorted(members))
        field = fdp.PickValueInList([20, 24, 42])
        try:
            data = patch_directory(data, name, field, fdp.ConsumeIntInRange(0, 2**32 - 1))
        except KeyError:
            pass
    return data


def test_one_input(raw: bytes) -> None:
    data = mutate(atheris.FuzzedDataProvider(raw))
    with open(PATH, "wb") as f:
        f.write(data)
    tracemalloc.start()
    try:
        load_model(PATH)
    except ModelFileError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < len(data) + 2**20, (peak, len(data))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
