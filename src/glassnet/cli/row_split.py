"""The rows a training run holds out, and what is left to train on.

:func:`split_rows` splits off the test rows (``--test-fraction``), then the validation rows
(``--val-fraction``); a fraction is of all ``n`` rows, not of those left, so
``--test-fraction 0.5 --val-fraction 0.5`` holds out 284 + 284 of 569 rows. When the
rows held out by one option outnumber the training rows left, one warning line says so
(for a fraction and for a count alike); a split that leaves a single training row is
refused by :func:`check_left` (:class:`~glassnet.cli.checks.NotApplicable`, exit code
2). :func:`check_classes` refuses training rows of a single class where the data hold
more, and names the classes the training rows lack.
"""

from __future__ import annotations

import sys

import numpy as np

from glassnet.cli.recipe import Recipe
from glassnet.cli.usage import NotApplicable
from glassnet.core._types import Array
from glassnet.core.wording import counted, noun
from glassnet.data.tables import split_indices

__all__ = ["check_classes", "check_left", "split_rows"]

_OPTION = {"test": "--test-fraction", "validation": "--val-fraction"}


def split_rows(
    n: int, recipe: Recipe, rng: np.random.Generator, stratify: Array | None
) -> dict[str, Array]:
    """Row indices of the test, validation and train splits (fractions are of all ``n``).

    Raises :class:`NotApplicable` when a split leaves no training row (:func:`check_left`
    refuses a single one, once the data are read without error)."""
    rows: dict[str, Array] = {}
    rest = np.arange(n)
    for name, size in (("test", recipe.test_size), ("validation", recipe.val_size)):
        if not size:
            continue
        count = int(size) if size >= 1 else max(1, round(size * n))  # fractions: of all n
        try:
            keep, held = split_indices(
                len(rest), count, rng, None if stratify is None else stratify[rest]
            )
        except ValueError:
            raise NotApplicable(
                f"{_OPTION[name]}: cannot split off a {name} set of {count} from the "
                f"{len(rest)} remaining samples: at least one must be left for training"
            ) from None
        rows[name], rest = rest[held], rest[keep]
    rows["train"] = rest
    return {k: rows[k] for k in ("train", "validation", "test") if k in rows}


def _held(name: str, size: float | int, count: int, n: int) -> str:
    """How ``count`` rows came to be held out as ``name`` rows, in words."""
    if size >= 1:
        return f"{count} of {counted(n, 'row')} held out as {name} rows (a count, not a fraction)"
    return (f"{_OPTION[name]} {size:g} holds out {count} of {counted(n, 'row')} as {name} "
            f"rows (a fraction of all {n}, not of the rows left)")  # fmt: skip


def check_left(recipe: Recipe, rows: dict[str, Array]) -> None:
    """Refuse a single training row in ``rows`` (from :func:`split_rows`); warn (one line)
    when a held-out set outnumbers the training rows."""
    n, left = sum(len(r) for r in rows.values()), len(rows["train"])
    given = {"test": recipe.test_size, "validation": recipe.val_size}
    sizes = {k: given[k] or 0 for k in ("test", "validation") if k in rows}
    counts = {k: len(rows[k]) for k in sizes}
    many = [_held(k, sizes[k], counts[k], n) for k in sizes if counts[k] > left]
    if left < 2:
        every = [_held(k, sizes[k], counts[k], n) for k in sizes]
        raise NotApplicable(
            f"{'; '.join(every)}: {left} left for training, and training needs at least 2; "
            "give smaller fractions or counts (0 holds out none)"
        )
    if many:
        print(f"warning: {'; '.join(many)}: {left} left for training", file=sys.stderr)


def check_classes(classes: Array, codes: Array, train: Array) -> None:
    """Refuse training rows of one class where the data hold more; warn (one line),
    naming them, when the training rows lack some of the data's classes.

    ``classes (C,)`` the labels, ``codes (N,)`` each row's class code, ``train`` the
    training rows' indices."""
    present = set(np.unique(codes[train]).tolist())
    missing = [_label(classes[c]) for c in range(len(classes)) if c not in present]
    if not missing:
        return
    shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" * (len(missing) > 10))
    if len(present) < 2:
        raise NotApplicable(
            f"the {len(train)} training rows hold only the class "
            f"{_label(classes[min(present)])}, none of {shown}: a classifier needs training "
            "rows of at least 2 classes; hold out fewer rows"
        )
    one = len(missing) == 1
    print(f"warning: no training row holds the {noun(len(missing), 'class')} {shown} (all "
          f"{'its' if one else 'their'} rows are held out): the model has an output for "
          f"{'it' if one else 'each'} but never learns {'it' if one else 'them'}",
          file=sys.stderr)  # fmt: skip


def _label(c: object) -> str:
    """A class label as the user wrote it, quoted: ``'B'``, ``3``."""
    return repr(c.item() if isinstance(c, np.generic) else c)
