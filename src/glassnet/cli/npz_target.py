"""The target every command reads from an ``.npz`` without ``--target``: its array ``y``.

``train`` reads an ``.npz``'s arrays ``X`` and ``y`` (docs/guide/data.md); ``evaluate``,
``report`` and ``explain --model`` take the same default, so a file that trains is
evaluated, reported and explained without ``--target``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from glassnet.cli.checks import UsageError


def default_target(args: argparse.Namespace, required: bool = False) -> None:
    """Set ``args.target`` to ``"y"`` when it is not given and ``args.data`` is an ``.npz``
    holding an array ``y``. With ``required`` a target still missing raises
    :class:`UsageError` (exit code 2)."""
    if args.target is None and args.data is not None and _npz_with_y(Path(args.data)):
        args.target = "y"
    if required and args.target is None:
        raise UsageError("the following arguments are required: --target (the true values' "
                         "column; an .npz's default is its array y)")  # fmt: skip


def _npz_with_y(path: Path) -> bool:
    if path.suffix.lower() != ".npz" or not path.is_file():
        return False  # a missing file is named by the command's own reading
    from glassnet.data.arrays import npz_names

    try:
        return "y" in npz_names(path)
    except (OSError, ValueError):
        return False  # an unreadable file: the command's own reading names the problem
