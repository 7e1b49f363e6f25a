"""Reading NumPy files: ``.npz`` (an array ``X`` and a target array) and ``.npy`` (one 2-D
array, memory-mapped, its target a column index). Nothing is unpickled."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from glassnet.core.validation import DataError


class Arrays(NamedTuple):
    X: Any  # (N, D): an ndarray, or a memmap for .npy files
    y: Any  # (N,) or (N, k), None when the file has no target
    feature_names: tuple[str, ...]
    target_name: str | None


def npz_names(path: Path) -> list[str]:
    """The NPZ's array names (for an optional target)."""
    try:
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as f:
            return list(f.files)
    except Exception as exc:
        raise DataError(f"{path}: not a readable .npz file ({exc})") from None


def read_npz(path: Path, target: str | None) -> Arrays:
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
    return Arrays(X, arrays[name] if name else None, names, name)


def read_npy(path: Path, target: str | None) -> Arrays:
    try:
        A = np.load(path, mmap_mode="r", allow_pickle=False)
    except Exception as exc:
        raise DataError(f"{path}: not a readable .npy file ({exc})") from None
    if A.ndim != 2:
        raise DataError(f"{path}: expected a 2-D array, got shape {A.shape}")
    if target is None:
        return Arrays(A, None, tuple(f"x{j}" for j in range(A.shape[1])), None)
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
    return Arrays(A[:, keep], np.asarray(A[:, col]), tuple(f"x{j}" for j in keep), str(col))
