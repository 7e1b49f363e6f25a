"""A closed standard output stops the printing, never the work.

``glassnet train ... | head -1`` closes the pipe after one line; the run must still write
its model, history, figures and report. While a command runs, :func:`guarded_output`
puts a :class:`PipeGuard` in front of ``sys.stdout`` and ``sys.stderr``: the first write
or flush that meets a closed pipe (``BrokenPipeError``, EPIPE) points the output at
devnull and is remembered, so every later print is dropped silently and the command goes
on. :func:`glassnet.cli.main.main`
then exits with 141 (128 + SIGPIPE), as a shell tool killed by the closed pipe would.
Any other failed write (``> /dev/full``: no space left on device) stops the printing the
same way (``PipeGuard.failed``); the command's work goes on, and
:func:`glassnet.cli.main.main` then names standard output in one line, exit code 1.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO


class PipeGuard:
    """A text stream in front of ``stream`` that survives its reader going away.

    Attributes
    ----------
    closed_pipe : bool
        True once a write or flush met a closed pipe; nothing more is written after that.
    failed : OSError or None
        The error of a write or flush that failed otherwise (``ENOSPC``, ``EIO``); nothing
        more is written after that either.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_pipe = False
        self.failed: OSError | None = None

    @property
    def stopped(self) -> bool:
        """True once nothing more is written (a closed pipe or a failed write)."""
        return self.closed_pipe or self.failed is not None

    def write(self, text: str) -> int:
        if not self.stopped:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._close()
            except OSError as exc:
                self._fail(exc)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.stopped:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._close()
            except OSError as exc:
                self._fail(exc)

    def _fail(self, exc: OSError) -> None:
        self.failed = exc
        self._to_devnull()

    def _close(self) -> None:
        self.closed_pipe = True
        self._to_devnull()

    def _to_devnull(self) -> None:
        """Point the file descriptor at devnull so that the interpreter's own flush at exit
        raises nothing more (what the stream still buffers goes there)."""
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # a replaced stream (tests) has no fd
            pass

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, buffer, ...
        return getattr(self._stream, name)


class Guards:
    """The guards of standard output and standard error while a command runs."""

    def __init__(self, stdout: PipeGuard, stderr: PipeGuard) -> None:
        self.stdout, self.stderr = stdout, stderr

    @property
    def closed_pipe(self) -> bool:
        """True when the reader of either stream went away."""
        return self.stdout.closed_pipe or self.stderr.closed_pipe


@contextlib.contextmanager
def guarded_output() -> Iterator[Guards]:
    """Run the block with ``sys.stdout`` and ``sys.stderr`` behind a :class:`PipeGuard`
    each (``train ... 2>&1 | head`` closes both); restore them after."""
    original_out, original_err = sys.stdout, sys.stderr
    guards = Guards(PipeGuard(original_out), PipeGuard(original_err))
    sys.stdout, sys.stderr = guards.stdout, guards.stderr
    try:
        yield guards
    finally:
        if sys.stdout is guards.stdout:
            sys.stdout = original_out
        if sys.stderr is guards.stderr:
            sys.stderr = original_err
        guards.stdout.flush()
        guards.stderr.flush()
