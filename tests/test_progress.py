import io

import pytest

from glassnet.train.loop import EpochRecord
from glassnet.train.progress import describe, fitted, loss_text, progress

RECORD = EpochRecord(3, 0.25, 0.5, 0.9, 0.8, 0.001, 0.01)


def test_describe():
    line = "loss 0.25000  acc 90.0%  val_loss 0.50000  val_acc 80.0%  lr 0.001"
    assert describe(RECORD) == line
    assert describe(EpochRecord(1, 1.0, None, None, None, 0.1, 0.0)) == "loss 1.0000  lr 0.1"


@pytest.mark.parametrize(
    ("loss", "text"),
    [
        (1.2e11, "1.2000e+11"),  # a regression loss in large units: not 120000000000.0000
        (123456.789, "1.2346e+05"),
        (69.4740, "69.474"),
        (0.693147, "0.69315"),
        (3.14159e-7, "3.1416e-07"),  # not 0.0000
        (0.0, "0.0000"),
        # five integer digits: no trailing decimal point ("11456." read as a typo, NU11 #10a)
        (11456.0, "11456"),
        (21285.4, "21285"),
        (-11456.0, "-11456"),
        (99999.4, "99999"),
        (99999.6, "1.0000e+05"),
        (1.2e7, "1.2000e+07"),
        (12.5, "12.500"),
        (0.5, "0.50000"),
        (1e-7, "1.0000e-07"),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
    ],
)
def test_a_loss_shows_five_significant_digits_at_any_scale(loss, text):
    assert loss_text(loss) == text
    if loss and loss == loss and abs(loss) != float("inf"):  # read back to 5 digits
        assert float(text) == pytest.approx(loss, rel=5e-5)
    record = EpochRecord(2, loss, loss, None, None, 0.01, 0.0)
    assert describe(record) == f"loss {text}  val_loss {text}  lr 0.01"


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
        def drawn():  # all that was written, however the terminal hands it over
            import select

            chunks = []
            while select.select([master], [], [], 0.2)[0]:
                chunks.append(os.read(master, 1 << 16))
            return b"".join(chunks).decode()

        return stream, drawn

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


@pytest.mark.parametrize("scale", [1e-4, 1.0, 150.0, 1e6])  # 150: losses of five digits
def test_every_loss_the_train_console_prints_has_five_significant_digits(tmp_path, capsys, scale):
    """The summary, the epoch lines and the ensemble's spread print losses of any scale
    (targets of about 1e-4 to 1e6: losses of about 1e-9 to 1e11) as ``loss_text`` does."""
    import json
    import re

    import numpy as np

    from glassnet.cli.main import main

    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 2))
    np.savez(tmp_path / "d.npz", X=X, y=scale * (X[:, 0] + 0.3 * rng.normal(size=60)))
    argv = ["train", "--data", str(tmp_path / "d.npz"), "--task", "regression", "--epochs", "2"]
    assert main([*argv, "--progress", "lines", "--out", str(tmp_path / "m.npz")]) == 0
    console = "".join(capsys.readouterr())
    history = json.loads((tmp_path / "history.json").read_text())
    shown = re.findall(r"loss (\S+?)[\s,]", console)
    assert len(shown) >= 2 + 2 + 1  # epoch lines, train and validation, epoch 0
    want = [*history["loss"], *history["val_loss"]] + [s["loss"] for s in history["final"].values()]
    for text in shown:
        assert text == loss_text(float(text)) and len(text.replace(".", "")) <= 10
        assert min(abs(float(text) / w - 1) for w in want) < 5e-5
        assert not text.endswith(".")  # NU11 #10a: "11456", not "11456."
        digits = re.sub(r"e[+-]\d+$", "", text).replace(".", "").lstrip("-0")
        assert len(digits) == 5 or float(text) == 0  # five significant digits
    evaluated = ["evaluate", "--model", str(tmp_path / "m.npz"), "--data", argv[2]]
    assert main(evaluated) == 0
    mean = re.search(r"mean loss (\S+) ", capsys.readouterr().out)
    assert mean is not None and not mean.group(1).endswith(".")
    assert mean.group(1) == loss_text(float(mean.group(1)))
    ensemble = ["--ensemble", "2", "--progress", "off", "--out", str(tmp_path / "e.npz")]
    assert main([*argv, *ensemble]) == 0
    line = next(t for t in capsys.readouterr().out.splitlines() if "member loss" in t)
    for text in re.findall(r"\d[\d.]*(?:e[+-]\d+)?", line.split("member loss")[1]):
        assert text == loss_text(float(text))


