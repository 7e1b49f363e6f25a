"""Several target columns of a table: ``--target a,b`` names them, comma-separated.

Several targets are regression (numbers, one output each, as an ``.npz`` with a 2-D ``y``
and the estimators take them). :func:`target_names` splits the name (a column whose own
name holds the comma is one target), :func:`stacked` joins the columns read one at a time
into ``y (M, k)`` over the rows where every target has a value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from glassnet.core._types import Array
from glassnet.data.errors import UnknownColumn

SEVERAL = "several targets (--target a,b) are regression: each column must hold numbers"


class BadTargets(UnknownColumn):
    """``--target a,b`` that cannot name several targets (a name repeated or empty, a column
    of text, another order than the model's): a bad argument (exit code 2 on the command
    line), a ``ValueError`` to Python callers."""


def target_names(target: str, header: Sequence[str] = ()) -> tuple[str, ...]:
    """``'a,b'`` -> ``('a', 'b')``; ``'a'``, or a name in ``header``, -> itself alone.
    Raises :class:`BadTargets` for an empty or repeated name (``'a,'``, ``'a,a'``)."""
    if "," not in target or target in header:
        return (target,)
    names = tuple(n.strip() for n in target.split(","))
    if "" in names or len(set(names)) < len(names):
        raise BadTargets(f"--target {target!r}: name each target column once, separated by "
                        "commas (a,b)")  # fmt: skip
    return names


def stacked(where: str, names: Sequence[str], columns: Sequence[tuple[Array, Array]]) -> tuple[
    Array, Array
]:
    """``(y (M, k) float64, labelled (N,) bool)``: the targets ``columns`` (each its
    labelled cells ``(M_j,)`` and which of the N rows have one) over the rows where every
    one has a value. A column of text or true/false is :class:`BadTargets` naming it."""
    for name, (values, _) in zip(names, columns, strict=True):
        if values.dtype.kind not in "iuf":
            raise BadTargets(f"{where}: target column {name!r} does not hold numbers; {SEVERAL}")
    labelled = np.logical_and.reduce([lab for _, lab in columns])
    y = np.empty((int(labelled.sum()), len(columns)), dtype=np.float64)
    for j, (values, lab) in enumerate(columns):
        y[:, j] = values[labelled[lab]]  # this column's cells of the rows kept
    return y, labelled


def check_order(trained: Sequence[str], given: tuple[str, ...]) -> None:
    """Refuse (:class:`BadTargets`) target columns ``given`` that are the ``trained`` ones
    in another order: each output would be scored against another column."""
    if len(given) > 1 and sorted(given) == sorted(trained) and list(given) != list(trained):
        raise BadTargets(f"--target {','.join(given)}: the model was trained on the targets "
                         f"in the order {','.join(trained)}; name them in that order")  # fmt: skip


def check_named(trained: Sequence[str], features: Sequence[str], given: tuple[str, ...]) -> str:
    """Refuse (:class:`BadTargets`) a ``--target`` that names one of the model's input
    ``features`` (the network reads it: it cannot be the truth its outputs are scored
    against). Return a one-line warning where the model keeps the names of the target
    columns it was ``trained`` on and ``given`` names others ("" where they agree, or where
    the model keeps no names)."""
    inputs = [name for name in given if name in set(features)]
    if inputs:
        what = f"the target {','.join(trained)!r}" if trained else "its target"
        said = ", ".join(map(repr, inputs))
        raise BadTargets(f"--target {','.join(given)}: {said} is one of the model's input "
                         f"columns, not what it predicts; name {what}")  # fmt: skip
    if not trained or sorted(given) == sorted(trained):
        return ""
    names = ",".join(given)
    return (f"--target {names}: the model was trained to predict {','.join(trained)}; its "
            f"outputs are scored against {names} as given")  # fmt: skip
