"""glassnet 0.1's CSV reader, kept verbatim as the baseline of ``read_table.py``.

Copied from ``src/glassnet/data/tables.py`` at commit fb53544 (the last before pyarrow):
``load_table`` for a CSV file with its helpers, and the finiteness scan of 0.1's
``as_features``. Only the error type differs (``ValueError``); every step that ran on a
valid numeric file runs here as it did.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np

MISSING = {"", "na", "nan", "n/a", "null", "none", "?"}
BLOCK = 65536


def load_table(path: Path, target: str) -> tuple[Any, Any, tuple[str, ...]]:
    """``(X (N, D) float64, y (N,), feature names)`` as glassnet 0.1 read them."""
    X, y, names = _read_csv(path, target, ())
    _check_finite(X, str(path))
    return X, y, names


def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValueError(f"{path}: empty file (a header row is needed)")
    return rows


def _read_csv(path: Path, target: str | None, wanted: tuple[str, ...]) -> Any:
    rows = _csv_rows(path)
    header = [h.strip() for h in rows[0]]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise ValueError(f"{path}: duplicate column names: {', '.join(duplicated)}")
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if target is not None and target not in header:
        raise ValueError(f"{path}: no target column {target!r}; columns are {', '.join(header)}")
    missing = [name for name in wanted if name not in header]
    if missing:
        raise ValueError(f"{path}: missing feature columns: {', '.join(missing)}")
    features = list(wanted) if wanted else [h for h in header if h != target]
    columns: dict[str, list[str]] = {h: [] for h in header}
    for line, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise ValueError(
                f"{path}: line {line} has {len(r)} fields, the header has {len(header)}"
            )
        for h, cell in zip(header, r, strict=True):
            columns[h].append(cell.strip())
    X = np.empty((len(body), len(features)))
    for j, name in enumerate(features):
        X[:, j] = _numeric_column(path, name, columns[name])
    y = _target_column(path, target, columns[target]) if target is not None else None
    return X, y, tuple(features)


def _numeric_column(path: Path, name: str, cells: list[str]) -> list[float]:
    values = []
    for i, cell in enumerate(cells):
        try:
            v = float(cell)
        except ValueError:
            raise ValueError(
                f"{path}: column {name!r} is not numeric (line {i + 2}: {cell!r})"
            ) from None
        if not math.isfinite(v):
            raise ValueError(f"{path}: column {name!r} has a missing or non-finite value")
        values.append(v)
    return values


def _target_column(path: Path, name: str, cells: list[str]) -> Any:
    for i, cell in enumerate(cells):
        if cell.lower() in MISSING:
            raise ValueError(f"{path}: target column {name!r} has a missing value at line {i + 2}")
    try:
        values = np.array([float(c) for c in cells])
    except ValueError:
        return np.array(cells)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{path}: target column {name!r} has a non-finite value")
    whole = np.all(values == np.round(values)) and np.all(np.abs(values) < 2**53)
    return values.astype(np.int64) if whole and all("." not in c for c in cells) else values


def _check_finite(A: Any, where: str) -> None:
    for start in range(0, A.shape[0], BLOCK):
        block = np.asarray(A[start : start + BLOCK])
        if not np.isfinite(block).all():
            raise ValueError(f"{where} has a non-finite value")
