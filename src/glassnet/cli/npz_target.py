"""The target every command reads from an ``.npz`` without ``--target``: its array ``y``.

``train`` reads an ``.npz``'s arrays ``X`` and ``y`` (docs/guide/data.md); ``evaluate``,
``report``, ``explain --model`` and ``predict`` take the same default, so a file that trains
is evaluated, reported, explained and predicted without ``--target``; a ``--target`` given
for an ``.npz`` is checked the same way by every command (an array of the file, not ``X``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from glassnet.cli.checks import UsageError


def default_target(args: argparse.Namespace, required: bool = False) -> None:
    """Set ``args.target`` to ``"y"`` when it is not given and ``args.data`` is an ``.npz``
    holding an array ``y``. With ``required`` a target still missing raises
    :class:`UsageError` (exit code 2). A target given for an ``.npz`` that is not one of its
    arrays, or is ``X``, raises :class:`~glassnet.data.errors.UnknownColumn` (exit code 2)."""
    names = _npz_names(Path(args.data)) if args.data is not None else None
    if args.target is None and names is not None and "y" in names:
        args.target = "y"
    elif args.target is not None and names is not None:
        from glassnet.data.arrays import check_target_array

        check_target_array(Path(args.data), args.target, names)
    if required and args.target is None:
        raise UsageError("the following arguments are required: --target (the true values' "
                         "column; an .npz's default is its array y)")  # fmt: skip


def _npz_names(path: Path) -> list[str] | None:
    """The arrays of an ``.npz`` file, or None for another file or one that cannot be read
    (the command's own reading names the problem)."""
    if path.suffix.lower() != ".npz" or not path.is_file():
        return None
    from glassnet.data.arrays import npz_names

    try:
        return list(npz_names(path))
    except (OSError, ValueError):
        return None
