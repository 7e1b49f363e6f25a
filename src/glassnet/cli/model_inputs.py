"""Which data a saved model takes: a table (CSV, Parquet: :data:`TABLES`) by its columns'
names (:func:`model_columns`), refused where the model was trained on arrays and the table
lacks their names (:func:`check_table`), and the feature count it needs
(:func:`check_width`, :func:`width_error`). Reading the data is
:mod:`glassnet.cli.model_data`'s."""

from __future__ import annotations

import re
from pathlib import Path

from glassnet.core._types import Array
from glassnet.core.wording import counted
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model

__all__ = [
    "ARRAY_NAME", "TABLES", "check_table", "check_width", "model_columns", "trained_on_arrays",
    "width_error",
]  # fmt: skip


TABLES = (".csv", ".parquet", ".pq")


def model_columns(model: Model) -> tuple[str, ...]:
    """The columns a table gives ``model``: its encoding's, else its feature names."""
    return model.encoding.names if model.encoding is not None else model.feature_names


ARRAY_NAME = re.compile(r"x\d+")  # how glassnet names an array file's columns: x0, x1, ...


def trained_on_arrays(model: Model) -> bool:
    """Whether ``glassnet train`` trained ``model`` on arrays (an NPY/NPZ file or a built-in
    data set): no column encoding, not an estimator's, its features named by position as
    glassnet names an array's columns (``x0``, ``x1``, ...), names the user never wrote."""
    names = model.feature_names
    return (model.encoding is None and "estimator" not in model.settings and bool(names)
            and all(ARRAY_NAME.fullmatch(n) for n in names))  # fmt: skip


def check_table(model: Model, path: str) -> None:
    """Refuse a table (CSV, Parquet) given to a model trained on arrays unless it has the
    columns by the names the arrays' were given (``x0``, ``x1``, ...), saying what the
    model was trained on and what it needs (NU11 #10e; an estimator fitted on arrays says
    the same). Raises :class:`DataError`."""
    if not trained_on_arrays(model) or Path(path).suffix.lower() not in TABLES:
        return
    if not Path(path).is_file():
        return  # the reader names a missing file
    header = set(_header(Path(path)))
    if all(n in header for n in model.feature_names):
        return  # a table written with those names: read by name, as ever
    names = model.feature_names
    n = counted(len(names), "feature column")
    raise DataError(f"{path}: this model was trained on arrays ({n} without names, as in "
                    "an .npy or .npz file); give it a .npy or .npz with those columns in the "
                    f"same order (or a table whose columns are named {names[0]} ... "
                    f"{names[-1]})")  # fmt: skip


def _header(path: Path) -> list[str]:
    """A table's column names as glassnet reads them."""
    from glassnet.data.headers import named_header

    if path.suffix.lower() == ".csv":
        from glassnet.data.blocks import header_row

        return named_header(header_row(path))
    import pyarrow.parquet as pq

    return named_header(pq.read_schema(path).names)


def width_error(model: Model, width: int) -> DataError:
    """The data's feature count is not the model's: that, and for a model trained on a
    table (whose columns were encoded into its features) what it needs: the table's
    columns by name (an array file gives the encoded features by position)."""
    said = f"the model expects {counted(model.n_features, 'feature')}, the data has {width}"
    if model.encoding is None:
        return DataError(said)
    names = list(model.encoding.names)
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    return DataError(f"{said}; the model was trained on a table ({counted(len(names), 'column')}: "
                     f"{shown}, encoded as {counted(model.n_features, 'feature')}): give it a "
                     ".csv or .parquet with those columns")


def check_width(model: Model, X: Array, path: str) -> None:
    """Raise :class:`DataError` naming ``path`` when the block ``X (B, D)`` has another
    feature count than the model's (:func:`width_error`'s line)."""
    if X.shape[1] != model.n_features:
        raise DataError(f"{path}: {width_error(model, X.shape[1])}")
