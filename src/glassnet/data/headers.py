"""A table's column names as glassnet reads them: stripped, an empty one named as pandas
names it, and never two alike (:func:`unique_names`, the one check every reader makes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from glassnet.core.validation import DataError

if TYPE_CHECKING:  # an annotation only: the encoding imports the readers that import this
    from glassnet.data.encoding import Encoding


def named_header(names: Any) -> list[str]:
    """A file's column names, stripped, with an empty one named as pandas names it,
    ``Unnamed: i`` (``i`` its position from 0): the index column ``df.to_csv(path)``
    writes, an Excel file's trailing comma. A name the options (``--drop``,
    ``--features``) can give, where ``''`` cannot be given."""
    stripped = [str(n).strip() for n in names]
    return [n or f"Unnamed: {i}" for i, n in enumerate(stripped)]


def unique_names(where: str, names: Sequence[Any]) -> None:
    """Raise :class:`DataError` ``where: duplicate column names: a, b`` when two columns of a
    table (a CSV or Parquet file, a pandas DataFrame) have the same name: a column named
    twice cannot be read by its name (which of the two would be the feature?). Every
    reader checks it: a whole read, a streamed one, the target's alone, a DataFrame."""
    counts = Counter(str(n) for n in names)
    duplicated = sorted(n for n, k in counts.items() if k > 1)
    if duplicated:
        raise DataError(f"{where}: duplicate column names: {', '.join(duplicated)}")


def matched(encoding: Encoding, header: Sequence[str]) -> Encoding:
    """``encoding`` read against a table's ``header`` (named by :func:`named_header`): a
    column stored as ``''`` (by a model saved before empty headers were named, 0.2) is the
    header's one ``Unnamed: i`` column the encoding does not name already; unchanged when
    the header has ``''`` itself, or no such column or several (the missing column is then
    named as ever)."""
    names = encoding.names
    if "" not in names or "" in header:
        return encoding
    unnamed = [h for h in header if h.startswith("Unnamed: ") and h not in names]
    if len(unnamed) != 1:
        return encoding
    columns = (replace(c, name=unnamed[0]) if c.name == "" else c for c in encoding.columns)
    return type(encoding)(tuple(columns))
