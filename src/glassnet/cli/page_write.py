"""How ``glassnet report`` writes its page, under stop signals (NU11 #23).

The page is built first (its figures may take seconds; a stop signal then acts at once and
nothing is written). It is then written beside ``--out`` and renamed into place
(:class:`glassnet.files.fileio.StreamedWrite`): a signal as it is written leaves ``--out``
as it was, and one as it is renamed acts just after, once the page is whole. Each case is
one line on stderr and the signal's exit code (130 for Ctrl-C).
"""

from __future__ import annotations

import sys
from pathlib import Path

from glassnet.cli.replacing import Replaced
from glassnet.cli.stops import exit_code, signal_name, stop_point
from glassnet.files.fileio import StreamedWrite

__all__ = ["write_page"]


def write_page(out: Path, page: str) -> int:
    """Write the HTML ``page`` to ``out`` and print ``wrote OUT``; returns 0, or the stop
    signal's exit code when one came before or as the page was written (said in one line:
    whether ``out`` was written whole or left as it was)."""
    stop_point()  # a signal that came earlier and was lost (cli.stops): nothing written
    before = Replaced(out)
    stream = StreamedWrite(out)
    try:
        stream.run(lambda f: f.write(page.encode("utf-8")))
    except KeyboardInterrupt:
        if not stream.renamed:
            kept = "left as it was" if before.before else "not created"
            _say(f"interrupted by {signal_name()}; nothing was written: {out} was {kept}")
            return exit_code()
        before.note([out])
        print(f"wrote {out}")
        _say(f"{signal_name()} came as {out} was renamed into place: the report is whole")
        return exit_code()
    before.note([out])
    print(f"wrote {out}")
    return 0


def _say(line: str) -> None:
    print(f"glassnet report: {line}", file=sys.stderr)
