"""The ``glassnet`` command line and the workflows behind it (train, demo, report, ...).

The top layer: it may import every other layer; nothing imports it. A Ctrl-C while Python
imports the command line (its first half second or so) ends it with one line and exit
code 130, as one at any later moment does (:func:`glassnet.cli.main.main`).
"""

import sys

try:
    from glassnet.cli.main import build_parser, main
except KeyboardInterrupt:  # before main() and its stop signals' handling exist
    print("glassnet: interrupted by SIGINT as it started; nothing was done", file=sys.stderr)
    raise SystemExit(130) from None

__all__ = ["build_parser", "main"]
