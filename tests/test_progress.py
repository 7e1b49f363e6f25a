import io

import pytest

from glassnet.train.loop import EpochRecord
from glassnet.train.progress import describe, progress

RECORD = EpochRecord(3, 0.25, 0.5, 0.9, 0.8, 0.001, 0.01)


def test_describe():
    assert describe(RECORD) == ("loss 0.2500  acc 90.0%  val_loss 0.5000  val_acc 80.0%  lr 0.001")
    assert describe(EpochRecord(1, 1.0, None, None, None, 0.1, 0.0)) == "loss 1.0000  lr 0.1"


def test_lines_when_not_a_terminal():
    out = io.StringIO()
    tick, close = progress(10, out)  # StringIO is not a tty: one line per epoch
    tick(RECORD)
    close()
    assert out.getvalue() == f"epoch  3/10  {describe(RECORD)}\n"


pty = pytest.importorskip("pty")


@pytest.fixture
def terminal():
    """``terminal(columns, rows)``: a text stream on a real pseudo-terminal of that size,
    and a function that returns what was drawn on it."""
    import fcntl
    import os
    import struct
    import termios

    opened = []

    def make(columns, rows):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        stream = open(slave, "w", closefd=True)  # noqa: SIM115 (closed below)
        opened.append((master, stream))
        return stream, lambda: os.read(master, 1 << 16).decode()

    yield make
    for master, stream in opened:
        stream.close()
        os.close(master)


def test_bar_on_a_terminal(terminal):
    out, drawn = terminal(80, 24)
    tick, close = progress(10, out)
    tick(RECORD)
    close()
    text = drawn()
    assert "\r" in text and "/10" in text  # tqdm's bar, or the plain one when tqdm is absent
    assert "epoch  3/10" not in text  # not the line-per-epoch form


@pytest.mark.parametrize(("columns", "rows"), [(0, 0), (0, 24), (12, 5)])
def test_a_terminal_without_a_usable_size_gets_one_line_per_epoch(terminal, columns, rows):
    out, drawn = terminal(columns, rows)
    tick, close = progress(10, out)
    tick(RECORD)
    close()
    assert drawn().replace("\r\n", "\n") == f"epoch  3/10  {describe(RECORD)}\n"


def test_a_bar_asked_for_on_a_0x0_terminal_is_drawn_80_wide(terminal):
    out, drawn = terminal(0, 0)
    tick, close = progress(10, out, "bar")
    tick(RECORD)
    close()
    lines = [line for line in drawn().replace("\n", "\r").split("\r") if line.strip()]
    assert lines and all(0 < len(line) <= 80 for line in lines), lines
    assert any("3/10" in line for line in lines)


class Terminal(io.StringIO):
    """A stream that says it is a terminal but has no file descriptor to ask the size of."""

    def isatty(self):
        return True


def test_a_terminal_that_cannot_tell_its_size_gets_lines():
    out = Terminal()
    tick, close = progress(10, out)
    tick(RECORD)
    close()
    assert out.getvalue() == f"epoch  3/10  {describe(RECORD)}\n"


def test_off_and_bad_mode():
    out = io.StringIO()
    tick, close = progress(5, out, "off")
    tick(RECORD)
    close()
    assert out.getvalue() == ""
    with pytest.raises(ValueError, match="unknown progress mode"):
        progress(5, out, "fancy")
