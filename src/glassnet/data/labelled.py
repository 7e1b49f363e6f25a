"""A labelled file's rows in blocks with their targets, for scores that never hold it whole.

:func:`labelled_blocks` pairs each block of :func:`glassnet.data.blocks.feature_blocks`
with its targets: a table's target column is read alone first (its cells typed as a whole
read types them: :func:`glassnet.data.table_targets.table_targets`), an ``.npz`` file's
target array whole (``(N,)`` or ``(N, k)``, small beside ``X``), an ``.npy`` file's target
column block by block with the rest of the row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError, as_features, as_targets
from glassnet.core.wording import counted
from glassnet.data import blocks
from glassnet.data.arrays import (
    check_target_array,
    npz_members,
    read_data,
    row_blocks,
    target_index,
)
from glassnet.data.encoding import Encoding
from glassnet.data.frames import Frame
from glassnet.data.table_targets import table_targets


class Labelled(NamedTuple):
    blocks: Iterator[tuple[Any, Array]]  # (features: a Frame or (B, D), targets (B,) or (B, k))
    n_unlabelled: int  # table rows left out because their target cell is empty


def labelled_blocks(
    path: str | Path, encoding: Encoding | None, target: str, numeric: bool = False
) -> Labelled:
    """``path``'s labelled rows in blocks with their targets; rows of a table whose target
    cell is empty are left out (counted). ``numeric``: a regressor's targets (a table's
    column is read as float64 when every cell is a number). Raises :class:`DataError` as
    :func:`load_table`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".npy" and path.is_file():
        return Labelled(_npy_pairs(path, target), 0)
    if suffix in (".csv", ".parquet", ".pq") and path.is_file():
        y, labelled, labels = table_targets(path, target, numeric)
        return Labelled(_pairs(blocks.feature_blocks(path, encoding), y, labelled, path, labels),
                        int(np.sum(~labelled)))
    elif suffix == ".npz" and path.is_file():
        y = _npz_target(path, target)
        labelled = np.ones(len(y), dtype=bool)
    else:
        return Labelled(blocks.feature_blocks(path, encoding), 0)  # raises the reader's error
    return Labelled(_pairs(blocks.feature_blocks(path, encoding), y, labelled, path),
                    int(np.sum(~labelled)))


def _pairs(
    stream: Iterator[Any], y: Array, labelled: Array, path: Path, labels: Array | None = None
) -> Iterator[Any]:
    """Each block's labelled rows and their targets (``y`` holds the labelled rows' only;
    with ``labels``, it holds indices into them)."""
    start = taken = 0
    for block in stream:
        n = block.n_rows if isinstance(block, Frame) else len(block)
        keep = labelled[start : start + n]
        k = int(keep.sum())
        if k < n:
            rows = np.flatnonzero(keep)
            block = block.take(rows) if isinstance(block, Frame) else block[rows]
        part = y[taken : taken + k]
        yield block, part if labels is None else labels[part]
        start, taken = start + n, taken + k
    if start != len(labelled):
        raise DataError(f"{path}: X has {counted(start, 'row')}, the target has {len(labelled)}")


def _npz_target(path: Path, target: str) -> Array:
    with npz_members(path) as members:
        check_target_array(path, target, list(members))
        with members[target].open(f"{path}: array {target!r}") as (f, header):
            y = read_data(f, header, f"{path}: array {target!r}")
    return as_targets(y, len(y), f"{path}: target")


def _npy_pairs(path: Path, target: str) -> Iterator[tuple[Array, Array]]:
    """An ``.npy`` file's rows in blocks, split into features and the ``target`` column."""
    for A in row_blocks(path, blocks.BLOCK_ROWS):
        col = target_index(path, target, A.shape[1])
        keep = [j for j in range(A.shape[1]) if j != col]
        X = as_features(A[:, keep], str(path))
        yield X, as_targets(np.asarray(A[:, col]), len(X), f"{path}: target")
