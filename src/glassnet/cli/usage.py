"""The two errors of arguments that do not fit together: one line on stderr, exit code 2
(:mod:`glassnet.cli.checks` raises them; :mod:`glassnet.cli.main` reports them)."""

from __future__ import annotations

from glassnet.core.validation import DataError


class UsageError(Exception):
    """Arguments that do not fit together, reported as one line with exit code 2."""


class NotApplicable(UsageError, DataError):
    """An option that cannot apply to the data or model it is given (``--proba`` for a
    regressor, a ``--row`` past the last row, a split that leaves no training rows, ``--task``
    against the targets): exit code 2 on the command line, a ``DataError`` (``ValueError``)
    to Python callers of the functions that raise it."""
