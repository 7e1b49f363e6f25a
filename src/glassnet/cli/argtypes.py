"""The argument types of the ``glassnet`` command line: each parses one option's text or
raises :class:`argparse.ArgumentTypeError`, which the parser reports as one line, exit code 2."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def _integer(text: str, low: int, expected: str) -> int:
    """``text`` as an integer of at least ``low``, or one line saying what was ``expected``."""
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if value < low:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value


def integer(text: str) -> int:
    """A whole number (``five`` -> "expected an integer, got 'five'")."""
    return _integer(text, -(2**63), "an integer")


def at_least_one(text: str) -> int:
    """A count of at least 1."""
    return _integer(text, 1, "a count of at least 1")


def non_negative_int(text: str) -> int:
    """An integer of at least 0."""
    return _integer(text, 0, "a non-negative integer")


def number_in(
    low: float, high: float, *, open_low: bool, open_high: bool
) -> Callable[[str], float]:
    """An argparse type: a finite number in the interval from ``low`` to ``high``."""
    left, right = "(" if open_low else "[", ")" if open_high else "]"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        below = value <= low if open_low else value < low
        above = value >= high if open_high else value > high
        if not math.isfinite(value) or below or above:
            raise argparse.ArgumentTypeError(
                f"expected a number in {left}{low:g}, {high:g}{right}, got {text}"
            )
        return value

    return parse


def opset(text: str) -> int:
    """An ONNX opset the exporter writes: 13 or newer (the newest one the installed onnx
    knows is checked when exporting)."""
    value = integer(text)
    if value < 13:
        raise argparse.ArgumentTypeError(f"expected an ONNX opset of 13 or newer, got {text}")
    return value


def port(text: str) -> int:
    """A TCP port, 0 for a free one."""
    value = integer(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text}")
    return value


def size(text: str) -> float | int:
    """A split size: a fraction in (0, 1) or a count of at least 2 samples (``1`` is
    refused: it reads as "all rows" to some, "one row" to others)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0 or (value >= 1 and value != int(value)):
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1) or a count, got {text}")
    if value == 1:  # all rows, or one row? neither trains a model worth a held-out score
        raise argparse.ArgumentTypeError(
            "1 is ambiguous: a fraction must be below 1 (such as 0.2), a count of rows at "
            "least 2"
        )
    return value if value < 1 else int(value)


def split_size(text: str) -> float | int:
    """A split size, or 0 for none."""
    try:
        if float(text) == 0:
            return 0
    except ValueError:
        pass
    return size(text)


def hidden(text: str) -> tuple[int, ...]:
    """``64,32`` -> ``(64, 32)``; an empty part (``64,,32``, ``64,``) is an error."""
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected sizes like 64,32 (positive integers, comma-separated), got {text!r}"
        ) from None
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"hidden layer sizes must be positive, got {text!r}")
    return sizes


def no_repeats(values: tuple[object, ...], text: str, what: str) -> None:
    """A list whose items must differ: a repeated one is an error that names it."""
    repeated = [v for i, v in enumerate(values) if v in values[:i]]
    if repeated:
        shown = ", ".join(dict.fromkeys(map(_shown, repeated)))
        raise argparse.ArgumentTypeError(f"{what} {shown} is named twice in {text!r}")


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def architectures(text: str) -> tuple[tuple[int, ...], ...]:
    """``64/32,32`` -> ``((64,), (32, 32))``: architectures separated by ``/``, each once."""
    values = tuple(hidden(part) for part in text.split("/"))
    no_repeats(values, text, "the architecture")
    return values


def floats(text: str) -> tuple[float, ...]:
    """``1e-3,3e-3`` -> ``(0.001, 0.003)``: non-negative finite numbers."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 1e-3,3e-3, got {text!r}") from None
    if not all(math.isfinite(v) for v in values) or min(values) < 0:
        raise argparse.ArgumentTypeError(f"expected non-negative finite numbers, got {text!r}")
    no_repeats(values, text, "the value")
    return values


def column_names(text: str) -> tuple[str, ...]:
    """``age,income`` -> ``("age", "income")``; an empty name (``a,,b``, ``a,``, ``,``) or
    a repeated one (``age,age``) is an error, which says how a column with an empty header
    is named (``Unnamed: 0``). Spaces around a name are dropped."""
    names = tuple(part.strip() for part in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"expected column names like age,income (comma-separated, none empty), got {text!r}"
            "; a column with an empty header is named as pandas names it, 'Unnamed: i' (i its "
            "position from 0): --drop 'Unnamed: 0'"
        )
    no_repeats(names, text, "the column")
    return names
