"""Class labels written as numbers, taken as written when reading them as numbers would
merge or rename them (NU14 #3).

A target column of text cells that all read as numbers is read as numbers (integers when
written as integers) when each distinct cell is the plain writing of its number (``'7'``,
``'-3'``; ``'1.0'`` of a column with a decimal point; surrounding spaces aside). Whole
numbers written otherwise (``'007'``, ``'+7'``, ``'1e3'``, ``'1.00'``, or ``'1'`` beside
``'1.0'``) and distinct cells that read as one number (``'7'`` and ``'007'``) are class
names, kept as written (:func:`keep_as_written`): ``'007'`` and ``'7'`` are two classes.
Fractional numbers stay numbers (a quantity: regression). The task is still judged on the
numbers (:func:`glassnet.data.task.choose_task`), and a regression reads them as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array

EXACT = 2.0**53  # whole numbers beyond this are not written exactly by a float


def keep_as_written(texts: Sequence[str]) -> bool:
    """Whether the distinct cells ``texts`` of a target column, each reading as a number,
    are class names to keep as written: their numbers are whole and some cell is not its
    number's plain writing, or two cells read as one number (``'007'``, ``'7'``)."""
    texts = [str(t) for t in texts]
    try:
        numbers = [float(t) for t in texts]
    except ValueError:
        return False  # not numbers: text labels already
    if not all(np.isfinite(v) and v == round(v) and abs(v) < EXACT for v in numbers):
        return False  # fractional (a quantity) or not finite: numbers, refused later
    if len(set(numbers)) < len(texts):
        return True  # '007' and '7': one number, two labels
    decimal = any(_decimal(t) for t in texts)
    plain = [repr(v) if decimal else str(int(v)) for v in numbers]
    return any(t.strip() != p for t, p in zip(texts, plain, strict=True))


def read_numbers(text: Array) -> Array:
    """Cells ``text (M,)`` that all read as numbers -> ``(M,)`` int64 when every cell is a
    whole number written without a decimal point or exponent, else float64 (each distinct
    cell read once)."""
    uniques, inverse = np.unique(np.asarray(text, dtype=str), return_inverse=True)
    values = np.array([float(v) for v in uniques.tolist()], dtype=np.float64)
    whole = bool(np.all(values == np.round(values)) and np.all(np.abs(values) < EXACT))
    if whole and not any(_decimal(v) for v in uniques.tolist()):
        return values.astype(np.int64)[inverse.reshape(-1)]
    return values[inverse.reshape(-1)]


def _decimal(text: str) -> bool:
    return "." in text or "e" in text.lower()


def csv_written(path: Path, target: str, y: Array) -> Array:
    """A CSV's target ``y (M,)`` as pandas read it (numbers), or its labelled cells as
    written ``(M,)`` str when :func:`keep_as_written` says they are class names (the column
    read again, alone, as text; only when ``y`` holds whole numbers)."""
    if y.ndim != 1 or y.dtype.kind not in "iuf" or not len(y):
        return y
    if y.dtype.kind == "f" and not (np.all(np.isfinite(y)) and np.all(y == np.round(y))):
        return y  # fractional: a quantity, numbers whatever their writing
    import pyarrow.compute as pc

    column = _text_column(path, target)
    column = pc.drop_null(column) if column is not None else None
    if column is None or len(column) != len(y):  # (read otherwise: keep pandas' numbers)
        return y
    if not keep_as_written(pc.unique(column).to_pylist()):
        return y
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=str)


def _text_column(path: Path, target: str) -> Any:
    """The CSV's column ``target`` alone, as text (None when pyarrow cannot read it so)."""
    import csv

    import pyarrow as pa
    import pyarrow.csv as pcsv

    from glassnet.data.csvread import NULLS
    from glassnet.data.csvscan import parse_options
    from glassnet.data.headers import named_header

    with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
        raw = next((row for row in csv.reader(f) if any(c.strip() for c in row)), [])
    names = named_header([name.strip() for name in raw])
    if target not in names or raw.count(raw[names.index(target)]) > 1:
        return None
    name = raw[names.index(target)]
    try:
        table = pcsv.read_csv(path, parse_options=parse_options(path),
                              convert_options=pcsv.ConvertOptions(
                                  column_types={name: pa.string()}, include_columns=[name],
                                  null_values=NULLS, strings_can_be_null=True,
                                  quoted_strings_can_be_null=True))  # fmt: skip
    except (pa.ArrowException, UnicodeDecodeError):
        return None
    return table.column(0).combine_chunks()


def labels_like(y: Array, classes: Array) -> Array:
    """Labels ``y`` read from a file, compared as a model's ``classes`` were read: text
    against text classes (a number read from a plain cell is its writing again: ``7`` ->
    ``'7'``), numbers against number classes (``'007'`` -> ``7``)."""
    y = np.asarray(y)
    if classes.dtype.kind == "U" and y.dtype.kind in "iu":
        return y.astype(str)
    if classes.dtype.kind == "U" and y.dtype.kind == "f":
        return np.array([repr(v) for v in y.tolist()], dtype=str)
    if classes.dtype.kind in "iuf" and y.dtype.kind == "U" and len(y):
        try:
            return read_numbers(y)
        except ValueError:
            return y  # text: never seen, as the caller says
    return y


def same_numbers(classes: Array) -> list[list[str]]:
    """Groups of text labels (each a class of its own) that read as one number: ``'007'``,
    ``'7'``, ``'7.0'``."""
    groups: dict[float, list[str]] = {}
    for c in classes.tolist():
        if isinstance(c, str):
            try:
                groups.setdefault(float(c), []).append(c)
            except ValueError:
                continue
    return [g for g in groups.values() if len(g) > 1]
