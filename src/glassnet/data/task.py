"""Which task a target column suggests, and why, in words (:func:`task_reason`).

Whole numbers are the hard case: ``0, 1, 2`` may be class codes or a count, ``42`` an age or
a label. The rule weighs what tells them apart in practice (scikit-learn's
``type_of_target`` counts distinct values only, and so reads any rounded quantity as
classes):

* **class codes**: the values run over most of ``0..K-1`` or ``1..K`` (at most a fifth of
  that range absent), with ``K <=`` :data:`MAX_CODES`, at least 2 rows per value on
  average, and the largest value not a *thin tail*: held by 2 rows or more and by at least
  a tenth of the average rows per value (two values, ``0, 1``, are codes however rare one
  is). A rounded quantity rarely starts at 0 or 1 and fills its range; a count (``0..10``
  visits) does, but its largest values thin out to a row or a few.
* **a few labels**: at most :data:`FEW_LABELS` distinct values, each held by at least 2
  rows, neither the smallest nor the largest a thin tail (more than two values), and
  either small (``|v| <= 1000``) or evenly spaced (``10, 20, 30``). The tails of a rounded
  quantity thin out to rare values and single rows.

Anything else that is numeric is a quantity: regression. Text and true/false targets are
classes, but labels written as numbers (``'007'``, ``'7'``, kept as written by
:mod:`glassnet.data.written_labels`) are judged by their numbers (their classes are the
labels as written); several target columns are regression. A choice is *close* (the CLI
warns, naming ``--task``) when classes were chosen with more than 20 of them, with fewer than 5
rows per class on average, or with a class held by fewer than 2 rows or 1% of the rows; or
when regression was chosen for at most 20 distinct whole numbers.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from glassnet.core._types import Array
from glassnet.core.wording import counted

Task = Literal["classification", "regression"]

MAX_CODES = 100  # the most classes read from codes 0..K-1 or 1..K
FEW_LABELS = 10  # the most classes read from arbitrary whole-number labels
SMALL = 1000.0  # labels at most this large need not be evenly spaced
MANY = 20  # beyond this many classes, or at most this many quantities: a close call


class TaskChoice(NamedTuple):
    task: Task
    reason: str  # why, in words
    close: bool  # a near call: the summary warns and names --task


def choose_task(y: Array) -> TaskChoice:
    """The task for targets ``y`` ((N,) or (N, K)), why, and whether it was a close call
    (the rule is in this module's docstring)."""
    y = np.asarray(y)
    if y.ndim != 1:
        return TaskChoice("regression", f"the target has {counted(y.shape[1], 'column')}", False)
    numbers = _numbers(y) if y.dtype.kind in "USO" else None
    if numbers is not None:  # '007', '7': judged as numbers
        choice = choose_task(numbers)
        if choice.task == "regression":
            return choice._replace(reason=f"numbers written as text, {choice.reason}")
        return choice._replace(reason="the target holds class names written as numbers")
    if y.dtype.kind in "USOb":
        return TaskChoice("classification", "the target holds class names", False)
    if not (y.dtype.kind in "iu" or bool(np.all(np.mod(y, 1) == 0))):
        return TaskChoice("regression", "the target holds fractional numbers", False)
    values, counts = np.unique(y, return_counts=True)
    k, n = len(values), len(y)
    what = f"{k} distinct whole numbers in {n} rows"
    if _codes(values, counts, n):
        lo = int(values[0])
        reason = f"{what}: class codes {lo}..{int(values[-1])}"
        return TaskChoice("classification", reason, _close_classes(k, n, counts))
    if _labels(values, counts, n):
        reason = f"{what}: a few labels, each in at least 2 rows"
        return TaskChoice("classification", reason, _close_classes(k, n, counts))
    return TaskChoice("regression", f"{what}: {_why_quantity(values, counts, n)}", k <= MANY)


def _numbers(y: Array) -> Array | None:
    """Text labels ``y (N,)`` as numbers when every one reads as a number, else None."""
    uniques, inverse = np.unique(y.astype(str), return_inverse=True)
    try:
        values = np.array([float(u) for u in uniques.tolist()], dtype=np.float64)
    except ValueError:
        return None
    return values[inverse.reshape(-1)] if len(values) else None


def task_reason(y: Array) -> tuple[Task, str]:
    """``(task, reason)`` of :func:`choose_task`."""
    choice = choose_task(y)
    return choice.task, choice.reason


def _run(values: Array) -> bool:
    """Whether ``values`` (sorted, distinct) run over most of ``0..K-1`` or ``1..K`` (at
    most a fifth absent), K <= MAX_CODES."""
    lo, hi, k = float(values[0]), float(values[-1]), len(values)
    return lo in (0.0, 1.0) and hi - lo + 1 <= MAX_CODES and k >= 0.8 * (hi - lo + 1)


def _codes(values: Array, counts: Array, n: int) -> bool:
    """Most of ``0..K-1`` or ``1..K``, K <= MAX_CODES, at least 2 rows per value on
    average, and (more than two values) the largest not a thin tail."""
    k = len(values)
    return _run(values) and n >= 2 * k and (k == 2 or not _thin(int(counts[-1]), n, k))


def _thin(count: int, n: int, k: int) -> bool:
    """Whether a value held by ``count`` of ``n`` rows (``k`` values) is a quantity's thin
    tail: a single row, or under a tenth of the rows per value on average."""
    return count < max(2.0, n / (10 * k))


def _labels(values: Array, counts: Array, n: int) -> bool:
    """At most FEW_LABELS values, each in 2 rows or more, neither end a thin tail, small or
    evenly spaced."""
    k = len(values)
    if k > FEW_LABELS or counts.min() < 2 or _thin_ends(counts, n):
        return False
    v = values.astype(np.float64)
    steps = np.diff(v)
    even = len(steps) == 0 or bool(np.all(steps == steps[0]))
    return even or float(np.max(np.abs(v))) <= SMALL


def _thin_ends(counts: Array, n: int) -> bool:
    """More than two values, the smallest or the largest a thin tail."""
    k = len(counts)
    return k > 2 and _thin(int(min(counts[0], counts[-1])), n, k)


def _close_classes(k: int, n: int, counts: Array) -> bool:
    return k > MANY or n < 5 * k or int(counts.min()) < max(2, n / 100)


def _why_quantity(values: Array, counts: Array, n: int) -> str:
    """Why these whole numbers read as a quantity, in words."""
    lo, hi, k = float(values[0]), float(values[-1]), len(values)
    if _run(values):
        if n < 2 * k:
            return "fewer than 2 rows per value, too few for classes"
        return _tail(values, counts, n)
    if k > FEW_LABELS:
        return (
            f"{_range(lo, hi)} is not a run of class codes 0..K-1 or 1..K "
            f"(at most {MAX_CODES}), so a quantity"
        )
    if int(counts.min()) < 2:
        return "a value held by a single row reads as a quantity's tail, not a class"
    if _thin_ends(counts, n):
        return "a value at an end in few rows reads as a quantity's thin tail, not a class"
    return f"values up to {max(abs(lo), abs(hi)):.6g}, unevenly spaced, read as a quantity"


def _tail(values: Array, counts: Array, n: int) -> str:
    """Why whole numbers over most of ``0..K`` or ``1..K`` whose largest is held by few
    rows read as a count (its thin tail), in words."""
    lo, hi = int(values[0]), int(values[-1])
    absent = sorted(set(range(lo, hi + 1)) - {int(v) for v in values})
    gaps = f", no {_few(absent)}" if absent else ""
    held = counted(int(counts[-1]), "row")
    return f"{lo}..{hi}{gaps}, the largest in {held}: a count's thin tail (a quantity), not codes"


def _few(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:3])) + (", ..." if len(numbers) > 3 else "")


def _range(lo: float, hi: float) -> str:
    return f"{lo:.6g}..{hi:.6g}"
