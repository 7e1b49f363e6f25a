"""A table's column names as glassnet reads them: stripped, and an empty one named as
pandas names it."""

from __future__ import annotations

from typing import Any


def named_header(names: Any) -> list[str]:
    """A file's column names, stripped, with an empty one named as pandas names it,
    ``Unnamed: i`` (``i`` its position from 0): the index column ``df.to_csv(path)``
    writes, an Excel file's trailing comma. A name the options (``--drop``,
    ``--features``) can give, where ``''`` cannot be given."""
    stripped = [str(n).strip() for n in names]
    return [n or f"Unnamed: {i}" for i, n in enumerate(stripped)]
