"""One line counting a table's cells that prediction encodes otherwise than training saw
them, per column: categories training never saw, and missing cells filled in columns that
had none in training. What ``glassnet predict`` prints on stderr, and
:meth:`glassnet.Model.predict` gives as an :class:`UnseenCategoryWarning` or a
:class:`FilledCellWarning`.
"""

from __future__ import annotations

import sys
import warnings

from glassnet.core.wording import counted, noun

UNSEEN = "holds categories unseen in training, encoded as all zeros"
FILLED = (
    "filled (numbers with the training median, categories as all zeros) in columns that had "
    "none in training"
)


class UnseenCategoryWarning(UserWarning):
    """Cells of a table given to :meth:`glassnet.Model.predict` (or ``predict_proba``,
    ``outputs``) hold categories the model never saw in training; they encode as all zeros
    (no category's column set). The message counts them per column."""


class FilledCellWarning(UserWarning):
    """Missing cells of a table given to :meth:`glassnet.Model.predict` with
    ``impute=True`` were filled in columns that had no missing cell in training (the model
    never saw one missing there: a number gets the training median, a category all zeros).
    The message counts them per column."""


def cells_line(counts: dict[str, int], cell: str, what: str) -> str:
    """``"N <cell>s <what> (column count, ...)"``: ``counts`` maps a column to its cells;
    ``what`` starts with its verb, ``holds`` agreeing with the total (``1 cell holds``,
    ``4 cells hold``). Example: ``4 cells hold categories unseen in training, encoded as
    all zeros (clinic 4)``."""
    parts = ", ".join(f"{name} {count}" for name, count in counts.items())
    total = sum(counts.values())
    verb, rest = what.split(" ", 1)
    verb = noun(total, verb) if verb == "holds" else verb
    return f"{counted(total, cell)} {verb} {rest} ({parts})"


def warn_unseen(unseen: dict[str, int]) -> None:
    """One :class:`UnseenCategoryWarning` counting the cells of categories unseen in
    training per column (none when ``unseen`` is empty), attributed to the first caller
    outside the module that called this function (the user's ``model.predict(df)`` line)."""
    _warn(unseen, "cell", UNSEEN, UnseenCategoryWarning)


def warn_filled(filled: dict[str, int]) -> None:
    """One :class:`FilledCellWarning` counting the missing cells filled in columns that had
    none in training, per column (none when ``filled`` is empty); attributed as
    :func:`warn_unseen`'s."""
    _warn(filled, "missing cell", FILLED, FilledCellWarning)


def warn_off(counts: dict[str, int]) -> None:
    """One :class:`~glassnet.data.constant_columns.ConstantColumnWarning` counting, per
    column, the cells that differ from the one value the column held in every training row
    (none when ``counts`` is empty); attributed as :func:`warn_unseen`'s."""
    from glassnet.data.constant_columns import OFF, ConstantColumnWarning

    _warn(counts, "cell", OFF, ConstantColumnWarning)


def _warn(counts: dict[str, int], cell: str, what: str, kind: type[UserWarning]) -> None:
    if not counts:
        return
    here = sys._getframe(2)  # the function that called warn_unseen or warn_filled
    level, frame = 4, here.f_back  # 1: _warn, 2: warn_*, 3: here, 4: here's caller
    while frame is not None and frame.f_code.co_filename == here.f_code.co_filename:
        level, frame = level + 1, frame.f_back
    warnings.warn(cells_line(counts, cell, what), kind, stacklevel=level)
