"""The plane a loss landscape is drawn on, chosen from the training path itself.

:func:`path_plane` takes the principal directions of the snapshots' offsets from the centre
(Li et al., 2018, section 7) as far as the path has them:

* two or more independent offsets (three snapshots and more, in general): the first two
  principal directions;
* one (two snapshots, epoch 0 and 1, with the centre at one of them; or a path along a
  line): the principal direction and a random one made orthogonal to it (unit length, like
  the principal one), so the step is drawn along the first axis;
* none (one snapshot, at the centre, or no path): two random filter-normalised directions.

:func:`percent` writes a share so that a small but non-zero one never reads "0%", and
:func:`line_parts` says which parts of a drawn path show as a line at the figure's scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.views.landscape import flatten, random_direction, unflatten


@dataclass(frozen=True)
class Plane:
    """Two directions shaped like the centre; ``share (2,)``: the share of the path's squared
    offsets along each (0 for a random one); ``principal``: how many of ``d1, d2`` are
    principal directions of the path (2, 1 or 0: the first ``principal`` of them)."""

    d1: ParamList
    d2: ParamList
    share: Array
    principal: int


def path_plane(snapshots: Sequence[ParamList], centre: ParamList, seed: int = 0) -> Plane:
    """The plane of the path ``snapshots`` around ``centre`` (the module docstring's cases);
    the random directions come from ``np.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    c = flatten(centre)
    if not snapshots:
        return Plane(random_direction(rng, centre), random_direction(rng, centre), np.zeros(2), 0)
    offsets = np.stack([flatten(s) - c for s in snapshots])  # (K, P)
    _, sv, Vt = np.linalg.svd(offsets, full_matrices=False)  # offsets = U diag(sv) Vt
    tiny = 1e-12 * max(float(sv[0]), 1e-300)
    if len(sv) >= 2 and sv[1] > tiny:
        rel = sv / sv[0]  # scaled first: squares of tiny offsets (1e-300) would underflow
        share = rel**2 / np.sum(rel**2)
        return Plane(unflatten(Vt[0], centre), unflatten(Vt[1], centre), share[:2], 2)
    if sv[0] > 1e-12 * max(float(np.linalg.norm(c)), 1e-300):
        r = flatten(random_direction(rng, centre))
        r -= (r @ Vt[0]) * Vt[0]  # orthogonal to the path's direction
        r /= np.linalg.norm(r)
        return Plane(unflatten(Vt[0], centre), unflatten(r, centre), np.array([1.0, 0.0]), 1)
    return Plane(random_direction(rng, centre), random_direction(rng, centre), np.zeros(2), 0)


def percent(share: float) -> str:
    """``0.634 -> "63%"``, ``0.042 -> "4.2%"``, ``0.0043 -> "0.43%"``, ``1e-7 -> "<0.01%"``,
    ``0 -> "0%"``: two significant digits below 10%, so that only a zero reads 0%."""
    value = 100 * float(share)
    if value == 0:
        return "0%"
    if value < 0.01:
        return "<0.01%"
    if value >= 99.5 and value < 100:
        return ">99%"
    return f"{value:.2g}%" if value < 10 else f"{value:.0f}%"


def line_parts(path: Array, cut: int | None, span: float) -> list[Array]:
    """The parts of ``path (K, 2)`` (split at ``cut``) that show as a line: two points or
    more, spread over more than 0.5% of ``span`` (the figure's width)."""
    parts = [path] if cut is None else [path[:cut], path[cut:]]
    return [p for p in parts if len(p) >= 2 and float(np.ptp(p, axis=0).max()) > 0.005 * span]


__all__ = ["Plane", "line_parts", "path_plane", "percent"]
