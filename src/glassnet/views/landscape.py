"""The loss landscape: a 2-D slice of the loss through parameter space.

The slice is ``loss(theta* + alpha d1 + beta d2)`` around a centre ``theta*`` (usually the
trained parameters) along two directions, each a parameter list shaped like ``theta``:

* :func:`param_direction`: one chosen element, ``(layer, name, index)``, a unit step;
* :func:`random_direction`: Gaussian, filter-normalised (Li et al., 2018, "Visualizing
  the loss landscape of neural nets"): each unit's incoming weights (a column of ``W``)
  and each layer's bias vector are rescaled to the norm of the same part of ``theta*``,
  so the slice is comparable across layers of different scale.

* :func:`pca_directions`: the plane of the training path itself, the two principal
  directions of the snapshots' offsets from the centre (Li et al., 2018, section 7): a
  real network's path, projected on random directions in a space of thousands of
  dimensions, collapses to a point; on this plane start, path and end are apart.

A training path (parameter snapshots) is projected onto the plane by least squares.
NumPy only; the figure is drawn by :func:`glassnet.views.figures.plot_landscape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network

ParamIndex = tuple[int, str, tuple[int, ...]]  # (layer, "W" or "b", element index)


def flatten(params: ParamList) -> Array:
    """All parameters as one float64 vector, layer by layer, ``W`` then ``b``."""
    return np.concatenate([np.ravel(p[k]).astype(np.float64) for p in params for k in sorted(p)])


def unflatten(vector: Array, like: ParamList) -> ParamList:
    """The inverse of :func:`flatten`, shaped like ``like``."""
    out, offset = [], 0
    for p in like:
        layer = {}
        for k in sorted(p):
            size = p[k].size
            layer[k] = vector[offset : offset + size].reshape(p[k].shape)
            offset += size
        out.append(layer)
    return out


def param_direction(like: ParamList, where: ParamIndex) -> ParamList:
    """A unit step along one parameter element ``(layer, name, index)``."""
    layer, name, index = where
    direction = [{k: np.zeros(v.shape) for k, v in p.items()} for p in like]
    direction[layer][name][index] = 1.0
    return direction


def random_direction(rng: np.random.Generator, like: ParamList) -> ParamList:
    """A Gaussian direction, filter-normalised to the scale of ``like``."""
    direction = []
    for p in like:
        layer = {}
        for k, v in p.items():
            d = rng.standard_normal(v.shape)
            d_norm = np.linalg.norm(d, axis=0, keepdims=True) if k == "W" else np.linalg.norm(d)
            v_norm = np.linalg.norm(v, axis=0, keepdims=True) if k == "W" else np.linalg.norm(v)
            layer[k] = d * v_norm / np.maximum(d_norm, 1e-12)
        direction.append(layer)
    return direction


def pca_directions(
    snapshots: Sequence[ParamList], centre: ParamList
) -> tuple[ParamList, ParamList, Array]:
    """The two principal directions of ``snapshots - centre`` (unit vectors shaped like
    ``centre``) and the share of the offsets' variance each explains, ``(2,)``.

    Li et al. (2018), "Visualizing the loss landscape of neural nets", section 7: the SVD
    of the matrix of offsets ``theta_i - theta*`` (one row per snapshot). Raises
    ``ValueError`` with fewer than two snapshots that differ from the centre.
    """
    if not snapshots:
        raise ValueError("the PCA plane needs parameter snapshots")
    offsets = np.stack([flatten(s) - flatten(centre) for s in snapshots])  # (K, P)
    _, sv, Vt = np.linalg.svd(offsets, full_matrices=False)  # offsets = U diag(sv) Vt
    if len(sv) < 2 or sv[1] <= 1e-12 * max(sv[0], 1e-300):
        raise ValueError("the snapshots span fewer than two directions")
    share = sv**2 / np.sum(sv**2)
    return unflatten(Vt[0], centre), unflatten(Vt[1], centre), share[:2]


@dataclass(frozen=True)
class LossSlice:
    """``loss[j, i]`` at ``centre + alphas[i] d1 + betas[j] d2``; the path in (alpha, beta)."""

    alphas: Array  # (A,)
    betas: Array  # (B,)
    loss: Array  # (B, A)
    path: Array  # (K, 2), empty when no path was given
    labels: tuple[str, str]


def project_path(
    snapshots: Sequence[ParamList], centre: ParamList, d1: ParamList, d2: ParamList
) -> Array:
    """Coordinates ``(K, 2)`` of each snapshot minus the centre in the plane of ``d1, d2``."""
    if not snapshots:
        return np.zeros((0, 2))
    basis = np.column_stack([flatten(d1), flatten(d2)])  # (P, 2)
    offsets = np.column_stack([flatten(s) - flatten(centre) for s in snapshots])  # (P, K)
    coords, *_ = np.linalg.lstsq(basis, offsets, rcond=None)
    return np.asarray(coords.T)


def _span(values: Array, fallback: float, margin: float = 0.15) -> tuple[float, float]:
    lo, hi = (
        float(min(values.min(initial=-fallback), -fallback)),
        float(max(values.max(initial=fallback), fallback)),
    )
    pad = margin * (hi - lo)
    return lo - pad, hi + pad


def loss_slice(
    net: Network,
    centre: ParamList,
    X: Array,
    T: Array,
    d1: ParamList,
    d2: ParamList,
    snapshots: Sequence[ParamList] = (),
    resolution: int = 25,
    extent: float = 1.0,
    labels: tuple[str, str] = ("direction 1", "direction 2"),
) -> LossSlice:
    """Evaluate the loss on a ``resolution x resolution`` grid spanning the path.

    The grid covers at least ``[-extent, extent]`` in each direction, widened to hold
    the projected training path with a margin.
    """
    path = project_path(snapshots, centre, d1, d2)
    alphas = np.linspace(*_span(path[:, 0], extent), resolution)
    betas = np.linspace(*_span(path[:, 1], extent), resolution)
    return LossSlice(alphas, betas, grid_loss(net, centre, X, T, d1, d2, alphas, betas), path,
                     labels)  # fmt: skip


def grid_loss(
    net: Network, centre: ParamList, X: Array, T: Array, d1: ParamList, d2: ParamList,
    alphas: Array, betas: Array,
) -> Array:  # fmt: skip
    """``loss[j, i]`` (float64) of ``net`` at ``centre + alphas[i] d1 + betas[j] d2`` on
    ``(X (N, D), T (N, C))``, the inputs checked once.

    The first layer's pre-activations are linear in its parameters, ``Z_1(theta + a u + b v)
    = Z_1(theta) + a Z_1(u) + b Z_1(v)`` (each :meth:`Dense.forward`, bias included), so they
    are computed three times, not once per point; each point runs the layers above."""
    net.check_inputs(centre, X, T)
    c, u, v = flatten(centre), flatten(d1), flatten(d2)
    X64, T64 = np.asarray(X, dtype=np.float64), np.asarray(T, dtype=np.float64)
    first = net.layers[0]
    Zc, Zu, Zv = (first.forward(unflatten(w, centre)[0], X64)[0] for w in (c, u, v))  # (N, H1)
    loss = np.empty((len(betas), len(alphas)))
    for j, b in enumerate(betas):
        for i, a in enumerate(alphas):
            point = unflatten(c + a * u + b * v, centre)
            loss[j, i] = _loss_above_first(net, point, Zc + a * Zu + b * Zv, T64)
    return loss


def _loss_above_first(net: Network, params: ParamList, Z1: Array, T: Array) -> float:
    """The loss from the first layer's pre-activations ``Z_1 (N, H1)`` on (the forward pass
    of :meth:`Network.loss` above its first product)."""
    Z = Z1
    for k in range(1, len(net.layers)):
        Z = net.layers[k].forward(params[k], net.activations[k - 1].forward(Z))[0]
    return float(net.head.loss(Z, T, None))


def describe_index(where: ParamIndex) -> str:
    """``(0, "W", (1, 2))`` -> ``"layer 1 W[1, 2]"`` (layers numbered from 1)."""
    layer, name, index = where
    return f"layer {layer + 1} {name}[{', '.join(map(str, index))}]"
