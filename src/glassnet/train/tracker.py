"""A population's record during the run: each member's curves, early stopping, best epoch
and the parameters it keeps (:class:`Tracker`), for
:func:`glassnet.train.population.fit_population`."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.workspace import Workspace, layer_views
from glassnet.train.members import Members, PopulationResult
from glassnet.train.state import TrainConfig


class Tracker:
    """Per-member curves, early stopping, best epochs and the parameters to keep.

    The kept parameters are one flat copy of the workspace's parameter vector ``ws.theta``
    (``(K, P)`` or ``(P, K)``), refreshed by one masked copy per epoch: every active member
    (``keep_best`` False) or every member whose monitored loss improved (True). A member
    stops for good when it diverges (frozen at its last finite epoch) or when its patience
    runs out (the loop's rule, :func:`glassnet.train.stopping.judge`, member by member).
    """

    def __init__(self, ws: Workspace, cfg: TrainConfig, keep_best: bool) -> None:
        K = int(ws.members or 1)
        self.ws, self.cfg, self.keep_best = ws, cfg, keep_best
        self.kept = ws.theta.copy()
        self.best_loss, self.best_epoch = np.full(K, np.inf), np.zeros(K, dtype=np.int64)
        self.bad_epochs = np.zeros(K, dtype=np.int64)
        self.diverged, self.stopped = np.zeros(K, dtype=bool), np.zeros(K, dtype=bool)
        self.start = np.full(K, np.nan)  # each member's first finite batch loss
        self._bound: Array | None = None  # fixed once every member has its first loss
        self.loss: list[Array] = []
        self.val: list[tuple[Array, Array | None, Array | None]] = []

    @property
    def active(self) -> Array:
        """``(K,)``: members still training (neither diverged nor stopped early)."""
        return ~(self.diverged | self.stopped)

    def check(self, loss: Array) -> None:
        """Mark active members whose batch loss ``(K,)`` is not finite or over their bound:
        ``divergence_factor`` times their first batch loss, or ``max_loss`` when lower."""
        bound = self._bound
        if bound is None:
            first = np.isnan(self.start) & np.isfinite(loss)
            self.start = np.where(first, loss, self.start)
            start = np.nan_to_num(self.start, nan=0.0)  # no finite loss yet: no relative bound
            bound = np.where(start > 0, self.cfg.divergence_factor * start, np.inf)
            bound = np.minimum(bound, np.inf if self.cfg.max_loss is None else self.cfg.max_loss)
            if not np.isnan(self.start).any():
                self._bound = bound
        self.diverged |= self.active & ~(np.isfinite(loss) & (loss <= bound))

    def epoch_end(self, epoch: int, loss: Array, scores: Any) -> Array:
        """Record epoch ``epoch`` (losses ``(K,)``, validation ``scores``); returns the
        monitored losses ``(K,)`` (what schedules step on). The record changes at the end,
        in one copy and one assignment, so a stop signal leaves it at the epoch before or
        this one, never between (:meth:`result` then gives the completed epochs)."""
        active, cfg = self.active, self.cfg
        curve = np.where(self.diverged, np.inf, np.where(active, loss, np.nan))
        val = None
        if scores is not None:  # (K,) losses and accuracies, (K, C) losses per column or
            v_loss, v_acc, *v_cols = scores  # none; NaN for members not training
            cols = v_cols[0] if v_cols else None
            val = (
                np.where(active, v_loss, np.nan),
                None if v_acc is None else np.where(active, v_acc, np.nan),
                None if cols is None else np.where(active[:, None], cols, np.nan),
            )
        use_val = scores is not None and cfg.monitor != "loss"
        watched = scores[0] if use_val else loss
        bad = np.where(watched <= self.best_loss - cfg.min_delta, 0, self.bad_epochs + 1)
        improved = active & (watched < self.best_loss)
        keep = improved if self.keep_best else active
        stopped = self.stopped
        if cfg.patience is not None:
            stopped = stopped | (active & (np.where(active, bad, self.bad_epochs) >= cfg.patience))
        np.copyto(self.kept, self.ws.theta, where=self.ws.per_member(keep).astype(bool))
        self.loss, self.val, self.best_loss, self.bad_epochs, self.best_epoch, self.stopped = (
            [*self.loss, curve], self.val if val is None else [*self.val, val],
            np.where(improved, watched, self.best_loss), np.where(active, bad, self.bad_epochs),
            np.where(keep, epoch, self.best_epoch), stopped,
        )  # fmt: skip
        return watched

    def result(self, members: Members, interrupted: bool = False) -> PopulationResult:
        """The members' record and kept parameters; ``interrupted``: a stop signal ended
        the run, and the members still training say so (:meth:`PopulationResult.stop_reasons`)."""
        K = len(self.best_loss)
        loss = np.array(self.loss).reshape(-1, K)
        val_loss = np.array([v[0] for v in self.val]).reshape(-1, K) if self.val else None
        val_acc = None
        if self.val and self.val[0][1] is not None:
            val_acc = np.array([v[1] for v in self.val]).reshape(-1, K)
        columns = None
        if self.val and self.val[0][2] is not None:
            columns = np.array([v[2] for v in self.val]).reshape(len(self.val), K, -1)
        views = layer_views(self.kept, self.ws.net.sizes, self.ws.member_axis)
        params = [{k: np.ascontiguousarray(v) for k, v in p.items()} for p in views]
        return PopulationResult(
            params, loss=loss, val_loss=val_loss, val_accuracy=val_acc,
            best_epoch=self.best_epoch, diverged=self.diverged, members=members,
            stopped=self.stopped, interrupted=self.active if interrupted else None,
            val_columns=columns,
        )  # fmt: skip
