"""Warning lines of ``glassnet train`` about the table's cells: those of the held-out
rows that the encoding fitted on the training rows fills or never saw, and whole numbers
that may be record numbers."""

from __future__ import annotations

import sys
from typing import Any

from glassnet.data.frames import Frame


def warn_held_out_cells(encoded: Any) -> None:
    """``warning: ...`` lines for cells of the validation and test rows that the encoding,
    fitted on the training rows, never saw, counted as ``predict`` counts them in new rows
    (:func:`glassnet.cli.model_data.features_for`): missing cells in columns whose training
    rows had none (filled with the median, or all zeros for a category column), and
    categories of no training row. Missing cells of a column whose training rows had some
    are filled as those were (the median with its was-missing column, or the ``(missing)``
    category), as the summary says, and are not counted again."""
    for counts, what in (
        (encoded.filled, "missing cells of validation/test rows filled (numbers with the "
                         "training rows' median, categories as all zeros) in columns whose "
                         "training rows had none"),
        (encoded.unseen, "cells of validation/test rows hold categories of no training row, "
                         "encoded as all zeros"),
    ):  # fmt: skip
        if counts:
            parts = ", ".join(f"{name} {count}" for name, count in counts.items())
            print(f"warning: {sum(counts.values())} {what} ({parts})", file=sys.stderr)


def warn_record_numbers(frame: Frame, names: list[str]) -> None:
    """``warning: ...`` (one line on stderr per column) for whole numbers different in every
    row: used as numbers, but they may be record numbers."""
    from glassnet.data.kinds import record_numbers

    for name in record_numbers(frame, names):
        print(
            f"warning: column {name!r} holds a different whole number in each row, used as "
            f"a number; if it is an ID, leave it out with {frame.leave_out(name)}",
            file=sys.stderr,
        )
