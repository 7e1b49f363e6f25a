"""The L2 penalty on the weights, written once with an explicit scale.

``penalty = (scale / 2) * sum_l ||W_l||^2`` over every layer's weights (never the
biases); its gradient ``scale * W_l`` is added to each weight gradient. The caller picks
the scale: the training loop's ``weight_decay`` is used as it is, and scikit-learn's
``alpha`` is divided by the batch's summed sample weights (``alpha / S``, the divisor of
the mean loss), so the penalty is added to the loss before its reduction.
"""

from __future__ import annotations

from typing import Any

from glassnet.core._backend import into, namespace
from glassnet.core._types import Array, ParamList


def l2_value(params: ParamList, scale: Any) -> Any:
    """The penalty ``(scale / 2) * sum_l ||W_l||^2``: a float; a population's ``(K,)`` array."""
    total: Any = 0.0
    for p in params:
        W, xp = p["W"], namespace(p["W"])
        total = total + xp.sum(xp.vecdot(W, W, axis=-1), axis=-1)  # ||W||^2: () or (K,)
    penalty = xp.multiply(0.5 * xp.reshape(xp.asarray(scale), (-1,)), total)
    return float(penalty[0]) if total.ndim == 0 else penalty


def l2_gradient(W: Array, scale: Any, out: Array | None = None) -> Array:
    """The penalty's gradient ``scale * W`` (into ``out`` when given)."""
    return namespace(W).multiply(W, scale, **into(out))


def l2_penalty(
    params: ParamList,
    grads: ParamList,
    scale: float,
    out: ParamList | None = None,
    scratch: ParamList | None = None,
) -> tuple[float, ParamList]:
    """``(scale / 2) * sum_l ||W_l||^2`` and ``grads`` with ``scale * W_l`` added to each ``dW_l``.

    ``params`` and ``grads`` are lists of ``{"W", "b"}`` dicts of the same shapes; ``scale``
    is a non-negative float. Without buffers it returns new gradient dicts (the biases'
    arrays shared, not copied) and leaves ``grads`` alone; with ``out`` (which may be
    ``grads`` itself) and ``scratch`` (``{"W"}`` buffers) it writes in place.

    A population's stacked weights ``W (K, n_in, n_out)`` take one scale per member as a
    ``(K, 1, 1)`` array and give a ``(K,)`` array of penalties.
    """
    new = []
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        decay = l2_gradient(p["W"], scale, None if scratch is None else scratch[i]["W"])
        dW = namespace(g["W"]).add(g["W"], decay, **into(None if out is None else out[i]["W"]))
        new.append({**g, "W": dW})
    return l2_value(params, scale), new
