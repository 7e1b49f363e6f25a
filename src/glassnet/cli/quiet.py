"""On the command line, warnings from other libraries are not the user's to act on.

matplotlib's layout notes, a NumPy deprecation inside a dependency and the like would
reach ``glassnet``'s stderr as multi-line noise between its one-line messages. While a
command runs, :func:`library_warnings_quiet` drops warnings raised from other libraries'
files and prints glassnet's own as one line (``glassnet: warning: ...``). A user who chose
warning filters (``python -W ...``, ``PYTHONWARNINGS``) keeps Python's usual behaviour.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from typing import TextIO

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../glassnet


def _one_line(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    if not os.path.abspath(filename).startswith(_PACKAGE + os.sep):
        return  # another library's warning
    text = " ".join(str(message).split())
    print(f"glassnet: warning: {text}", file=file or sys.stderr)


@contextlib.contextmanager
def library_warnings_quiet() -> Iterator[None]:
    """Show only glassnet's own warnings, one line each, while the block runs."""
    if sys.warnoptions:
        yield
        return
    with warnings.catch_warnings():
        warnings.showwarning = _one_line
        yield
