"""The ``glassnet`` console script (and ``python -m glassnet``): :func:`glassnet.cli.main`
with every stop signal handled from the first instant. Until the command's own handling is
in place (:mod:`glassnet.cli.stops`, as it begins its work), a stop signal (``SIGINT``,
``SIGTERM``, ``SIGHUP``, ``SIGQUIT``) as Python imports the command line or reads its
arguments ends it with one line on stderr and exit code 128 + the signal's number (130,
143, 129, 131), never a traceback and never silently: nothing was done yet, so nothing is
left to save. Kept outside the package and the standard library only: importing
``glassnet`` (its ``__init__``) is itself a moment a signal may come."""

import os
import signal
import sys

STOP_NAMES = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")  # those of glassnet.files.signals


def stopped_at_start(signum: int, frame: object = None) -> None:
    """The start-up handler: one line on stderr, then exit ``128 + signum`` at once."""
    name = signal.Signals(signum).name
    try:
        sys.stderr.flush()
        os.write(2, f"glassnet: interrupted by {name} as it started; nothing was done\n".encode())
    finally:
        os._exit(128 + signum)


stopped_at_start.at_start = True  # type: ignore[attr-defined]  # (see glassnet.cli.stops)


def starting() -> None:
    """Put :func:`stopped_at_start` in place for every stop signal (main thread only)."""
    for name in STOP_NAMES:
        signum = getattr(signal, name, None)
        if signum is not None:
            signal.signal(signum, stopped_at_start)


def main() -> int:
    """Run the command line on ``sys.argv``; returns its exit code."""
    starting()
    try:
        from glassnet.cli import main as run
    except KeyboardInterrupt:  # raised by other means than a signal (a test's import hook)
        print("glassnet: interrupted by SIGINT as it started; nothing was done", file=sys.stderr)
        return 130
    return run()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
