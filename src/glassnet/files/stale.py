"""Sweeping the temporary files that earlier writes left behind.

A write puts its bytes in ``.NAME.PID.XXXXXXXX.tmp`` beside the destination
(:mod:`glassnet.files.fileio`). A process killed by a signal it cannot see (``SIGKILL``,
the out-of-memory killer) leaves that file; the next write to the same destination removes
it once its owner (the ``PID`` in its name) is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path


def sweep_stale(path: Path) -> list[Path]:
    """Remove the temporary files of earlier writes to ``path`` whose process is gone."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[a-z0-9_]{{8}}\.tmp(\.\w+)?")
    swept: list[Path] = []
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return swept
    for p in candidates:
        match = pattern.fullmatch(p.name)
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                p.unlink()
                swept.append(p)
    return swept


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # another user's process, or a platform that cannot tell
    return True
