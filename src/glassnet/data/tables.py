"""Reading user data and splitting it, with one clear error for anything wrong.

Supported files:

* ``.csv``: a header row; the target column is named; every other column is a numeric
  feature. The target may hold numbers or class names.
* ``.npz``: an array ``X`` (N, D) and the target array named by ``target`` (default ``y``).
* ``.npy``: one 2-D array; ``target`` is the index of the target column (or ``None``
  when the file holds features only). It is memory-mapped, never read whole.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError, as_features

__all__ = ["DataError", "Table", "encode_labels", "load_table", "split_indices"]


@dataclass(frozen=True)
class Table:
    X: Any  # (N, D) array-like: an ndarray, or a memmap for .npy files
    y: Array | None  # (N,) or (N, k) targets, None when the file has none
    feature_names: tuple[str, ...]
    target_name: str | None


def load_table(
    path: str | Path,
    target: str | None = None,
    features: tuple[str, ...] = (),
    require_target: bool = True,
) -> Table:
    """Read features (and the ``target`` column, when named) from a CSV, NPZ or NPY file.

    ``features`` names the CSV columns to read, in that order (all the others are then
    ignored); by default every column but the target is a feature. With
    ``require_target=False`` a named target that the file lacks is simply absent.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if target is not None and not require_target and suffix != ".npy":
        target = target if target in _names(path, suffix) else None
    if suffix == ".csv":
        table = _read_csv(path, target, features)
    elif suffix == ".npz":
        table = _read_npz(path, target)
    elif suffix == ".npy":
        table = _read_npy(path, target)
    else:
        raise DataError(f"{path}: unsupported file type {suffix!r}; use .csv, .npz or .npy")
    return Table(as_features(table.X, str(path)), table.y, table.feature_names, table.target_name)


def _names(path: Path, suffix: str) -> list[str]:
    """The CSV's column names or the NPZ's array names (for an optional target)."""
    if suffix == ".npz":
        try:
            with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as f:
                return list(f.files)
        except Exception as exc:
            raise DataError(f"{path}: not a readable .npz file ({exc})") from None
    return [h.strip() for h in _csv_rows(path)[0]] if suffix == ".csv" else []


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8"
        ) from None
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise DataError(f"{path}: empty file (a header row is needed)")
    return rows


def _read_csv(path: Path, target: str | None, wanted: tuple[str, ...]) -> Table:
    rows = _csv_rows(path)
    header = [h.strip() for h in rows[0]]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise DataError(f"{path}: duplicate column names: {', '.join(duplicated)}")
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if target is not None and target not in header:
        raise DataError(f"{path}: no target column {target!r}; columns are {', '.join(header)}")
    missing = [name for name in wanted if name not in header]
    if missing:
        raise DataError(f"{path}: missing feature columns: {', '.join(missing)}")
    features = list(wanted) if wanted else [h for h in header if h != target]
    columns: dict[str, list[str]] = {h: [] for h in header}
    for line, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise DataError(
                f"{path}: line {line} has {len(r)} fields, the header has {len(header)}"
            )
        for h, cell in zip(header, r, strict=True):
            columns[h].append(cell.strip())
    X = np.empty((len(body), len(features)))
    for j, name in enumerate(features):
        X[:, j] = _numeric_column(path, name, columns[name])
    y = _target_column(path, target, columns[target]) if target is not None else None
    return Table(X, y, tuple(features), target)


def _numeric_column(path: Path, name: str, cells: list[str]) -> list[float]:
    values = []
    for i, cell in enumerate(cells):
        try:
            v = float(cell)
        except ValueError:
            raise DataError(
                f"{path}: column {name!r} is not numeric (line {i + 2}: {cell!r})"
            ) from None
        if not math.isfinite(v):
            raise DataError(
                f"{path}: column {name!r} has a missing or non-finite value "
                f"at line {i + 2} ({cell!r})"
            )
        values.append(v)
    return values


MISSING = {"", "na", "nan", "n/a", "null", "none", "?"}


