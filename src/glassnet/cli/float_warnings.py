"""What a NumPy floating-point warning raised in glassnet's code means, in one line.

NumPy warns ``RuntimeWarning: overflow encountered in dot`` (or ``invalid value``, ``divide
by zero``, ``underflow``) where a number became ``inf``, ``nan`` or ``0``. Inside training
such a warning is an error (:data:`glassnet.train.session.FLOAT_ERRORS`), reported as the
run's divergence; elsewhere (scoring new data, the report's figures) it reaches the command
line, where NumPy's words alone say neither where nor why. :func:`float_line` names what
happened, where in glassnet, what the results computed from it may hold and what to try,
by the command: its settings for the commands that train, its data for those that apply a
saved model.
"""

from __future__ import annotations

import os
import re

_NUMPY = re.compile(r"(overflow|invalid value|divide by zero|underflow) encountered in \w+")

_WHAT = {  # NumPy's kind -> (what it is called, what happened, what results may hold)
    "overflow": ("an overflow", "a number grew past the largest float and became inf",
                 "inf or nan"),
    "invalid value": ("an invalid value", "a calculation such as inf - inf or 0/0 gave nan",
                      "nan"),
    "divide by zero": ("a division by zero", "a number divided by 0 became inf", "inf or nan"),
    "underflow": ("an underflow", "a number fell below the smallest float and became 0", "0"),
}  # fmt: skip

TRAINING = ("train", "sweep", "demo", "gradcheck", "playground")  # their settings are the cause
_ADVICE_TRAINING = ("settings far from the defaults (--lr 1e6 or 1e-300, a huge "
                    "--weight-decay) or data with huge values (1e300) do this: try values "
                    "nearer the defaults, or rescale the data")  # fmt: skip
_ADVICE_MODEL = ("values in --data far outside the model's training data (1e300, say) do "
                 "this: look at the rows whose results are nan or inf")  # fmt: skip


def float_kind(message: str) -> str | None:
    """``"overflow"``, ``"invalid value"``, ``"divide by zero"`` or ``"underflow"`` when
    ``message`` is NumPy's floating-point warning; else None."""
    found = _NUMPY.search(message)
    return found.group(1) if found else None


def float_line(message: str, filename: str, lineno: int, command: str | None) -> str | None:
    """The line (without ``glassnet: warning:``) for NumPy's floating-point warning
    ``message`` raised at ``filename:lineno`` in glassnet's code while ``glassnet
    command`` runs; None when ``message`` is not one."""
    kind = float_kind(message)
    if kind is None:
        return None
    called, happened, held = _WHAT[kind]
    advice = _ADVICE_TRAINING if command in TRAINING else _ADVICE_MODEL
    return (f"{called} in {_module(filename)}, line {lineno} (NumPy: \"{message}\"): "
            f"{happened}, so results computed from it may be {held}; {advice}; if none "
            "applies, please report it as a glassnet bug")  # fmt: skip


def _module(filename: str) -> str:
    """``.../glassnet/views/landscape_plane.py`` -> ``glassnet.views.landscape_plane``."""
    parts = os.path.abspath(filename).removesuffix(".py").split(os.sep)
    inside = len(parts) - 1 - parts[::-1].index("glassnet") if "glassnet" in parts else 0
    return ".".join(parts[inside:])
