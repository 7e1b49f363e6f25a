"""What a training run reads from its targets: the task (classification or regression) and
why, and the targets as the network trains on them (a classifier's labels and class codes,
or numbers), with one-line warnings on a close call and on look-alike labels."""

from __future__ import annotations

import sys
from typing import Literal

from glassnet.cli.checks import NotApplicable
from glassnet.cli.recipe import Recipe
from glassnet.core._types import Array
from glassnet.core.validation import check_class_labels
from glassnet.data.columns import CLASSES_HINT, numeric_targets
from glassnet.data.tables import DataError, encode_labels
from glassnet.data.task import MAX_CODES, choose_task
from glassnet.data.written_labels import same_numbers


def max_classes(n: int) -> int:
    """The most classes read from class codes ``0..K-1`` or ``1..K`` in ``n`` rows:
    ``min(100, n // 2)`` (:mod:`glassnet.data.task` states the whole rule)."""
    return min(MAX_CODES, n // 2)


def task_reason(y: Array) -> tuple[Literal["classification", "regression"], str]:
    """The task for targets ``y`` and why, in words (:func:`glassnet.data.task.choose_task`:
    text, true/false, class codes ``0..K-1`` or ``1..K`` and a few labels are classes; other
    numbers, and several target columns, are regression)."""
    return choose_task(y)[:2]


def infer_task(y: Array) -> Literal["classification", "regression"]:
    """``task_reason(y)[0]``: the task the targets suggest."""
    return task_reason(y)[0]


def settle_task(y: Array, recipe: Recipe) -> tuple[Literal["classification", "regression"], str]:
    """The run's task and why: ``--task`` as asked, else the task the data's source settles
    (``recipe.known_task``: a built-in data set is classification whatever its size), else
    the one the targets suggest (:func:`task_reason`, warning on a close call)."""
    known = recipe.known_task
    if recipe.task != "auto":
        if known is not None and known[0] != recipe.task:
            return recipe.task, f"as asked, though {known[1]}"
        return recipe.task, "as asked"
    if known is not None:
        return known
    warn_close_task(y)
    return task_reason(y)


def warn_close_task(y: Array) -> None:
    """``warning: ...`` (one line on stderr) when the inferred task was a close call."""
    choice = choose_task(y)
    if choice.close:
        other = "regression" if choice.task == "classification" else "classification"
        print(f"warning: the task was a close call ({choice.task}: {choice.reason}); "
              f"pass --task {other} if the target is "
              f"{'a quantity' if other == 'regression' else 'class labels'}",
              file=sys.stderr)  # fmt: skip


def similar_labels(classes: Array) -> list[list[str]]:
    """Groups of text labels that differ only by surrounding whitespace or letter case
    (``'benign'``, ``'benign '``, ``'BENIGN'``): each is a class of its own."""
    groups: dict[str, list[str]] = {}
    for c in classes.tolist():
        if isinstance(c, str):
            groups.setdefault(c.strip().casefold(), []).append(c)
    return [g for g in groups.values() if len(g) > 1]


def warn_similar_labels(classes: Array) -> None:
    """``warning: ...`` (one line on stderr) when labels differ only by surrounding
    whitespace or letter case, and one when they read as the same number (``'007'``,
    ``'7'``): each is a class of its own."""
    groups = similar_labels(classes)
    if groups:
        shown = "; ".join(" vs ".join(map(repr, g)) for g in groups[:5])
        print(f"warning: labels that differ only by surrounding spaces or letter case are "
              f"separate classes: {shown} (clean the target column if they mean the same)",
              file=sys.stderr)  # fmt: skip
    twins = same_numbers(classes)
    if twins:  # kept as written (glassnet.data.written_labels), not merged
        shown = "; ".join(" vs ".join(map(repr, g)) for g in twins[:5])
        print(f"warning: labels that read as the same number are separate classes, as "
              f"written: {shown} (clean the target column if they mean the same)",
              file=sys.stderr)  # fmt: skip


def target_codes(y: Array, task: str, asked: bool) -> tuple[Array | None, Array]:
    """``(classes, codes)``: a classifier's labels and class codes, or ``(None, y)`` as
    numbers. Targets that cannot serve the task raise ``DataError``; when the task was asked
    for (``--task``), :class:`~glassnet.cli.checks.NotApplicable`."""
    try:
        if task == "classification":
            check_class_labels(y)
            return encode_labels(y)
        return None, numeric_targets(y, "the target", CLASSES_HINT)
    except DataError as exc:
        if asked:
            raise NotApplicable(f"--task {task}: {exc}") from None
        raise
