"""All-or-nothing updates of a run's per-epoch records under a stop signal.

The command line's stop handler (:mod:`glassnet.cli.stops`) calls :func:`interrupt`
instead of raising :class:`KeyboardInterrupt` wherever the main thread happens to be.
Outside a section that raises at once (a signal during an epoch's steps stops the run
promptly); inside ``with WHOLE:`` (the loop state, history and callbacks moved on by an
epoch, the per-epoch hook that writes checkpoints and records diagnostics and snapshots)
it is raised when the outermost section ends, so no record is left half-updated.

A section costs two attribute updates (no system call), so the loop may enter one every
epoch. Python code that keeps Python's own Ctrl-C handler raises as ever.
"""

from __future__ import annotations

from types import TracebackType

__all__ = ["WHOLE", "Section", "interrupt"]


class Section:
    """A reentrant section during which :func:`interrupt` is held back (see above)."""

    def __init__(self) -> None:
        self.depth = 0
        self.pending = False  # an interrupt came inside the section

    def __enter__(self) -> None:
        self.depth += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.depth -= 1
        if self.depth == 0 and self.pending:
            self.pending = False
            if kind is None:  # the section ended well: the held interrupt acts now
                raise KeyboardInterrupt

    def reset(self) -> None:
        """Forget a held interrupt (a new command begins)."""
        self.pending = False


WHOLE = Section()


def interrupt() -> None:
    """Raise :class:`KeyboardInterrupt` now, or as the current :data:`WHOLE` section ends."""
    if WHOLE.depth:
        WHOLE.pending = True
        return
    raise KeyboardInterrupt
