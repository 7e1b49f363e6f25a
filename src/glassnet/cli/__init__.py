"""The ``glassnet`` command line and the workflows behind it (train, demo, report, ...).

The top layer: it may import every other layer; nothing imports it.
"""

from glassnet.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
