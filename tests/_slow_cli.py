"""Run ``glassnet`` with every file write announced on stderr and slowed down.

``python tests/_slow_cli.py ARGS...`` runs ``glassnet ARGS...``; each ``os.fsync`` (the
moment a finished temporary file is flushed, before its rename) first prints
``WRITING <temporary file name>`` and sleeps ``GLASSNET_TEST_WRITE_S`` seconds (default
0.5), so a test can send a signal while a checkpoint or the model is being written.
Linux only (the name comes from /proc/self/fd).
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

from glassnet.cli.main import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
