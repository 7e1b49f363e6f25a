"""The update half of the compiled step (:mod:`glassnet.core.fast`): the L2 term and
``theta <- theta + update`` in the workspace's flat buffers, fused into the weight
gradients' products where the rule is affine (:mod:`glassnet.core.fused`), replayed where
the optimizer's rule was recorded (:mod:`glassnet.core.compiled_rule`), called otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.compiled_rule import rule_tape
from glassnet.core.fused import AffineRule, affine_rule
from glassnet.core.fused import update as fused_update
from glassnet.core.optimizers import Optimizer
from glassnet.core.program import replay
from glassnet.core.regularization import l2_penalty
from glassnet.core.workspace import Program, Workspace

_NUMBERS = (float, int)  # one L2 scale for all (else one per member of a population)
CHUNK = 1 << 16  # parameters per pass of the optimizer rule over a long vector (see update)


def fusion(ws: Workspace, opt: Optimizer, t: int, n: int) -> AffineRule | None:
    """The rule to fuse into the weight gradients' products for a batch of ``n`` rows, or
    None: no products to fuse into (a small network, no scipy) or a rule that is not affine
    (:func:`glassnet.core.fused.affine_rule`)."""
    program = ws.programs.get(n)  # (the step that compiles computes the whole gradient)
    return affine_rule(opt, t) if program is not None and program.products else None


def update(
    ws: Workspace, opt: Optimizer, l2_scale: Any, t: int, program: Program,
    rule: AffineRule | None,
) -> Any:  # fmt: skip
    """The L2 term (when ``l2_scale``), then ``theta <- theta + update``; the penalty.

    With an affine ``rule`` and the program's weight products, the update is fused into
    them (:func:`glassnet.core.fused.update`). Otherwise one network's flat vectors are
    updated ``CHUNK`` parameters at a time
    (:meth:`Workspace.chunks`): the L2 term of the weights in a chunk, the rule's few passes
    and the sum then find their operands in the cache (elementwise, so the numbers are
    those of whole vectors; ``benchmarks/public_api.py``'s large network gains a third of
    the update, and the L2 term costs little more than its arithmetic). A population's
    vectors are updated whole."""
    if rule is not None and program.products:
        return fused_update(ws, program.products, opt, rule, t, l2_scale)
    decay = l2_scale if type(l2_scale) in _NUMBERS else np.any(l2_scale)
    if ws.members is not None:  # (one scale per member)
        penalty = 0.0
        if decay:
            penalty, _ = l2_penalty(ws.params, ws.grads, l2_scale, ws.grads, ws.scratch_views)
        update, _ = opt.rule(ws.grad, ws.slots, t, out=ws.grad, scratch=ws.tmp)
        np.add(ws.theta, update, out=ws.theta)
        return penalty
    penalty = 0.0
    # the rule's own calls, recorded (None: not recordable, or not worth recording: a program
    # with weight products fuses an affine rule from its next step on, so the step that
    # compiled it calls the rule, as it stands, once)
    fuses_next = program.products and affine_rule(opt, t) is not None
    tape = None if fuses_next else rule_tape(ws, opt, CHUNK)
    if tape is not None and not decay:
        for calls in tape.chunks:
            replay(calls)
        return penalty
    for i, c in enumerate(ws.chunks(CHUNK)):
        if decay and c.weights:
            part, _ = l2_penalty(c.weights, c.weight_grads, l2_scale, c.weight_grads,
                                 c.weight_scratch)  # fmt: skip
            penalty += part
        if tape is not None:
            replay(tape.chunks[i])
            continue
        update, _ = opt.rule(c.grad, c.slots, t, out=c.grad, scratch=c.scratch)
        np.add(c.theta, update, out=c.theta)
    return penalty


def replayed(
    ws: Workspace, opt: Optimizer, X: Array, T: Array, sample_weight: Array | None, l2_scale: Any
) -> float | None:
    """The step as two replays, the pass and the rule, where nothing else is to be done: one
    network, a compiled program whose batch is already in its buffers (a full batch), no
    sample weights, no L2, a compiled rule, no fused products. The loss; None otherwise
    (then :func:`glassnet.core.fast.step` goes the general way, which computes the same)."""
    program = ws.programs.get(X.shape[-2])
    if program is None or X is not program.X or T is not program.T or program.products:
        return None
    if sample_weight is not None or type(l2_scale) not in _NUMBERS or l2_scale:
        return None
    tape = rule_tape(ws, opt, CHUNK) if ws.members is None else None
    if tape is None:
        return None
    replay(program.unweighted)
    loss = float(program.total)
    for calls in tape.chunks:
        replay(calls)
    return loss


__all__ = ["CHUNK", "fusion", "replayed", "update"]
