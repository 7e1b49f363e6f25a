"""In-place building blocks of the fast path (``fast.py``): NumPy calls with bound buffers.

Each builder returns the calls of one piece of a training step with their buffers bound,
``partial(np.exp, Z, out=Z)``, so that a step runs a plain list of calls with no Python
decisions between them. Arrays are feature-major here: ``Z (units, N)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from glassnet.core._types import Array
from glassnet.core.activations import Identity, Logistic, ReLU, Tanh
from glassnet.core.losses import IdentitySquaredError, LogisticBinaryCrossEntropy
from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov

Ops = list[Callable[[], object]]


def activate(act: object, Z: Array) -> Ops:
    """``Z <- f(Z)`` in place."""
    if isinstance(act, Logistic):  # 1 / (1 + exp(-z)) = (1 + tanh(z / 2)) / 2, never overflows
        return [
            partial(np.multiply, Z, 0.5, out=Z),
            partial(np.tanh, Z, out=Z),
            partial(np.multiply, Z, 0.5, out=Z),
            partial(np.add, Z, 0.5, out=Z),
        ]
    if isinstance(act, Tanh):
        return [partial(np.tanh, Z, out=Z)]
    if isinstance(act, ReLU):
        return [partial(np.maximum, Z, 0.0, out=Z)]
    if isinstance(act, Identity):
        return []
    raise TypeError(f"no fast path for activation {act!r}")


def deactivate(act: object, E: Array, A: Array, S: Array) -> Ops:
    """``E <- dA * f'(Z)`` in place, from the activation ``A`` (``S`` is scratch)."""
    if isinstance(act, Logistic):  # dA * A * (1 - A)
        return [
            partial(np.multiply, E, A, out=E),
            partial(np.subtract, 1.0, A, out=S),
            partial(np.multiply, E, S, out=E),
        ]
    if isinstance(act, Tanh):  # dA * (1 - A * A)
        return [
            partial(np.multiply, A, A, out=S),
            partial(np.subtract, 1.0, S, out=S),
            partial(np.multiply, E, S, out=E),
        ]
    if isinstance(act, ReLU):  # dA * [A > 0], and [A > 0] = sign(A) as A >= 0
        return [partial(np.sign, A, out=S), partial(np.multiply, E, S, out=E)]
    return []


def over_classes(ufunc: np.ufunc, Z: Array, out: Array) -> Ops:
    """``out (N,) = ufunc.reduce(Z (C, N), axis=0)``; row by row when ``C`` is small."""
    C = Z.shape[0]
    if C > 8:
        return [partial(ufunc.reduce, Z, axis=0, out=out)]
    if C == 1:
        return [partial(np.copyto, out, Z[0])]
    return [partial(ufunc, Z[0], Z[1], out=out)] + [
        partial(ufunc, out, Z[c], out=out) for c in range(2, C)
    ]


def head(
    head: object, Zo: Array, Tt: Array, Eo: Array, row: Array
) -> tuple[Ops, Callable[[], float], Ops]:
    """Calls before the loss, the loss, calls after: the output error ``Eo = dLoss/dZo``.

    ``Zo (C, N)`` holds the logits and is overwritten (by ``log Y`` for softmax).
    """
    before: Ops
    after: Ops
    if isinstance(head, IdentitySquaredError):  # 1/2 sum (z - t)^2 ; Eo = Z - T
        before, after = [partial(np.subtract, Zo, Tt, out=Eo)], []
        loss = lambda: 0.5 * float(np.vdot(Eo, Eo))  # noqa: E731
    elif isinstance(head, LogisticBinaryCrossEntropy):  # softplus(z) - t z ; Eo = y - t
        before = [partial(np.logaddexp, 0.0, Zo, out=Eo)]
        loss = lambda: float(Eo.sum()) - float(np.vdot(Tt, Zo))  # noqa: E731
        after = [*activate(Logistic(), Zo), partial(np.subtract, Zo, Tt, out=Eo)]
    else:  # softmax cross-entropy: log Y = Z - log sum exp(Z) ; Eo = Y - T
        # logaddexp is the stable log(exp(a) + exp(b)), folded over the classes
        before = [
            *over_classes(np.logaddexp, Zo, row),
            partial(np.subtract, Zo, row, out=Zo),  # log Y
        ]
        loss = lambda: -float(np.vdot(Tt, Zo))  # noqa: E731
        after = [partial(np.exp, Zo, out=Eo), partial(np.subtract, Eo, Tt, out=Eo)]
    if getattr(head, "reduction", "sum") == "mean":
        n, total = Zo.shape[1], loss
        after.append(partial(np.multiply, Eo, 1.0 / n, out=Eo))
        loss = lambda: total() / n  # noqa: E731
    return before, loss, after


def update(opt: object, theta: Array, g: Array, tmp: Array, slots: list[Array], t: int) -> None:
    """``theta <- theta + update`` in place on flat vectors; the rules of ``optimizers.py``.

    For SGD, momentum and Nesterov ``g`` already holds ``-mu g`` (the learning rate is
    folded into the output error); ``slots`` hold ``M``, or Adam's ``m`` and ``v``.
    """
    if isinstance(opt, SGD):  # theta <- theta - mu g
        np.add(theta, g, out=theta)
    elif isinstance(opt, Momentum | Nesterov):  # M <- lambda M - mu g
        M, lam = slots[0], opt.momentum
        np.multiply(M, lam, out=M)
        np.add(M, g, out=M)
        if isinstance(opt, Momentum):  # theta <- theta + M
            np.add(theta, M, out=theta)
        else:  # theta <- theta + lambda M - mu g
            np.multiply(M, lam, out=tmp)
            np.add(tmp, g, out=tmp)
            np.add(theta, tmp, out=theta)
    elif isinstance(opt, Adam):
        m, v, b1, b2 = slots[0], slots[1], opt.beta1, opt.beta2
        np.multiply(m, b1, out=m)  # m <- b1 m + (1 - b1) g
        np.multiply(g, 1 - b1, out=tmp)
        np.add(m, tmp, out=m)
        np.multiply(v, b2, out=v)  # v <- b2 v + (1 - b2) g^2
        np.multiply(g, 1 - b2, out=tmp)
        np.multiply(tmp, g, out=tmp)
        np.add(v, tmp, out=v)
        np.divide(v, 1 - b2**t, out=tmp)  # sqrt(v_hat) + eps
        np.sqrt(tmp, out=tmp)
        np.add(tmp, opt.eps, out=tmp)
        np.divide(m, 1 - b1**t, out=g)  # theta <- theta - mu m_hat / (sqrt(v_hat) + eps)
        np.multiply(g, -opt.learning_rate, out=g)
        np.divide(g, tmp, out=g)
        np.add(theta, g, out=theta)
    else:
        raise TypeError(f"no fast path for optimizer {opt!r}")
