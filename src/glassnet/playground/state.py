"""The playground app's state: one session, the one user file it may read, its uploads.

:class:`Playground` owns the :class:`~glassnet.playground.session.Session`, the table
named on the command line or uploaded last (the only user file the server reads) and a
private temporary folder for uploads and downloads.
"""

from __future__ import annotations

import csv
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from glassnet.core.validation import DataError
from glassnet.playground.session import Session
from glassnet.playground.settings import Settings, parse
from glassnet.playground.sources import DataSet, builtin, from_table


class Playground:
    """The app's state: one session, the file it may read, its upload folder."""

    def __init__(self, data_file: Path | None, target: str | None, max_upload: int) -> None:
        self.closing = threading.Event()  # set first when the server stops: streams end
        self.max_upload, self.uploads = max_upload, 0
        self.file, self.file_name = data_file, data_file.name if data_file else ""
        settings = Settings(data="file", target=target or "") if data_file else Settings()
        self.session = Session(self.dataset(settings), settings)  # DataError: nothing to undo
        self.folder = tempfile.TemporaryDirectory(prefix="glassnet-playground-")
        self.static = {
            p.name: p for p in resources.files("glassnet.playground").joinpath("static").iterdir()
        }  # fmt: skip

    def dataset(self, s: Settings) -> DataSet:
        if s.data != "file":
            return builtin(s.data, s.n_samples, s.noise, s.seed)
        if self.file is None:
            raise DataError("no table yet: upload a CSV file first")
        return from_table(self.file, s.target or columns(self.file)[-1], self.file_name)

    def apply(self, raw: dict[str, Any]) -> None:
        s = parse(raw, self.session.settings)
        if s.data == "file" and not s.target and self.file is not None:
            s = parse({"target": columns(self.file)[-1]}, s)
        self.session.reset(self.dataset(s), s)

    def close(self) -> None:
        self.closing.set()
        self.session.close()
        self.folder.cleanup()


def columns(path: Path) -> list[str]:
    """The column names in the first line of a CSV file (for the target menu)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"not a readable CSV file ({exc})") from None
    names = [h.strip() for h in header]
    if not any(names):
        raise DataError("not a table: the first line names no columns")
    return names
