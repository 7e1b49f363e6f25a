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
    ``3.0000e-07``, ``11456``): the one format of every loss the console prints (a fixed
    number of decimals shows a large regression loss as a long integer and a tiny one as
    zero). A number of five integer digits has no decimal point left (``#.5g`` alone
    writes ``11456.``, which reads as a typo)."""
    return format(float(loss), "#.5g").removesuffix(".")


def fields(record: EpochRecord) -> list[str]:
    """``["loss 0.12340", "acc 97.1%", "val_loss 0.23450", "val_acc 95.0%", "lr 0.001"]``:
    the fields of an epoch's progress, those the run has."""
    parts = [f"loss {loss_text(record.loss)}"]
    if record.accuracy is not None:
        parts.append(f"acc {record.accuracy:.1%}")
    if record.val_loss is not None:
        parts.append(f"val_loss {loss_text(record.val_loss)}")
    if record.val_accuracy is not None:
        parts.append(f"val_acc {record.val_accuracy:.1%}")
    parts.append(f"lr {record.learning_rate:.3g}")
    return parts


def describe(record: EpochRecord) -> str:
    """``loss 0.12340  acc 97.1%  val_loss 0.23450  val_acc 95.0%  lr 0.001``."""
    return "  ".join(fields(record))


KEPT_FIRST = ("loss", "val_loss", "acc", "val_acc", "lr")  # on a narrow line, in this order


def fitted(record: EpochRecord, width: int) -> str:
    """:func:`describe` in at most ``width`` characters: on a narrow terminal whole fields
    are left out (``lr`` first, then ``val_acc``, ``acc``, ``val_loss``; ``""`` when not
    even the loss fits), so that a number is shown in full or not at all, never cut."""
    parts = fields(record)
    names = [part.partition(" ")[0] for part in parts]
    kept: set[str] = set()
    for name in sorted(names, key=KEPT_FIRST.index):
        text = "  ".join(p for p, n in zip(parts, names, strict=True) if n in kept | {name})
        if len(text) > width:
            break
        kept.add(name)
    return "  ".join(p for p, n in zip(parts, names, strict=True) if n in kept)


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


def _rows(out: TextIO) -> int:
    try:
        return os.get_terminal_size(out.fileno()).lines
    except (OSError, ValueError, AttributeError):
        return 0


MIN_BAR = 10  # the bar's own width, at least, before the fields have their room


def _bar(epochs: int, out: TextIO) -> tuple[Callable[[EpochRecord], None], Callable[[], None]]:
    try:
        from tqdm import tqdm
    except ImportError:
        tqdm = None
    # A bar asked for where the terminal's size is unknown (0x0) gets the plain 80-column
    # bar: tqdm, given no usable size (0 rows too), draws nothing at all.
    if tqdm is not None and terminal_width(out) and _rows(out):
        bar = _fitting_tqdm(tqdm)(total=epochs, file=out, unit="epoch", dynamic_ncols=True)

        def tick(record: EpochRecord) -> None:
            bar.record = record  # the fields are fitted to the width as the bar is drawn
            bar.update(record.epoch - bar.n)  # the epoch, also after --resume

        return tick, bar.close

    width = (terminal_width(out) or 80) - 1  # a line that wraps cannot be redrawn with \r

    def plain(record: EpochRecord) -> None:
        count = f"{record.epoch}/{epochs}"
        text = fitted(record, width - len(f"[] {count}  ") - MIN_BAR)
        room = width - len(f"[] {count}") - (len(text) + 2 if text else 0)
        size = max(1, min(30, room))
        done = int(size * record.epoch / max(epochs, 1))
        line = f"[{'#' * done}{'.' * (size - done)}] {count}" + (f"  {text}" if text else "")
        print("\r" + line.ljust(width), end="", file=out, flush=True)  # over all of the last

    return plain, lambda: print(file=out)


COMPACT = "{l_bar}{bar}| {n_fmt}/{total_fmt}{postfix}"  # tqdm's bar without the times


def _fitting_tqdm(tqdm: Any) -> Any:
    """tqdm's bar whose fields (:func:`fitted`) are fitted to the terminal's width each time
    it is drawn: tqdm cuts a line that is too long at the edge, mid-number. Where even its
    times and rate do not fit (a narrow terminal, a long run), it leaves those out."""
    from tqdm.utils import disp_len

    class Bar(tqdm):
        record: EpochRecord | None = None

        @property
        def format_dict(self) -> dict[str, Any]:
            shown = dict(super().format_dict)
            if self.record is None:
                return shown
            columns = shown.get("ncols")
            if not columns:
                shown["postfix"] = describe(self.record)
                return shown
            for layout in (shown["bar_format"], COMPACT):  # tqdm's, or one that fits
                bare = {**shown, "bar_format": layout, "postfix": None, "ncols": None}
                rest = disp_len(self.format_meter(**bare)) - 10  # without ncols: a 10-wide bar
                if rest + MIN_BAR <= columns:
                    break
            room = columns - rest - len(", ") - MIN_BAR
            shown.update(bar_format=layout, postfix=fitted(self.record, room) or None)
            return shown

    return Bar
