"""The compiled step's program: the core's functions bound to a workspace's buffers, and
the NumPy calls they make, recorded once and replayed as one flat list.

:func:`compile_step` binds each layer's ``forward``/``backward``, each activation and the
head's ``loss_and_error`` to the buffers of a :class:`Workspace` for ``n`` samples, runs
them once while :func:`glassnet.core._backend.recording` records every NumPy call they
make (each writes into a buffer), and checks that replaying those calls rewrites every
work buffer as the functions did. Replaying is then the same math with no Python between
the calls (each call prepared for replay: :mod:`glassnet.core.call_forms`). Where a call
cannot be recorded (no output buffer) or the check fails, the program calls the bound
functions themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from glassnet.core._backend import Call, NotRecordable, recording
from glassnet.core._types import Array
from glassnet.core.blas import DOTS, Product, gemm_of
from glassnet.core.call_forms import prepared
from glassnet.core.workspace import Calls, Ops, Program, Workspace


def _ops(ws: Workspace, n: int) -> tuple[Ops, Callable[..., tuple[Any, Array]], Ops]:
    """The forward pass, the head (given the weights) and the backward pass for ``n``
    samples: the core's functions with ``ws``'s buffers bound."""
    net, params, grads = ws.net, ws.params, ws.grads
    X, T, Z, E, S, row = ws.columns(n)
    inputs = [X, *Z[:-1]]  # the input of each dense layer: X, then the hidden activations
    # one network adds b in place (A W into Z: NumPy's in-place add of a row costs from the
    # same to half as much); a population's strided buffers keep A W in the scratch
    scratch = S if ws.members is not None else [None] * len(S)
    forward: Ops = []
    for i, layer in enumerate(net.layers):
        forward.append(partial(layer.forward, params[i], inputs[i], Z[i], scratch[i]))  # A W + b
        if i < len(net.activations):
            forward.append(partial(net.activations[i].forward, Z[i], out=Z[i]))  # A = f(Z)
    head = partial(
        net.head.loss_and_error, Z[-1], T, out=E[-1], scratch=S[-1], row=row, total=ws.total
    )
    backward: Ops = []
    for i in reversed(range(1, len(net.layers))):  # dA = E W^T: the error below, so far
        layer, f = net.layers[i], net.activations[i - 1]
        dZ, X_in, dA = E[i], inputs[i], E[i - 1]
        backward.append(partial(layer.backward, dZ, X_in, params[i], out=grads[i], dX_out=dA))
        backward.append(partial(f.backward, dA, Z[i - 1], dA, S[i - 1]))  # E = dA * f'(Z)
    backward.append(partial(net.layers[0].param_grads, E[0], X, grads[0]))  # its dX goes nowhere
    return forward, head, backward


def _recorded(ops: Ops) -> Calls:
    """The NumPy calls that ``ops`` make, recorded once with their buffers (a flat list:
    no Python between them when replayed); ``ops`` themselves if a call has no buffer."""
    try:
        with recording() as tape, np.errstate(all="ignore"):  # the buffers hold anything yet
            for op in ops:
                op()
    except NotRecordable:
        return _unrecorded(ops)
    return [prepared(call) for call in tape.calls]


def _unrecorded(ops: Ops) -> Calls:
    """``ops`` as calls of themselves."""
    return [(op, (), {}) for op in ops]


def _replays_the_functions(calls: Calls, ws: Workspace, n: int) -> bool:
    """Whether replaying ``calls`` (for ``n`` samples) gives the activations, errors,
    gradient and loss that the functions just gave: every work buffer is filled with NaN
    first, so a result that a call outside the recording made (a function calling NumPy
    directly, not through ``namespace``) would not match. Only the ``n`` rows the calls
    write are compared (a short batch leaves the rest NaN)."""
    Z, E = ws.columns(n)[2:4]
    results = [*Z, *E, ws.grad, ws.total]  # activations, errors, gradient, loss
    expected = [buffer.copy() for buffer in results]
    with np.errstate(all="ignore"):
        for buffer in [*results, *ws.S, ws.row]:
            buffer.fill(np.nan)
        replay(calls)
    pairs = zip(results, expected, strict=True)
    return all(np.array_equal(b, e) or np.allclose(b, e, rtol=1e-4, atol=1e-6) for b, e in pairs)


FUSE_MIN = 1 << 16  # weights of the widest layer from which products go through gemm


def compile_step(ws: Workspace, n: int) -> Program:
    """The forward and backward pass for ``n`` samples, bound to ``ws``'s buffers and
    flattened into the NumPy calls they make (:class:`Program`). On return the buffers hold
    the unweighted pass for the batch in them (the check's replay), so the step that
    compiled need not run it again.

    A network with a layer of ``FUSE_MIN`` weights or more, where NumPy's BLAS offers its
    ``gemm`` (:mod:`glassnet.core.blas`), keeps each weight gradient's product apart, for
    an update fused into it (:mod:`glassnet.core.fused`)."""
    forward, head, backward = _ops(ws, n)
    parts = [_recorded(forward), _recorded([partial(head, None)]), _recorded(backward)]
    products = _weight_products(parts[2], ws, _gemm(ws))
    unweighted = [call for part in parts for call in part]
    if not _replays_the_functions(unweighted, ws, n):  # a call went around the recording
        parts = [_unrecorded(forward), _unrecorded([partial(head, None)]), _unrecorded(backward)]
        unweighted, products = [call for part in parts for call in part], []
        replay(unweighted)  # over the check's NaN
    fused = [c for c in parts[2] if not products or _product_of(c, ws) is None]
    X, T = ws.columns(n)[:2]
    return Program(X, T, unweighted, parts[0], head, parts[2], ws.total, products,
                   [*parts[0], *parts[1], *fused], fused)  # fmt: skip


def _gemm(ws: Workspace) -> Any:
    """NumPy's ``gemm`` for ``ws``'s dtype where its network is wide enough (one network)."""
    widest = max(layer.n_in * layer.n_out for layer in ws.net.layers)
    return gemm_of(ws.dtype) if ws.members is None and widest >= FUSE_MIN else None


def _product_of(call: Call, ws: Workspace) -> int | None:
    """The layer whose weight gradient the recorded ``call`` writes as a product, if any."""
    function, args, _ = call
    if function not in DOTS or len(args) != 3:
        return None
    return next((i for i, g in enumerate(ws.grads) if args[2] is g["W"]), None)


def _weight_products(backward: Calls, ws: Workspace, gemm: Any) -> list[Product]:
    """Each layer's ``A^T dZ`` as a :class:`Product` (first layer first); [] unless every
    layer's is a product ``gemm`` can compute in place."""
    found = {}
    for call in backward if gemm is not None else ():
        i = _product_of(call, ws)
        if i is not None:
            try:
                found[i] = Product(gemm, *call[1][:2])
            except ValueError:
                return []
    return [found[i] for i in range(len(ws.grads))] if len(found) == len(ws.grads) else []


def replay(calls: Calls) -> None:
    for function, args, kwargs in calls:
        if kwargs:
            function(*args, **kwargs)
        else:  # (most calls: an empty ``**kwargs`` alone costs NumPy's call a tenth)
            function(*args)
