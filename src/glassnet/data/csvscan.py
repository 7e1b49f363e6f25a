"""One pass over a CSV file's bytes, before pyarrow parses it: what the parse must allow.

* **quotes**: only a quoted cell can hold a newline or a comma, so pyarrow's slower
  ``newlines_in_values`` is asked for only when a quote follows the header line;
* **blank lines**: a line of only spaces or tabs is a row of the wrong width, which
  pyarrow skips only through a Python ``invalid_row_handler``; empty lines it skips by
  itself. The handler is given only to files that have such a line (:func:`parse_options`),
  because pyarrow calls it, and releases it, on its own threads: a native thread that
  holds Python state at the interpreter's exit can abort the process ("terminate called
  without an active exception", exit code 134).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

CHUNK = 1 << 20  # bytes read at a time while scanning (a memory map would count as resident)
# a line of whitespace, possibly with bytes of non-ASCII text (a no-break space): one that
# pyarrow's handler may have to skip (a line of only "\r" is an empty CRLF line). Searched
# from its newline, a literal that the regex engine finds fast.
_WS = rb" \t\x0b\x0c\x1c-\x1f\x80-\xff"
_BLANK = re.compile(rb"\n\r*[" + _WS + rb"][" + _WS + rb"\r]*(?=\n)")
_SPACES = re.compile(rb"[" + _WS + rb"\r]*")  # what a blank line's start may be


class Scan(NamedTuple):
    quoted: bool  # a quote follows the header line (a header with an unclosed quote: True)
    commas: int  # the commas in the file
    blank: bool  # a line of only whitespace (not empty) that pyarrow must be told to skip


def scan(path: Path) -> Scan:
    """The file's :class:`Scan`, read :data:`CHUNK` bytes at a time."""
    commas, quoted, blank, first, tail = 0, False, False, True, b""
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            commas += chunk.count(b",")
            if first:
                end = chunk.find(b"\n")
                header_open = end < 0 or chunk[:end].count(b'"') % 2
                quoted = b'"' in (chunk if header_open else chunk[end:])
                first = False
            elif not quoted:
                quoted = b'"' in chunk
            if not blank:  # whole lines only; a partial one waits for the next chunk
                text = tail + chunk if tail else chunk
                cut = text.rfind(b"\n") + 1
                blank = _BLANK.search(b"\n" + text[:cut]) is not None
                rest = text[cut:]  # x: the start of a line that is not blank
                tail = rest if _SPACES.fullmatch(rest) else b"x"
    last = tail != b"x" and bool(tail.strip(b"\r"))  # the last line, unended
    return Scan(quoted, commas, blank or last)


def has_quotes(path: Path) -> bool:
    """Whether a quote follows the header line (see :func:`scan`)."""
    return scan(path).quoted


def parse_options(path: Path) -> Any:
    """pyarrow's ``ParseOptions`` for ``path``: newlines in values only when it has quotes,
    and a handler that skips lines of whitespace only when it has such a line."""
    import pyarrow.csv as pcsv

    found = scan(path)
    handler = skip_blank if found.blank else None
    return pcsv.ParseOptions(newlines_in_values=found.quoted, invalid_row_handler=handler)


def skip_blank(row: Any) -> str:
    """pyarrow's ``invalid_row_handler``: skip a row of whitespace, refuse any other."""
    return "skip" if not row.text.strip() else "error"
