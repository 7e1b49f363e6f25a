"""Reading user data and splitting it, with one clear error for anything wrong.

Supported files:

* ``.csv``: a header row; read by pyarrow's multithreaded reader. Every column but the
  target (and those dropped) is a feature; its type is inferred (see
  :func:`glassnet.data.frames.column_kind`) and errors name the file's own line number.
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

import csv
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.validation import DataError, as_features, as_targets
from glassnet.data.frames import Frame, column_kind

__all__ = ["DataError", "Table", "encode_labels", "load_table", "split_indices"]

NULLS = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NULL", "null", "None", "none", "?",
         "#N/A", "-nan", "-NaN"]


@dataclass(frozen=True)
class Table:
    arrays: Any  # (N, D) array-like for .npz/.npy files (a memmap for .npy); None for tables
    y: Array | None  # (N,) or (N, k) targets, None when the file has none
    feature_names: tuple[str, ...]
    target_name: str | None
    frame: Frame | None = None  # the feature columns of a CSV or Parquet table, unencoded
    n_unlabelled: int = 0  # rows left out because their target cell is empty

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
    out (counted in ``n_unlabelled``). Raises :class:`DataError` naming the file, the line
    and the column of any problem.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".parquet", ".pq"):
        return _read_frame(path, suffix, target if require_target else None, features, drop,
                           exclude=target)
    if target is not None and not require_target and suffix != ".npy":
        target = target if target in _npz_names(path) else None
    if suffix == ".npz":
        table = _read_npz(path, target)
    elif suffix == ".npy":
        table = _read_npy(path, target)
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
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise DataError(f"{where}: duplicate column names: {', '.join(duplicated)}")
    if target is not None and target not in header:
        raise DataError(f"{where}: no target column {target!r}; columns are {', '.join(header)}")
    unknown = [n for n in (*features, *drop) if n not in header]
    if unknown:
        raise DataError(f"{where}: no column {unknown[0]!r}; columns are {', '.join(header)}")
    skip = {target, exclude, *drop}
    names = list(features) if features else [h for h in header if h not in skip]
    if not names:
        raise DataError(f"{where}: no feature columns left")
    y, n_unlabelled = None, 0
    if target is not None:
        y, labelled = target_column(frame, target)
        n_unlabelled = frame.n_rows - int(labelled.sum())
        if n_unlabelled:
            frame = frame.take(np.flatnonzero(labelled))
    if frame.n_rows == 0:
        raise DataError(f"{where}: has no data rows")
    return Table(None, y, tuple(names), target, frame.select(names), n_unlabelled)


def target_column(frame: Frame, name: str) -> tuple[Array, Array]:
    """The target's labelled cells ``y (M,)`` and which rows have one ``(N,) bool``.

    Numbers when every cell is a number (integers when the file holds integers, so labels
    come back as written), else class names (strings) or booleans.
    """
    values, missing = frame.values(name)
    labelled = ~missing
    kind = column_kind(frame, name, values, missing, target=True)
    values = values[labelled]
    if kind == "category":
        return (values.astype(bool) if values.dtype.kind == "b" or (
            len(values) and isinstance(values[0], bool | np.bool_)) else values.astype(str)
        ), labelled
    if values.dtype.kind not in "iuf":  # numbers written as text
        text = values.astype(str)
        values = np.array([float(v) for v in text])
        whole = np.all(values == np.round(values)) and np.all(np.abs(values) < 2**53)
        if whole and not any("." in v or "e" in v.lower() for v in text):
            values = values.astype(np.int64)
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
        source = _read_csv(path)
        locate = _line_numbers(path)
    else:
        source, locate = _read_parquet(path), (lambda p: f"row {p}")
    return frame_table(Frame(source, str(path), None, locate), target, features, drop, exclude)


def _read_csv(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    def skip_blank(row: Any) -> str:
        return "skip" if not row.text.strip() else "error"

    try:
        with quiet_rows():
            table = pcsv.read_csv(
                path,
                parse_options=pcsv.ParseOptions(
                    newlines_in_values=_has_quotes(path), invalid_row_handler=skip_blank
                ),
                convert_options=pcsv.ConvertOptions(null_values=NULLS, strings_can_be_null=True,
                                                    quoted_strings_can_be_null=True),
            )
        table = table.rename_columns([str(n).strip() for n in table.column_names])
    except UnicodeDecodeError:
        raise DataError(f"{path}: a column name is not UTF-8 text; save the CSV as UTF-8") from None
    except pa.ArrowException as exc:
        raise _csv_error(path, exc) from None
    pa.default_memory_pool().release_unused()  # the parser's buffers, back to the system
    for name, field in zip(table.column_names, table.schema, strict=True):
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            raise DataError(f"{path}: column {name!r} is not UTF-8 text; save the CSV as UTF-8")
    return table


@contextmanager
def quiet_rows() -> Iterator[None]:
    """Silence pyarrow's report of a row it could not decode for the blank-row handler (the
    row is an error anyway, reported as one line)."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        yield
    finally:
        sys.unraisablehook = hook


def _has_quotes(path: Path) -> bool:
    """Whether the file holds a quote (only a quoted cell can hold a newline, and reading
    without looking for newlines in cells is about a quarter faster)."""
    import mmap

    if path.stat().st_size == 0:
        return False
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m.find(b'"') >= 0


def _csv_error(path: Path, exc: Exception) -> DataError:
    """pyarrow's parse error, placed on the file's own line by reading it again."""
    text = str(exc)
    if "Empty CSV file" in text:
        return DataError(f"{path}: empty file (a header row is needed)")
    try:
        header, *records = _records(path)
    except (csv.Error, UnicodeDecodeError) as err:
        return DataError(f"{path}: not a readable CSV file ({err})")
    for line, row in records:
        if len(row) != len(header[1]):
            return DataError(
                f"{path}: line {line} has {len(row)} fields, the header has {len(header[1])}"
            )
    return DataError(f"{path}: not a readable CSV file ({text.splitlines()[0]})")


def _records(path: Path) -> list[tuple[int, list[str]]]:
    """``(line where it starts, fields)`` for the header and every non-blank record."""
    out: list[tuple[int, list[str]]] = []
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
        reader = csv.reader(f)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return out
            if row and (len(row) > 1 or row[0].strip() or (out and len(out[0][1]) == 1)):
                out.append((start, row))


def _line_numbers(path: Path) -> Callable[[int], str]:
    """Data row -> ``"line L"`` (the file read again only when an error needs it)."""
    lines: list[int] = []

    def locate(position: int) -> str:
        if not lines:
            lines.extend(line for line, _ in _records(path)[1:])
        return f"line {lines[position]}" if position < len(lines) else f"data row {position + 1}"

    return locate


def _read_parquet(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: not a readable Parquet file ({exc})") from None


def _npz_names(path: Path) -> list[str]:
    """The NPZ's array names (for an optional target)."""
    try:
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as f:
            return list(f.files)
    except Exception as exc:
        raise DataError(f"{path}: not a readable .npz file ({exc})") from None


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
