"""The optimizer's rule in the compiled step: the optimizer's own ``rule``, recorded once
over a workspace's flat vectors and replayed at every step, the learning rate read at replay.

:func:`compile_rule` runs, for each chunk of one network's flat vectors
(:meth:`glassnet.core.workspace.Workspace.chunks`)::

    update, slots = opt.rule(grad, slots, t, out=grad, scratch=tmp)    # the rule, as written
    theta <- theta + update

while :func:`glassnet.core._backend.recording` records the NumPy calls they make, with the
optimizer's learning rate bound to a 0-d buffer of the workspace's dtype
(:attr:`RuleTape.learning_rate`): each step writes the rate there and replays the calls,
so a schedule never recompiles and no formula is restated.

Whether replaying is the rule is checked, not assumed: the calls are replayed at another
learning rate and step number on other values and compared with the rule's own result
(allocating, no buffers) to the last bit. A rule that bakes a number into its calls fails
the check: Adam's bias correction (the step number ``t``), or a rule that does Python
arithmetic on the rate before the call (``-mu``). Such a rule is not compiled (``None``), and the
step calls it every time, as before.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import numpy as np

from glassnet.core._backend import NotRecordable, namespace, recording
from glassnet.core._types import Array
from glassnet.core.call_forms import prepared
from glassnet.core.program import replay
from glassnet.core.workspace import Calls, Workspace

RECORD_AT = (0.375, 1)  # learning rate and step number while recording ...
CHECK_AT = (0.0625, 2)  # ... and while checking: a number baked into a call shows


class RuleTape(NamedTuple):
    """An optimizer's rule as NumPy calls into one workspace's flat vectors."""

    learning_rate: Array  # () of the workspace's dtype: written before every replay
    chunks: list[Calls]  # per chunk of the flat vectors: the rule, then theta += update


def rule_tape(ws: Workspace, opt: Any, size: int) -> RuleTape | None:
    """The compiled rule of ``opt`` for ``ws`` (chunks of ``size``), its learning rate
    written; ``None`` where it cannot be compiled (see the module docstring). Compiled once
    per optimizer and chunk size (an optimizer that differs only in its rate shares it)."""
    used, tape = ws.rule_in_use
    if opt is used:  # (the loop's optimizer, step after step: its rate is written)
        return tape
    tape = None
    lr = opt.learning_rate
    if ws.members is None and _cast_as_numpy_would(lr, ws.dtype):
        key = _key(opt, size)
        if key is not None:
            if key not in ws.rules:
                ws.rules[key] = compile_rule(ws, opt, size)
            tape = ws.rules[key]
        if tape is not None:
            with np.errstate(over="ignore"):
                tape.learning_rate[()] = lr
            if not np.isfinite(tape.learning_rate):  # beyond float32: the rule as it is
                tape = None
    ws.rule_in_use = (opt, tape)
    return tape


def _cast_as_numpy_would(lr: Any, dtype: np.dtype[Any]) -> bool:
    """Whether ``lr`` in a 0-d buffer of ``dtype`` is the number the rule's NumPy calls
    would compute with: a Python number (cast to the arrays' dtype), or a NumPy scalar that
    does not widen ``dtype`` (``np.float64`` with float32 arrays computes in float64). Not
    an array (a population's rate per member)."""
    if type(lr) in (float, int):
        return True
    return isinstance(lr, np.floating) and np.result_type(lr, dtype) == dtype


def _key(opt: Any, size: int) -> tuple[Any, ...] | None:
    """``opt``'s type and hyperparameters other than the learning rate, and ``size``;
    ``None`` for a hyperparameter that is not a number (an array: nothing is compiled)."""
    others = [getattr(opt, f.name) for f in dataclasses.fields(opt) if f.name != "learning_rate"]
    if not all(type(v) in (float, int) for v in others):
        return None
    return (type(opt), *others, size)


def compile_rule(ws: Workspace, opt: Any, size: int) -> RuleTape | None:
    """``opt``'s rule and ``theta += update`` over ``ws``'s chunks of ``size``, recorded
    (:class:`RuleTape`), or ``None`` if a call has no output buffer or the check fails.
    The workspace's vectors are left as they were."""
    flats = (ws.theta, ws.grad, ws.tmp, *ws.slots)
    saved = [flat.copy() for flat in flats]
    lr = np.zeros((), ws.dtype)
    try:
        with np.errstate(all="ignore"):
            lr[()] = RECORD_AT[0]
            calls = _recorded(dataclasses.replace(opt, learning_rate=lr), ws, size)
            tape = None if calls is None else RuleTape(lr, calls)
            if tape is not None and not _replays_the_rule(tape, opt, ws):
                tape = None
    finally:
        for flat, values in zip(flats, saved, strict=True):
            np.copyto(flat, values)
    return tape


def _recorded(opt: Any, ws: Workspace, size: int) -> list[Calls] | None:
    """The calls of ``opt.rule`` and ``theta += update`` per chunk (``None``: a call
    without an output buffer)."""
    chunks: list[Calls] = []
    try:
        with recording() as tape:
            for c in ws.chunks(size):
                start = len(tape.calls)
                update, _ = opt.rule(c.grad, c.slots, RECORD_AT[1], out=c.grad, scratch=c.scratch)
                namespace(c.theta).add(c.theta, update, out=c.theta)
                chunks.append([prepared(call) for call in tape.calls[start:]])
    except NotRecordable:
        return None
    return chunks


def _replays_the_rule(tape: RuleTape, opt: Any, ws: Workspace) -> bool:
    """Whether replaying ``tape`` at ``CHECK_AT`` gives, to the last bit, the parameters
    and slots that ``opt``'s rule gives there without buffers (on values in [0.5, 1.5))."""
    rng = np.random.default_rng(0)
    flats = (ws.theta, ws.grad, ws.tmp, *ws.slots)
    for flat in flats:
        flat[...] = rng.uniform(0.5, 1.5, flat.shape)
    theta, g, slots = ws.theta.copy(), ws.grad.copy(), tuple(s.copy() for s in ws.slots)
    rate, t = CHECK_AT
    update, new_slots = dataclasses.replace(opt, learning_rate=rate).rule(g, slots, t)
    expected = [theta + update, *new_slots]
    tape.learning_rate[()] = rate
    for calls in tape.chunks:
        replay(calls)
    got = [ws.theta, *ws.slots[: len(new_slots)]]
    pairs = zip(got, expected, strict=True)
    return all(a.dtype == b.dtype and np.array_equal(a, b) for a, b in pairs)
