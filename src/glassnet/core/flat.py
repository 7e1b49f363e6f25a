"""The flat vectors of the compiled step's parameters and optimizer state, and their views.

The parameters, their gradient, a scratch and the optimizer's slots each live in one flat
vector (:class:`glassnet.core.workspace.Workspace`); :func:`layer_views` cuts it into the
``{"W", "b"}`` arrays of each layer, :func:`chunk_of` into the stretches the optimizer
updates at a time, and :func:`member_layout` says where a population's members lie.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network


class Chunk(NamedTuple):
    """One stretch of the flat vectors that the optimizer updates at a time (its operands
    then stay in the cache; :func:`glassnet.core.step_update.update`): views of ``theta``,
    ``grad`` and the slots, a scratch of that length, and the parts of the layers' weights
    that lie in it, as lists of ``{"W": (1, m)}`` views of ``theta``, ``grad`` and scratch
    (what :func:`glassnet.core.regularization.l2_penalty` takes)."""

    theta: Array
    grad: Array
    slots: tuple[Array, Array]
    scratch: Array  # the same leading stretch of ``tmp`` for every chunk: it stays cached
    weights: ParamList
    weight_grads: ParamList
    weight_scratch: ParamList


MemberAxis = Literal["auto", "first", "last"]
TINY_LAYER = 16  # widest layer for which "auto" keeps the members innermost (measured)


def member_layout(net: Network, member_axis: MemberAxis) -> Literal["first", "last"]:
    """Where a population's members lie in memory: ``member_axis``, or for ``"auto"``
    ``"last"`` (innermost) when no layer is wider than ``TINY_LAYER`` units, else ``"first"``."""
    if member_axis != "auto":
        return member_axis
    return "last" if max(net.sizes[1:]) <= TINY_LAYER else "first"


def layer_views(
    flat: Array, sizes: Sequence[int], member_axis: Literal["first", "last"] | None = None
) -> ParamList:
    """``{"W" (n_in, n_out), "b" (1, n_out)}`` per layer, laid end to end in ``flat``.

    A population's ``flat`` is ``(K, P)`` (``member_axis="first"``) or ``(P, K)``
    (``"last"``, members innermost); its views are ``W (K, n_in, n_out)``, ``b (K, 1, n_out)``.
    """

    def cut(at: int, rows: int, cols: int) -> Array:
        if member_axis is None:
            return flat[at : at + rows * cols].reshape(rows, cols)
        if member_axis == "first":
            return flat[:, at : at + rows * cols].reshape(-1, rows, cols)
        return np.moveaxis(flat[at : at + rows * cols].reshape(rows, cols, -1), -1, 0)

    views, at = [], 0
    for n_in, n_out in zip(sizes, sizes[1:], strict=False):
        W = cut(at, n_in, n_out)
        at += n_in * n_out
        views.append({"W": W, "b": cut(at, 1, n_out)})
        at += n_out
    return views


def chunk_of(
    flats: tuple[Array, Array, Array, Array, Array], sizes: Sequence[int], start: int, stop: int
) -> Chunk:
    """The :class:`Chunk` ``[start, stop)`` of one network's flat vectors ``(theta, grad,
    tmp, slot 0, slot 1)``, laid out as :func:`layer_views` for layer ``sizes``."""
    theta, grad, tmp, *slots = flats
    weights: list[tuple[int, int]] = []  # where each layer's W lies in [start, stop)
    at = 0
    for n_in, n_out in zip(sizes, sizes[1:], strict=False):
        lo, hi = max(at, start), min(at + n_in * n_out, stop)
        if lo < hi:
            weights.append((lo, hi))
        at += n_in * n_out + n_out  # W, then b
    scratch = tmp[: stop - start]

    def pieces(flat: Array, base: int = 0) -> ParamList:
        return [{"W": flat[lo - base : hi - base].reshape(1, -1)} for lo, hi in weights]

    cut = slice(start, stop)
    return Chunk(
        theta[cut], grad[cut], (slots[0][cut], slots[1][cut]), scratch,
        pieces(theta), pieces(grad), pieces(scratch, start),
    )  # fmt: skip