def _target_column(path: Path, name: str, cells: list[str]) -> Array:
    """Numbers when every cell is a number (integers when every number is whole, so labels
    come back as written), else class names (strings). Empty or NA cells are an error."""
    for i, cell in enumerate(cells):
        if cell.lower() in MISSING:
            raise DataError(f"{path}: target column {name!r} has a missing value at line {i + 2}")
    try:
        values = np.array([float(c) for c in cells])
    except ValueError:
        return np.array(cells)
    if not np.all(np.isfinite(values)):
        raise DataError(f"{path}: target column {name!r} has a non-finite value")
    whole = np.all(values == np.round(values)) and np.all(np.abs(values) < 2**53)
    return values.astype(np.int64) if whole and all("." not in c for c in cells) else values


def _read_npz(path: Path, target: str | None) -> Table:
    try:
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except Exception as exc:
        raise DataError(f"{path}: not a readable .npz file ({exc})") from None
    if "X" not in arrays:
        raise DataError(f"{path}: no array named 'X'; arrays are {', '.join(arrays)}")
    name = target or ("y" if "y" in arrays else None)
    if target is not None and target not in arrays:
        raise DataError(f"{path}: no target array {target!r}; arrays are {', '.join(arrays)}")
    X = arrays["X"]
    names = tuple(f"x{j}" for j in range(X.shape[1])) if X.ndim == 2 else ()
    return Table(X, arrays[name] if name else None, names, name)


def _read_npy(path: Path, target: str | None) -> Table:
    try:
        A = np.load(path, mmap_mode="r", allow_pickle=False)
    except Exception as exc:
        raise DataError(f"{path}: not a readable .npy file ({exc})") from None
    if A.ndim != 2:
        raise DataError(f"{path}: expected a 2-D array, got shape {A.shape}")
    if target is None:
        return Table(A, None, tuple(f"x{j}" for j in range(A.shape[1])), None)
    try:
        col = int(target)
    except ValueError:
        raise DataError(
            f"{path}: for .npy files the target is a column index, got {target!r}"
        ) from None
    if not -A.shape[1] <= col < A.shape[1]:
        raise DataError(f"{path}: target column {col} out of range for {A.shape[1]} columns")
    col %= A.shape[1]
    keep = [j for j in range(A.shape[1]) if j != col]
    return Table(A[:, keep], np.asarray(A[:, col]), tuple(f"x{j}" for j in keep), str(col))


def encode_labels(y: Array) -> tuple[Array, Array]:
    """Class labels -> (sorted unique classes, integer codes (N,))."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise DataError(f"class labels must be 1-D, got shape {y.shape}")
    classes, codes = np.unique(y, return_inverse=True)
    return classes, codes.astype(np.intp)


def split_sizes(n: int, size: float | int) -> int:
    """A fraction in (0, 1) of ``n``, rounded, or an absolute count >= 1."""
    if isinstance(size, float) and 0 < size < 1 and max(1, round(size * n)) < n:
        return max(1, round(size * n))
    if float(size) == int(size) and 1 <= int(size) < n:
        return int(size)
    raise ValueError(
        f"a split size must be a fraction in (0, 1) or a count in [1, {n}), got {size}"
    )


def split_indices(
    n: int, size: float | int, rng: np.random.Generator, stratify: Array | None = None
) -> tuple[Array, Array]:
    """Split ``range(n)`` into (rest, held out) with ``size`` held out.

    With ``stratify`` (integer class codes), every class is held out in proportion: the
    held-out count per class is its share of ``size`` (largest remainders first).
    """
    k = split_sizes(n, size)
    if stratify is None:
        order = rng.permutation(n)
        return np.sort(order[k:]), np.sort(order[:k])
    classes, counts = np.unique(stratify, return_counts=True)
    quota = counts * k / n
    take = np.floor(quota).astype(int)
    short = k - take.sum()
    take[np.argsort(-(quota - take), kind="stable")[:short]] += 1
    held = []
    for c, m in zip(classes, take, strict=True):
        members = np.flatnonzero(stratify == c)
        held.append(rng.permutation(members)[:m])
    held_out = np.sort(np.concatenate(held))
    mask = np.ones(n, dtype=bool)
    mask[held_out] = False
    return np.flatnonzero(mask), held_out
