"""The epochs of one group of a population, and every member's score on rows.

:func:`epochs` is the inner loop of :func:`glassnet.train.population.fit_population`: each
minibatch position takes every member's own rows (its own permutation), one compiled
:func:`glassnet.core.fast.step` moves every member, and each epoch ends with the members'
validation scores.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core import fast
from glassnet.core._types import Array, ParamList
from glassnet.core.losses import IdentitySquaredError
from glassnet.core.network import Network
from glassnet.core.workspace import Workspace
from glassnet.data.batching import count_correct, per_sample
from glassnet.train.state import TrainConfig
from glassnet.train.tracker import Tracker
from glassnet.train.uninterrupted import WHOLE


def epochs(
    net: Network,
    data: tuple[Array, Array],
    val: tuple[Array, Array, Array] | None,
    cfg: TrainConfig,
    loop: tuple[Any, ...],
    track: Tracker,
) -> None:
    """Every epoch of one group (``fit_population``'s loop), recorded by ``track``;
    ``loop`` is ``(workspace, optimizer, state, l2 scale, rates, member rngs)``."""
    (Xe, Te), (ws, opt, state, scale, rates, rngs) = data, loop
    n, K = len(Xe), len(rngs)
    rows = min(cfg.batch_size or n, n)
    for epoch in range(1, cfg.epochs + 1):
        total, opt = np.zeros(K), rates.optimizer(opt)
        with np.errstate(all="ignore"):  # a diverging member must not stop the others
            for Xb, Tb in _member_batches(Xe, Te, rngs, rows, ws):
                loss, _, state = fast.step(net, ws.params, opt, state, Xb, Tb, ws, l2_scale=scale)
                loss = per_sample(net, np.asarray(loss), Xb.shape[-2])
                track.check(loss)
                total += loss * Xb.shape[-2]
        scores = None if val is None else _scores(net, ws.params, val)
        with WHOLE:  # the record and the kept parameters move on together (a stop signal after)
            rates.step(epoch, track.epoch_end(epoch, total / n, scores))
        if not track.active.any():
            break


def _member_batches(
    Xe: Array, Te: Array, rngs: list[np.random.Generator], rows: int, ws: Workspace
) -> Any:
    """Each minibatch position: ``X (K, b, D)``, ``T (K, b, C)`` from every member's own
    permutation (sorted within a batch, as fit reads it); the full batch is shared, and
    loaded into the workspace's buffers once."""
    n = len(Xe)
    if rows == n:
        yield ws.columns(n)[:2]  # loaded by fit_population's _fit_group
        return
    orders = np.stack([rng.permutation(n) for rng in rngs])  # (K, n)
    for start in range(0, n, rows):
        idx = np.sort(orders[:, start : start + rows], axis=1)  # (K, b)
        yield Xe[idx], Te[idx]


def score(
    net: Network, params: ParamList, data: tuple[Array, Array, Array]
) -> tuple[Array, Array | None]:
    """Every member's mean loss ``(K,)`` and accuracy ``(K,)`` (None for regression) on
    encoded ``(X, T, y)``."""
    loss, accuracy, _ = _scores(net, params, data)
    return loss, accuracy


def _scores(
    net: Network, params: ParamList, data: tuple[Array, Array, Array]
) -> tuple[Array, Array | None, Array | None]:
    """:func:`score`, and for an identity head of ``C > 1`` columns each member's mean
    loss per column ``(K, C)`` (``1/2 (y - t)**2`` over the rows; their mean over the
    columns is the loss), else None."""
    X, T, _ = data
    with np.errstate(all="ignore"):
        Zo = net.logits(params, X)  # (K, N, C)
        loss = per_sample(net, np.asarray(net.head.loss(Zo, T)), len(X))
        if isinstance(net.head, IdentitySquaredError):
            D = Zo - T  # (K, N, C)
            columns = 0.5 * np.mean(D * D, axis=-2) if D.shape[-1] > 1 else None
            return loss, None, columns
    return loss, np.asarray(count_correct(net, Zo, T)) / len(X), None


__all__ = ["epochs", "score"]
