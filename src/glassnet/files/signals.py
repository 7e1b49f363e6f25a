"""Holding back the signals that ask the process to stop while a file is written and renamed.

:func:`signals_deferred` is what :mod:`glassnet.files.fileio` writes under: a ``SIGTERM``
that arrives mid-write acts right after the rename, so no file is left half-written.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

STOP_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
    if hasattr(signal, name)
)

_pending: list[int] = []  # stop signals received inside signals_deferred, in order
_depth = [0]
_cut = [False]  # inside second_signal_cuts


def _hold(signum: int, frame: object) -> None:
    _pending.append(signum)
    if _cut[0] and len(_pending) >= 2:  # the user asked twice: stop the optional work now
        raise KeyboardInterrupt


@contextlib.contextmanager
def second_signal_cuts() -> Iterator[None]:
    """Mark work that may be given up (the report after training): inside it a second stop
    signal raises :class:`KeyboardInterrupt` at once, where one alone waits (held back by
    :func:`signals_deferred`, or ignored by the command line's handler once the first has
    come: :func:`cutting` says so)."""
    _cut[0] = True
    try:
        yield
    finally:
        _cut[0] = False


def cutting() -> bool:
    """Whether :func:`second_signal_cuts` is in place."""
    return _cut[0]


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back the stop signals (:data:`STOP_SIGNALS`) for the block; each one received
    meanwhile is raised again, to the handler that was in place, when the block ends (so a
    ``SIGTERM`` with its default action ends the process just after the write). Nests; in
    threads other than the main one (which cannot set handlers) it holds nothing back."""
    if threading.current_thread() is not threading.main_thread() or _depth[0]:
        yield  # another thread, or nested: the outer block holds them back
        return
    _depth[0] = 1
    previous = {s: signal.signal(s, _hold) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        _depth[0] = 0
        held, _pending[:] = list(_pending), []
        for s in dict.fromkeys(held):
            signal.raise_signal(s)
