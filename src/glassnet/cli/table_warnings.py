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



def warn_constant_columns(
    constants: dict[int, float], names: tuple[str, ...], encoding: Any, frame: Frame | None
) -> None:
    """One ``warning: ...`` line on stderr naming the columns that hold one value in every
    training row (``constants``: feature index -> value) and the option that leaves them
    out: the network learns nothing from them, and their weights never train (standardized,
    they are 0 in every row), so another value there at prediction goes through weights as
    initialized; ``predict`` counts such cells (NU11 #21)."""
    if not constants:
        return
    found = {_column_of(j, names, encoding): v for j, v in sorted(constants.items())}
    columns = list(found)
    if len(columns) == 1:
        (name, value), = found.items()
        kind = "numeric" if encoding is None else next(
            c.kind for c in encoding.columns if c.name == name)  # fmt: skip
        said = f"column {name!r} holds one value" + (f" ({value:g})" if kind == "numeric" else "")
        its, it = "its", "it"
    else:
        said = f"columns {', '.join(map(repr, columns))} hold one value each"
        its, it = "their", "them"
    how = f"; leave {it} out with {frame.leave_out(*columns)}" if frame is not None else ""
    print(f"warning: {said} in every training row: nothing to learn from, and {its} weights "
          "never train, so another value there at prediction goes through weights as "
          f"initialized{how}", file=sys.stderr)  # fmt: skip


def _column_of(j: int, names: tuple[str, ...], encoding: Any) -> str:
    """The table column of feature ``j`` (its own name without an encoding)."""
    if encoding is not None:
        start = 0
        for column in encoding.columns:
            start += len(column.feature_names())
            if j < start:
                return str(column.name)
    return names[j] if j < len(names) else f"x{j}"