WIDE = EpochRecord(5, 1.6249e10, 6.1254e9, 0.94, 0.95, 0.003, 0.01)  # NU9 12: long numbers
NARROW = EpochRecord(5, 0.068087, 0.11967, 0.985, 0.94, 0.003, 0.01)


def _whole_fields(text, record):
    """``text`` is made of whole fields of ``record``, in order, each value in full."""
    full = describe(record).split("  ")
    shown = text.split("  ") if text else []
    assert all(field in full for field in shown), (text, full)
    assert shown == [f for f in full if f in shown], text  # in their order
    return shown


@pytest.mark.parametrize("record", [WIDE, NARROW, RECORD])
def test_fields_fitted_to_a_width_are_whole_or_left_out(record):
    full = describe(record)
    for width in range(len(full) + 3):
        text = fitted(record, width)
        assert len(text) <= width
        shown = _whole_fields(text, record)
        assert not text.endswith(" ") and not text.endswith("lr")
        if width >= len(full):
            assert text == full
        if shown:  # the loss is the last to go, the learning rate the first
            assert shown[0].startswith("loss ")


def _drawn_lines(drawn):
    return [line for line in drawn().replace("\n", "\r").split("\r") if line.strip()]


@pytest.mark.parametrize("columns", [40, 45, 50, 53, 60, 70, 80, 100, 130])
@pytest.mark.parametrize("record", [WIDE, NARROW])
def test_the_plain_bar_never_cuts_a_number(terminal, monkeypatch, columns, record):
    monkeypatch.setitem(__import__("sys").modules, "tqdm", None)  # no tqdm: the plain bar
    out, drawn = terminal(columns, 24)
    tick, close = progress(8, out, "bar")
    tick(record)
    close()
    lines = _drawn_lines(drawn)
    assert lines
    for line in lines:
        assert len(line) < columns, line  # no wrapping, which \r cannot redraw
        bar, _, rest = line.rstrip().partition("] 5/8")
        assert bar.startswith("[") and len(bar) >= 2, line
        shown = _whole_fields(rest.strip(), record)
        assert shown or columns < 60, line  # the loss fits from 60 columns on


def test_the_plain_bar_covers_a_longer_earlier_line(terminal, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "tqdm", None)
    out, drawn = terminal(120, 24)
    tick, close = progress(8, out, "bar")
    tick(WIDE)
    tick(EpochRecord(6, 0.5, None, None, None, 0.003, 0.01))  # a shorter line
    close()
    last = [part for part in drawn().split("\r") if part.strip()][-1]
    assert last.rstrip().endswith("6/8  loss 0.50000  lr 0.003"), last
    assert len(last) >= len(describe(WIDE)), last  # spaces over the longer line's end


@pytest.mark.parametrize("columns", [40, 50, 53, 60, 70, 80, 100, 130])
@pytest.mark.parametrize("record", [WIDE, NARROW])
@pytest.mark.parametrize("seconds", [0.5, 1e5])  # a short rate, and a long elapsed time
def test_the_tqdm_bar_never_cuts_a_number(columns, record, seconds):
    """The line tqdm draws (``str(bar)``, as tqdm's ``display`` does), at each width."""
    tqdm = pytest.importorskip("tqdm").tqdm
    from glassnet.train.progress import _fitting_tqdm

    bar = _fitting_tqdm(tqdm)(total=8, file=io.StringIO(), unit="epoch", ncols=columns)
    bar.start_t -= seconds
    bar.record = record
    bar.update(5)
    line = str(bar)
    bar.close()
    assert "5/8" in line and len(line) <= columns, line
    assert line.endswith(("]", "5/8")) or _whole_fields(line.partition("5/8, ")[2], record), line
    _, comma, postfix = line.rpartition("/s, ") if "/s, " in line else ("", "", "")
    if not comma:
        _, comma, postfix = line.rpartition("/epoch, ") if "/epoch, " in line else ("", "", "")
    shown = _whole_fields(postfix.removesuffix("]"), record) if comma else []
    if columns >= 100:
        assert shown, line


def test_tqdm_on_a_terminal_of_0_rows_gives_the_plain_bar(terminal):
    out, drawn = terminal(80, 0)  # tqdm draws nothing on a terminal that has no rows
    tick, close = progress(8, out, "bar")
    tick(NARROW)
    close()
    lines = _drawn_lines(drawn)
    assert any(line.startswith("[") and "5/8  loss 0.068087" in line for line in lines), lines
