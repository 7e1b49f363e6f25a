"""The learning-rate schedule of ``glassnet train`` and ``glassnet sweep``: ``--schedule``
and the options that set its constants (:func:`add_schedule`), the schedule they make
(:func:`schedule_from_args`; an option the schedule does not use is refused, exit code 2),
and a schedule in the command line's words (:func:`schedule_argv`, :func:`schedule_words`).

The constants are the fields of :mod:`glassnet.core.schedules`' classes, whose defaults
the help shows; the rate of epoch ``e = 1, 2, ...`` from ``--lr`` is each class's formula.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import math
import re
from collections.abc import Sequence
from typing import Any

from glassnet.cli.argtypes import at_least_one, non_negative_int, number_in
from glassnet.cli.usage import UsageError
from glassnet.core.schedules import (
    SCHEDULES,
    ExponentialDecay,
    InverseScaling,
    ReduceOnPlateau,
    Schedule,
    StepDecay,
)

__all__ = ["CONSTANTS", "NAMES", "add_schedule", "plateau_watches", "schedule_argv",
           "schedule_differs", "schedule_from_args", "schedule_words"]  # fmt: skip

NAMES = ("constant", "step", "exponential", "invscaling", "plateau")  # --schedule's choices

# each constant's option -> {schedule name: the field of its class it sets}
CONSTANTS: dict[str, dict[str, str]] = {
    "lr_decay": {"step": "gamma", "exponential": "gamma", "plateau": "factor"},
    "step_every": {"step": "every"},
    "power_t": {"invscaling": "power"},
    "plateau_patience": {"plateau": "patience"},
    "plateau_threshold": {"plateau": "threshold"},
    "plateau_min_lr": {"plateau": "min_lr"},
}


def _default(kind: type, field: str) -> Any:
    return {f.name: f.default for f in dataclasses.fields(kind)}[field]


def add_schedule(add: Any, whose: str = "") -> None:
    """``--schedule`` (not given: constant) and its constants, each help text with its
    part in the formula and its default; ``whose``: said after "learning-rate schedule"."""
    step, plateau = StepDecay, ReduceOnPlateau
    add("--schedule", choices=NAMES,
        help=f"learning-rate schedule{whose} (default: constant). Epoch e = 1, 2, ... trains at: "
        "constant: LR; step: LR * DECAY^floor((e-1)/EVERY); exponential: LR * DECAY^(e-1); "
        "invscaling: LR / e^POWER_T (e counts epochs; scikit-learn's "
        "learning_rate='invscaling' counts samples seen, t: LR / (t+1)^POWER_T); plateau: "
        "LR, times DECAY each time more than PATIENCE epochs in a row fail to bring the "
        "monitored loss below best * (1 - THRESHOLD) (best: its lowest so far), never below "
        "MIN_LR; plateau monitors the validation loss, or with --val-fraction 0 the epoch's "
        "mean training loss")  # fmt: skip
    add("--lr-decay", type=number_in(0, 1, open_low=True, open_high=False), metavar="DECAY",
        help="the factor of step, exponential and plateau, in (0, 1] (default: "
        f"{_default(step, 'gamma'):g} for step, {_default(ExponentialDecay, 'gamma'):g} for "
        f"exponential, {_default(plateau, 'factor'):g} for plateau)")  # fmt: skip
    add("--step-every", type=at_least_one, metavar="EVERY",
        help=f"step: epochs between cuts of the rate (default: {_default(step, 'every')})")
    add("--power-t", type=number_in(0, math.inf, open_low=False, open_high=True),
        metavar="POWER_T",
        help=f"invscaling: the power, at least 0 (default: {_default(InverseScaling, 'power'):g})")
    add("--plateau-patience", type=non_negative_int, metavar="PATIENCE",
        help="plateau: epochs without improvement tolerated before a cut; early stopping "
        "watches the same loss (--patience), so keep it lower (default: "
        f"{_default(plateau, 'patience')})")  # fmt: skip
    add("--plateau-threshold", type=number_in(0, 1, open_low=False, open_high=True),
        metavar="THRESHOLD", help="plateau: the relative improvement that counts, in [0, 1) "
        f"(default: {_default(plateau, 'threshold'):g})")  # fmt: skip
    add("--plateau-min-lr", type=number_in(0, math.inf, open_low=False, open_high=True),
        metavar="MIN_LR", help="plateau: the lowest rate a cut gives, below --lr "
        f"(default: {_default(plateau, 'min_lr'):g})")  # fmt: skip


def schedule_from_args(args: argparse.Namespace, rates: Sequence[float]) -> Schedule | None:
    """The schedule ``--schedule`` names with the constants given (``None`` for constant,
    as :class:`~glassnet.cli.recipe.Recipe` keeps it), for the learning rates ``rates``.

    Raises :class:`UsageError` (one line, exit code 2) for a constant the schedule does not
    use, and for ``--plateau-min-lr`` not below every rate (a cut would raise the rate)."""
    name = getattr(args, "schedule", None) or "constant"
    given = {o: getattr(args, o) for o in CONSTANTS if getattr(args, o, None) is not None}
    foreign = [o for o in given if name not in CONSTANTS[o]]
    if foreign:
        options = " and ".join(_flag(o) for o in foreign)
        verb = "does" if len(foreign) == 1 else "do"
        given_name = getattr(args, "schedule", None) is not None
        to = f"to --schedule {name}" if given_name else "without --schedule (a constant rate)"
        whose = "; ".join(f"{_flag(o)} is a constant of {_listed(list(CONSTANTS[o]))}"
                          for o in foreign)  # fmt: skip
        raise UsageError(f"{options} {verb} not apply {to} ({whose})")
    low = min(rates, default=math.inf)
    if given.get("plateau_min_lr", -1.0) >= low:
        raise UsageError(f"--plateau-min-lr {given['plateau_min_lr']:g} is not below --lr "
                         f"{low:g}: plateau's cuts never go below it")  # fmt: skip
    if name == "constant":
        return None
    fields = {CONSTANTS[o][name]: value for o, value in given.items()}
    return SCHEDULES[name](**fields)  # the options' types keep every value in range


def plateau_watches(schedule: Schedule | None, val_size: float | int | None) -> str | None:
    """The line that says what ``--schedule plateau`` watches when there is no validation
    set (``--val-fraction 0``): the training loss; ``None`` otherwise."""
    if not isinstance(schedule, ReduceOnPlateau) or val_size:
        return None
    return ("--schedule plateau watches the training loss (each epoch's mean over its "
            "minibatches), there being no validation loss")  # fmt: skip


def schedule_argv(schedule: Schedule | None) -> list[str]:
    """``schedule`` as ``glassnet train``'s options: ``["--schedule", "step",
    "--lr-decay", "0.7"]``, its constants only where they differ from the defaults."""
    if schedule is None:
        return ["--schedule", "constant"]
    name = next(k for k, kind in SCHEDULES.items() if isinstance(schedule, kind))
    argv = ["--schedule", name]
    for field, value in _changed(schedule).items():
        argv += [_option(name, field), repr(value)]
    return argv


def schedule_words(text: Any) -> str:
    """A stored schedule (``repr``, as a checkpoint's settings keep it, e.g.
    ``StepDecay(every=5, gamma=0.5)``) in the command line's words: ``--schedule step
    --step-every 5``; text it cannot read, as it is."""
    schedule = _parsed(text)
    return str(text) if schedule is None else " ".join(schedule_argv(schedule))


def schedule_differs(saved: Any, now: Any) -> str:
    """Two stored schedules (``repr``) that differ, in the command line's words: of one
    kind, each constant that differs (``--step-every 10 in the checkpoint, now
    --step-every 5``); else the whole (``--schedule constant in the checkpoint, now
    --schedule step --lr-decay 0.7``)."""
    old, new = _parsed(saved), _parsed(now)
    if old is not None and new is not None and type(old) is type(new):
        name = next(k for k, kind in SCHEDULES.items() if isinstance(new, kind))
        return "; ".join(
            f"{_option(name, f.name)} {getattr(old, f.name)!r} in the checkpoint, now "
            f"{_option(name, f.name)} {getattr(new, f.name)!r}"
            for f in dataclasses.fields(new) if getattr(old, f.name) != getattr(new, f.name)
        )  # fmt: skip
    return f"{schedule_words(saved)} in the checkpoint, now {schedule_words(now)}"


def _parsed(text: Any) -> Schedule | None:
    """The schedule of a ``repr``, ``None`` if unreadable."""
    match = re.fullmatch(r"(\w+)\((.*)\)", str(text))
    kinds = {kind.__name__: kind for kind in SCHEDULES.values()}
    if match is None or match[1] not in kinds:
        return None
    try:
        fields = {k: ast.literal_eval(v) for k, v in re.findall(r"(\w+)=([^,]+)", match[2])}
        return kinds[match[1]](**fields)
    except (ValueError, TypeError, SyntaxError):
        return None


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _changed(schedule: Schedule) -> dict[str, Any]:
    return {f.name: getattr(schedule, f.name) for f in dataclasses.fields(schedule)
            if getattr(schedule, f.name) != f.default}  # fmt: skip


def _option(name: str, field: str) -> str:
    """The option that sets ``field`` of schedule ``name`` (a field no option sets, such
    as :class:`InverseScaling`'s ``per``, by its own name)."""
    options = [o for o, fields in CONSTANTS.items() if fields.get(name) == field]
    return _flag(options[0]) if options else field
