"""Run ``glassnet`` with every file write announced on stderr and slowed down.

``python tests/_slow_cli.py ARGS...`` runs ``glassnet ARGS...``; each ``os.fsync`` (the
moment a finished temporary file is flushed, before its rename) first prints
``WRITING <temporary file name>`` and sleeps ``GLASSNET_TEST_WRITE_S`` seconds (default
0.5), so a test can send a signal while a checkpoint or the model is being written.
Linux only (the name comes from /proc/self/fd).

With ``GLASSNET_TEST_MEMBER_MARKS`` set, a population's training (``train --ensemble``)
prints ``MEMBERS START`` when a group of members begins (then sleeps that many seconds,
before any epoch ends) and ``MEMBERS EPOCH <n>`` after each epoch it records, so a test can
send a signal before the first epoch ends or after a given one.

With ``GLASSNET_TEST_READ_MARK`` set, reading a built-in ``--dataset`` prints ``READING
DATA`` and then sleeps that many seconds, so a test can send a signal while the data is read.
"""

import os
import sys
import time

_fsync = os.fsync


def fsync(fd: int) -> None:
    name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    print(f"WRITING {name}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get("GLASSNET_TEST_WRITE_S", "0.5")))
    _fsync(fd)


os.fsync = fsync

if os.environ.get("GLASSNET_TEST_MEMBER_MARKS"):
    from glassnet.train.tracker import Tracker

    _init, _epoch_end = Tracker.__init__, Tracker.epoch_end

    def marked_init(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        print("MEMBERS START", file=sys.stderr, flush=True)
        time.sleep(float(os.environ["GLASSNET_TEST_MEMBER_MARKS"]))

    def marked_epoch_end(self, epoch, *args, **kwargs):
        watched = _epoch_end(self, epoch, *args, **kwargs)
        print(f"MEMBERS EPOCH {epoch}", file=sys.stderr, flush=True)
        return watched

    Tracker.__init__, Tracker.epoch_end = marked_init, marked_epoch_end

if os.environ.get("GLASSNET_TEST_READ_MARK"):
    from glassnet.data import datasets

    _load = datasets.load_dataset

    def marked_load(*args, **kwargs):
        print("READING DATA", file=sys.stderr, flush=True)
        time.sleep(float(os.environ["GLASSNET_TEST_READ_MARK"]))
        return _load(*args, **kwargs)

    datasets.load_dataset = marked_load

from glassnet.cli.main import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
