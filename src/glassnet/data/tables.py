"""Reading user data and splitting it, with one clear error for anything wrong.

Supported files:

* ``.csv``: a header row; read by pyarrow's multithreaded reader. Every column but the
  target (and those dropped) is a feature; its type is inferred (see
  :func:`glassnet.data.kinds.column_kind`) and errors name the file's own line number.
* ``.parquet``: read by pyarrow, the same way.
* ``.npz``: an array ``X`` (N, D) and the target array named by ``target`` (default ``y``).
* ``.npy``: one 2-D array; ``target`` is the index of the target column (or ``None``
  when the file holds features only). It is memory-mapped, never read whole.

CSV and Parquet tables come back as a :class:`~glassnet.data.frames.Frame` of raw columns
(``Table.frame``), to be encoded by :mod:`glassnet.data.encoding` (``Table.X`` reads them
strictly as numbers, on first use); arrays come back as ``Table.X``. pyarrow is imported only
when a table is read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError, as_features, as_targets
from glassnet.data.arrays import npz_names, read_npy, read_npz
from glassnet.data.csvread import NULLS, line_numbers, read_csv
from glassnet.data.errors import absent, check_commas
from glassnet.data.frames import Frame
from glassnet.data.headers import unique_names
from glassnet.data.id_columns import counting_columns
from glassnet.data.kinds import column_kind
from glassnet.data.parquet import read_parquet, table_names
from glassnet.data.splits import encode_labels, split_indices, split_sizes
from glassnet.data.targets import stacked, target_names
from glassnet.data.written_labels import csv_written, keep_as_written, read_numbers

__all__ = ["NULLS", "DataError", "Table", "encode_labels", "load_table", "split_indices",
           "split_sizes"]


@dataclass(frozen=True)
class Table:
    arrays: Any  # (N, D) array-like for .npz/.npy files (a memmap for .npy); None for tables
    y: Array | None  # (N,) or (N, k) targets, None when the file has none
    feature_names: tuple[str, ...]
    target_name: str | None
    frame: Frame | None = None  # the feature columns of a CSV or Parquet table, unencoded
    n_unlabelled: int = 0  # rows left out because their target cell is empty
    index: tuple[str, ...] = ()  # a Parquet file's named pandas index columns, left out

    @cached_property
    def X(self) -> Any:
        """The features ``(N, D)``: the arrays of an NPZ/NPY file, or a table's columns read
        strictly as numbers (a :class:`DataError` names a text or missing cell; encode such
        tables with :func:`glassnet.data.encoding.fit_encoding`)."""
        if self.frame is None:
            return self.arrays
        from glassnet.data.encoding import strict_encoding

        return strict_encoding(self.feature_names).transform(self.frame).X


def load_table(
    path: str | Path,
    target: str | None = None,
    features: tuple[str, ...] = (),
    require_target: bool = True,
    drop: tuple[str, ...] = (),
) -> Table:
    """Read features (and the ``target`` column, when named) from a CSV, Parquet, NPZ or
    NPY file.

    ``features`` names the table columns to use, in that order; by default every column
    but the target and those in ``drop``. With ``require_target=False`` the target is not
    read (predictions never need it). Rows of a table whose target cell is empty are left
    out (counted in ``n_unlabelled``). ``features`` and ``drop`` are for tables (CSV,
    Parquet): an .npz or .npy file's columns have no names. Raises :class:`DataError` naming
    the file, the line and the column of any problem.
    """
    path = Path(path)
    if not path.is_file():
        missing = "a folder, not a data file" if path.is_dir() else "no such file"
        raise DataError(f"{path}: {missing}")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".parquet", ".pq"):
        return _read_frame(path, suffix, target if require_target else None, features, drop,
                           exclude=target)
    if (features or drop) and suffix in (".npz", ".npy"):
        raise DataError(f"{path}: features and drop name a table's columns; the columns of "
                        f"{suffix} arrays have no names")  # fmt: skip
    if target is not None and not require_target and suffix != ".npy":
        target = target if target in npz_names(path) else None
    if suffix == ".npz":
        table = read_npz(path, target)
    elif suffix == ".npy":
        table = read_npy(path, target)
    else:
        raise DataError(
            f"{path}: unsupported file type {suffix!r}; use .csv, .parquet, .npz or .npy"
        )
    X = as_features(table.X, str(path))
    y = None if table.y is None else as_targets(table.y, X.shape[0], f"{path}: target")
    return Table(X, y, table.feature_names, table.target_name)


def frame_table(
    frame: Frame, target: str | None, features: tuple[str, ...] = (), drop: tuple[str, ...] = (),
    exclude: str | None = None,
) -> Table:
    """A :class:`Table` over a frame: its target and its feature columns, checked."""
    where, header = frame.where, list(frame.names)
    targets = target_names(target, header) if target is not None else ()
    excluded = target_names(exclude, header) if exclude is not None else ()
    check_commas(where, header, (target, *targets, *features, *drop))
    unique_names(where, header)
    for name in (n for n in targets if n not in header):
        raise absent(where, "target column", name, header)
    unknown = [n for n in (*features, *drop) if n not in header]
    if unknown:
        raise absent(where, "column", unknown[0], header)
    skip = {*targets, *excluded, *drop}
    names = list(features) if features else [h for h in header if h not in skip]
    if not names:
        raise DataError(f"{where}: no feature columns left")
    y, n_unlabelled = None, 0
    if target is not None:
        y, labelled = (
            target_column(frame, target) if len(targets) == 1 else
            stacked(where, targets, [target_column(frame, name) for name in targets])
        )  # fmt: skip
        n_unlabelled = frame.n_rows - int(labelled.sum())
        if frame.n_rows and not labelled.any():
            raise DataError(f"{where}: the target column {target!r} is empty (no row has a value)")
        if n_unlabelled:  # IDs are judged on the rows as read (glassnet.data.kinds)
            counted = counting_columns(frame, names)
            frame = frame.take(np.flatnonzero(labelled))
            frame.counted = counted
    if frame.n_rows == 0:
        raise DataError(f"{where}: has no data rows")
    frame = frame.select(names)
    frame.dropped, frame.named = (drop, features) if features else (drop, ())
    return Table(None, y, tuple(names), target, frame, n_unlabelled)


def target_column(
    frame: Frame, name: str, counts: Array | None = None
) -> tuple[Array, Array]:
    """The target's labelled cells ``y (M,)`` and which rows have one ``(N,) bool``.

    Numbers when every cell is a number (integers when the file holds integers, so labels
    come back as written), else class names (strings) or booleans. Whole numbers written
    otherwise than plainly (``'007'``, ``'1e3'``) or two ways (``'7'``, ``'007'``) are
    class names as written (:mod:`glassnet.data.written_labels`). ``counts (N,)``: how
    many cells each row stands for (a column given as its distinct labels).
    """
    values, missing = frame.values(name)
    labelled = ~missing
    kind = column_kind(frame, name, values, missing, target=True, counts=counts)
    values = values[labelled]
    if kind == "category":
        return (values.astype(bool) if values.dtype.kind == "b" or (
            len(values) and isinstance(values[0], bool | np.bool_)) else values.astype(str)
        ), labelled
    if values.dtype.kind not in "iuf":  # numbers written as text
        text = values.astype(str)
        if keep_as_written(np.unique(text).tolist()):  # '007' and '7': two class names
            return text, labelled
        values = read_numbers(text)
    bad = ~np.isfinite(values) if values.dtype.kind == "f" else np.zeros(len(values), bool)
    if bad.any():
        i = int(np.flatnonzero(labelled)[np.argmax(bad)])
        raise DataError(f"{frame.where}: target column {name!r} has a non-finite value at "
                        f"{frame.locate(i)}")
    return values, labelled


def _read_frame(
    path: Path, suffix: str, target: str | None, features: tuple[str, ...],
    drop: tuple[str, ...], exclude: str | None,
) -> Table:
    if suffix == ".csv":
        source = read_csv(path)
        locate = line_numbers(path)
        table = frame_table(Frame(source, str(path), None, locate), target, features, drop,
                            exclude)  # fmt: skip
        if table.y is None or target is None or table.y.ndim != 1:
            return table
        return replace(table, y=csv_written(path, target, table.y))  # '007' stays '007'
    source = read_parquet(path)  # a pandas index stored as columns is no feature unless named
    named = (target, *(target or "").split(","), exclude, *features, *drop)
    names, index = table_names(source.schema, named)
    frame = Frame(source, str(path), None, lambda p: f"row {p}", names)
    table = frame_table(frame, target, features, drop, exclude)
    return replace(table, index=tuple(n for n in index if not n.startswith("__index_level_")))
