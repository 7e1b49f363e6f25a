"""On the command line, warnings from other libraries are not the user's to act on.

matplotlib's layout notes, a NumPy deprecation inside a dependency and the like would
reach ``glassnet``'s stderr as multi-line noise between its one-line messages. While a
command runs, :func:`library_warnings_quiet` drops warnings raised from other libraries'
files and prints glassnet's own as one line (``glassnet: warning: ...``). A library's
warning that names glassnet's code as its place (matplotlib's ``warn_external`` names the
caller: "Tight layout not applied" from a glassnet figure) is the library's all the same:
told by the code that raised it. NumPy's floating-point warnings in glassnet's code
("overflow encountered in dot") are said once per command, as what they mean and what to
try (:mod:`glassnet.cli.float_warnings`). A user who chose warning filters (``python -W
...``, ``PYTHONWARNINGS``) keeps Python's usual behaviour.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from types import FrameType
from typing import TextIO

from glassnet.cli.float_warnings import float_kind, float_line

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../glassnet


class _OneLine:
    """``warnings.showwarning`` for a command: glassnet's own warnings as one line each,
    NumPy's floating-point ones once (the first; those after it follow from it)."""

    def __init__(self, command: str | None) -> None:
        self.command = command
        self.said_float = False

    def __call__(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if not _ours(filename) or not _raised_by_glassnet(filename, lineno):
            return  # another library's warning
        text = " ".join(str(message).split())
        if issubclass(category, RuntimeWarning) and float_kind(text) is not None:
            if self.said_float:
                return
            self.said_float = True
            text = float_line(text, filename, lineno, self.command) or text
        print(f"glassnet: warning: {text}", file=file or sys.stderr)


def _ours(filename: str) -> bool:
    return os.path.abspath(filename).startswith(_PACKAGE + os.sep)


def _raised_by_glassnet(filename: str, lineno: int) -> bool:
    """Whether the code that raised the warning, and every call between it and the line the
    warning names (``filename:lineno``, ``stacklevel`` frames up), is glassnet's; a warning
    whose named line is not on the stack (``warn_explicit``) is judged by its file alone."""
    frame: FrameType | None = sys._getframe(2)  # warnings' own code, then the raiser
    while frame is not None and frame.f_globals.get("__name__") in ("warnings", "_py_warnings"):
        frame = frame.f_back
    between: list[str] = []
    while frame is not None:
        if frame.f_code.co_filename == filename and frame.f_lineno == lineno:
            return all(map(_ours, between))
        between.append(frame.f_code.co_filename)
        frame = frame.f_back
    return True


@contextlib.contextmanager
def library_warnings_quiet(command: str | None = None) -> Iterator[None]:
    """Show only glassnet's own warnings, one line each, while the block runs (the
    ``glassnet command`` that runs: it words a NumPy floating-point warning's advice)."""
    if sys.warnoptions:
        yield
        return
    with warnings.catch_warnings():
        warnings.showwarning = _OneLine(command)
        yield
