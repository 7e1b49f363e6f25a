"""Every signal that asks ``glassnet`` to stop ends it the way Ctrl-C does.

``SIGINT``, ``SIGTERM`` (``kill``, ``timeout``, batch schedulers, ``docker stop``),
``SIGHUP`` (a closed terminal) and ``SIGQUIT`` each raise :class:`KeyboardInterrupt` (at
once, or once an epoch's records are all updated: :mod:`glassnet.train.uninterrupted`), so a
training run saves its best parameters and says where; the command then exits with
128 + the signal's number (130, 143, 129, 131). The first signal counts: later ones are
ignored while the run saves and exits, so a second Ctrl-C cannot cut the final save short
(but gives up the report, when that is what is being written:
:func:`glassnet.files.signals.second_signal_cuts`); a third restores the signal's default
action (ending the process at once).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from types import FrameType
from typing import Any

from glassnet.files.fileio import STOP_SIGNALS
from glassnet.files.signals import cutting
from glassnet.train.uninterrupted import WHOLE, interrupt

_received: list[int] = []
_active = [False]  # stop_signals is in place


def _stop(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    if len(_received) == 1:
        interrupt()  # at once, or once the epoch's records are all updated
    elif len(_received) == 2 and cutting():  # a second one while the report is written
        raise KeyboardInterrupt
    if len(_received) >= 3:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """Handle the stop signals as described above while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    WHOLE.reset()
    previous = {s: _after(s, signal.signal(s, _stop)) for s in STOP_SIGNALS}
    _active[0] = True
    try:
        yield
    finally:
        _active[0] = False
        for s, handler in previous.items():
            signal.signal(s, handler)


def _after(signum: int, handler: Any) -> Any:
    """The handler to put back after the command: the start-up one (``glassnet_entry``:
    "as it started; nothing was done") gives way to Python's default."""
    if not getattr(handler, "at_start", False):
        return handler
    return signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL


def exit_code() -> int:
    """128 + the number of the first stop signal received (Ctrl-C when none was)."""
    return 128 + (_received[0] if _received else signal.SIGINT)


def signal_name() -> str:
    """``SIGTERM``, ... : the first stop signal received (``SIGINT`` when none was)."""
    return signal.Signals(exit_code() - 128).name


def received() -> bool:
    """Whether a stop signal has come while :func:`stop_signals` is in place (one that
    came after the last epoch, as the files were written, lets the run finish writing);
    False outside it (Python code calling the library, where Ctrl-C raises as ever)."""
    return _active[0] and bool(_received)


def stop_point() -> None:
    """A point where a command that reads its data a block at a time (``predict``,
    ``evaluate``, ``report``) may stop: raises :class:`KeyboardInterrupt` when a stop signal
    has come. The handler raises it at once, but code below may swallow it (pyarrow imports
    pandas the first time a column becomes a NumPy array, inside a Cython function that
    drops any exception, so a Ctrl-C in that second was lost: NU11 #23); the signal then
    acts here, at the next block, instead of never."""
    if received():
        raise KeyboardInterrupt


def after_last_epoch(what: str, reasons: list[str]) -> str:
    """The line for a stop signal that came after the last epoch, as the files were
    written: training had ended before it, and the record says how, in its own words
    (``completed``, ``early stopping``, ...; for several members, how many ended each way),
    for example "SIGINT came after the last epoch, as the files were written: the run had
    ended before it (its record says early stopping) and every file is written".
    """
    counts = Counter(reasons)
    said = next(iter(counts)) if len(counts) == 1 and len(reasons) == 1 else ", ".join(
        f"{k} {r}" for r, k in counts.items())  # fmt: skip
    return (f"{signal_name()} came after the last epoch, as the files were written: {what} "
            f"had ended before it (its record says {said}) and every file is written")  # fmt: skip
