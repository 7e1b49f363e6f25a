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


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_bar_on_a_terminal():
    out = Terminal()
    tick, close = progress(10, out)
    tick(RECORD)
    close()
    text = out.getvalue()
    assert "\n" not in text.rstrip("\n") or "\r" in text
    assert "3/10" in text or "30%" in text


def test_off_and_bad_mode():
    out = io.StringIO()
    tick, close = progress(5, out, "off")
    tick(RECORD)
    close()
    assert out.getvalue() == ""
    with pytest.raises(ValueError, match="unknown progress mode"):
        progress(5, out, "fancy")
