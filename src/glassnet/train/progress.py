"""Training progress: a bar on a terminal, one line per epoch elsewhere.

:func:`progress` returns an epoch callback for :func:`glassnet.train.loop.fit` and a
``close`` function. On a terminal it draws a tqdm bar when tqdm is installed (a plain
carriage-return line otherwise); when the output is a file or a pipe, or a terminal
without a usable size (``script`` and ``docker run -t`` can report 0x0), it prints one
line per epoch, which reads well in logs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from glassnet.train.history import EpochRecord


def loss_text(loss: float) -> str:
    """``loss`` with five significant digits at any scale (``0.69315``, ``1.2346e+11``,
    ``3.0000e-07``): the one format of every loss the console prints (a fixed number of
    decimals shows a large regression loss as a long integer and a tiny one as zero)."""
    return format(float(loss), "#.5g")


def describe(record: EpochRecord) -> str:
    """``loss 0.12340  acc 97.1%  val_loss 0.23450  val_acc 95.0%  lr 0.001``."""
    parts = [f"loss {loss_text(record.loss)}"]
    if record.accuracy is not None:
        parts.append(f"acc {record.accuracy:.1%}")
    if record.val_loss is not None:
        parts.append(f"val_loss {loss_text(record.val_loss)}")
    if record.val_accuracy is not None:
        parts.append(f"val_acc {record.val_accuracy:.1%}")
    parts.append(f"lr {record.learning_rate:.3g}")
    return "  ".join(parts)


def progress(
    epochs: int, stream: TextIO | None = None, mode: str = "auto"
) -> tuple[Callable[[EpochRecord], None], Callable[[], None]]:
    """An epoch callback that reports progress, and the function that finishes the report.

    ``mode``: ``auto`` (bar on a terminal, lines otherwise), ``bar``, ``lines`` or ``off``.
    """
    out = stream if stream is not None else sys.stderr
    if mode == "auto":
        mode = "bar" if terminal_width(out) else "lines"
    if mode == "off":
        return (lambda record: None), (lambda: None)
    if mode == "lines":
        width = len(str(epochs))

        def line(record: EpochRecord) -> None:
            print(
                f"epoch {record.epoch:>{width}}/{epochs}  {describe(record)}", file=out, flush=True
            )

        return line, lambda: None
    if mode != "bar":
        raise ValueError(f"unknown progress mode {mode!r}; expected auto, bar, lines or off")
    return _bar(epochs, out)


MIN_COLUMNS = 40  # narrower than this, a bar with its numbers does not fit


def terminal_width(out: TextIO) -> int | None:
    """The width of the terminal ``out`` writes to, or ``None`` when ``out`` is not a
    terminal or its size is unusable (0x0, or narrower than :data:`MIN_COLUMNS`)."""
    try:
        if not out.isatty():
            return None
        columns = os.get_terminal_size(out.fileno()).columns
    except (OSError, ValueError, AttributeError):  # no file descriptor, or not a terminal
        return None
    return columns if columns >= MIN_COLUMNS else None


def _bar(epochs: int, out: TextIO) -> tuple[Callable[[EpochRecord], None], Callable[[], None]]:
    try:
        from tqdm import tqdm
    except ImportError:
        tqdm = None
    # A bar asked for where the terminal's size is unknown (0x0) gets the plain 80-column
    # bar: tqdm, given no usable size, may draw nothing at all.
    if tqdm is not None and terminal_width(out):
        bar: Any = tqdm(total=epochs, file=out, unit="epoch", dynamic_ncols=True)

        def tick(record: EpochRecord) -> None:
            bar.set_postfix_str(describe(record), refresh=False)
            bar.update(record.epoch - bar.n)  # the epoch, also after --resume

        return tick, bar.close

    width = (terminal_width(out) or 80) - 1  # a line that wraps cannot be redrawn with \r

    def plain(record: EpochRecord) -> None:
        done = int(30 * record.epoch / max(epochs, 1))
        text = f"[{'#' * done}{'.' * (30 - done)}] {record.epoch}/{epochs}  {describe(record)}"
        print("\r" + text[:width], end="", file=out, flush=True)

    return plain, lambda: print(file=out)
