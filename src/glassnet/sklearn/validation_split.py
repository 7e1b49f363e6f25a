"""``early_stopping``'s validation rows, as scikit-learn's MLP holds them out.

:func:`split_rows` splits the rows with scikit-learn's ``train_test_split``
(``test_size=validation_fraction``; stratified by class for a classifier of one label
column where it can be, see :func:`check_split`), after :func:`check_split` has refused,
naming the estimator's own parameters (``validation_fraction``, ``early_stopping``), every
split that scikit-learn would refuse in the words of its internals (``train_test_split``'s
``test_size`` and ``train_size``, ``StratifiedShuffleSplit``'s least populated class). As
in scikit-learn, fewer than 2 validation rows are refused too: the validation score (R^2)
needs two.

Importing this module imports scikit-learn; ``import glassnet`` does not.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from sklearn.model_selection import train_test_split

from glassnet.core._types import Array

if TYPE_CHECKING:
    from glassnet.sklearn.estimator_base import BaseMLP


def stops_early(est: BaseMLP) -> bool:
    """Whether ``early_stopping`` applies: scikit-learn ignores it for ``solver="lbfgs"``
    (every row is trained on, nothing is validated)."""
    return bool(est.early_stopping) and est.solver != "lbfgs"


def split_rows(
    est: BaseMLP, n: int, codes: Array, seed: int, incremental: bool
) -> tuple[Array, Array | None]:
    """The training rows and, with ``early_stopping`` (not with ``lbfgs``, nor in
    ``partial_fit``), the validation rows, each sorted: for a classifier of one label
    column stratified by class where :func:`check_split` says so. Raises ``ValueError``
    as :func:`check_split` does."""
    rows = np.arange(n)
    if not stops_early(est) or incremental:
        return rows, None
    classes = codes if est._output != "identity" and codes.ndim == 1 else None
    stratify = check_split(est, n, classes)
    train, val = train_test_split(
        rows, test_size=est.validation_fraction, random_state=seed, stratify=stratify
    )
    return np.sort(train), np.sort(val)


def check_split(est: BaseMLP, n: int, codes: Array | None) -> Array | None:
    """What to stratify the split of ``n`` rows by: the class codes ``codes (n,)`` of a
    classifier of one label column when every class has 2 rows and holding out
    ``ceil(validation_fraction * n)`` rows (``train_test_split``'s count) leaves a
    validation and a training row of each; else None (a plain split) for more than two
    classes, which scikit-learn never stratifies.

    Raises
    ------
    ValueError
        Naming ``validation_fraction`` (and ``early_stopping``) where scikit-learn's MLP
        refuses the split: no validation rows, fewer than 2 (no validation score), no
        training rows, or two classes that cannot be stratified (a class of one row,
        fewer validation or training rows than classes).
    """
    fraction = float(est.validation_fraction)
    head = f"The 'validation_fraction' parameter of {type(est).__name__} is {fraction!r}"
    if fraction == 0:
        raise ValueError(
            f"{head}: it holds out no rows, yet early_stopping=True needs validation rows; "
            "give a fraction in (0, 1) (the default is 0.1), or early_stopping=False to train "
            "on every row"
        )
    n_val = math.ceil(fraction * n)
    held = f"{head}: with early_stopping=True it holds out ceil({fraction!r} * {n}) = {n_val}"
    if n_val >= n:
        raise ValueError(f"{held} of the {n} rows, leaving none to train on; lower it")
    if codes is not None and not _stratifiable(codes, n, n_val):
        if len(np.unique(codes)) > 2:
            codes = None  # scikit-learn's split for more than two classes: never stratified
        else:
            _check_classes(est, codes, held, n, n_val)
    if n_val < 2:
        raise ValueError(
            f"{held} validation row; the validation score needs at least 2: raise it to at "
            f"least {_up(2 / n)}, or give more rows"
        )
    return codes


def _stratifiable(codes: Array, n: int, n_val: int) -> bool:
    counts = np.unique(codes, return_counts=True)[1]
    k = len(counts)
    return bool(counts.min() >= 2 and n_val >= k and n - n_val >= k)


def _check_classes(est: BaseMLP, codes: Array, held: str, n: int, n_val: int) -> None:
    """The stratified split's needs: 2 rows of every class, and a validation and a
    training row of each."""
    present, counts = np.unique(codes, return_counts=True)
    if counts.min() < 2:
        label = np.asarray(est.classes_)[present[[np.argmin(counts)]]].tolist()[0]
        raise ValueError(
            f"early_stopping=True holds out validation rows stratified by class, which needs "
            f"at least 2 rows of every class; class {label!r} has 1: give more rows of it, "
            "or early_stopping=False"
        )
    k = len(present)
    if n_val < k:
        raise ValueError(
            f"{held} of the {n} rows, fewer than the {k} classes (the split is stratified: "
            f"each class needs a validation row); raise it to at least {_up(k / n)}, or give "
            "more rows"
        )
    if n - n_val < k:
        raise ValueError(
            f"{held} of the {n} rows, leaving {n - n_val} to train on, fewer than the {k} "
            f"classes (the split is stratified: each class needs a training row); lower it "
            f"to at most {_down((n - k) / n)}"
        )


def _up(fraction: float) -> float:
    """``fraction`` rounded up to 4 decimals: a fraction shown as "at least" that is."""
    return math.ceil(fraction * 1e4) / 1e4


def _down(fraction: float) -> float:
    """``fraction`` rounded down to 4 decimals: a fraction shown as "at most" that is."""
    return math.floor(fraction * 1e4) / 1e4
