"""What a run records for its report while it trains: the diagnostics and parameter
snapshots of every epoch (:class:`Observer`), measured on a fixed probe batch
(:func:`probe`), and the seeded draw of rows the report shows (:func:`sample_rows`).
All importable from :mod:`glassnet.views.run_report` too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.data.batching import read_rows, targets_for
from glassnet.files.modelfile import Model
from glassnet.train.state import LoopState
from glassnet.views.diagnostics import DiagnosticsRecord
from glassnet.views.diagnostics_summary import DiagnosticsSummary

__all__ = ["MAX_ROWS", "MAX_SNAPSHOTS", "Observer", "probe", "sample_rows"]

MAX_ROWS = 1000  # samples drawn in the report's figures
MAX_SNAPSHOTS = 100  # parameter snapshots kept for the loss landscape


def sample_rows(rows: Array, limit: int = MAX_ROWS, seed: int = 0) -> Array:
    """At most ``limit`` of ``rows``, drawn without replacement, in increasing order."""
    rows = np.asarray(rows)
    if len(rows) <= limit:
        return rows
    return np.sort(np.random.default_rng(seed).choice(rows, limit, replace=False))


@dataclass
class Observer:
    """Records diagnostics and parameter snapshots after every epoch of a run.

    The diagnostics are measured on one fixed probe batch (gradients, hidden activations,
    loss), so they cost one forward and backward pass on a few hundred samples per epoch.
    """

    model_like: Model  # the network, scaler and classes of the run (parameters unused)
    X_probe: Array
    T_probe: Array
    record: DiagnosticsRecord = field(init=False)
    snapshots: list[ParamList] = field(default_factory=list)
    epochs: list[int] = field(default_factory=list)  # the epoch of each snapshot
    # epochs (first, last) that ran before this process (a resumed run): no snapshot of them
    unseen: tuple[int, int] | None = None
    recorded: list[int] = field(default_factory=list)  # the epoch of each diagnostics row
    _last: int | None = field(default=None, init=False, repr=False)  # the last epoch seen

    def __post_init__(self) -> None:
        self.record = DiagnosticsRecord.for_network(self.model_like.net)

    def __call__(self, loop: LoopState) -> None:
        self.observe(loop.params, loop.epoch)

    def observe(self, params: ParamList, epoch: int = 0) -> None:
        """Record the diagnostics and a snapshot of ``params`` (call it once before training
        for epoch 0, then after every epoch)."""
        net = self.model_like.net
        loss, grads = net.loss_and_grad(params, self.X_probe, self.T_probe)
        self.record.add(grads, net.hidden_activations(params, self.X_probe), loss)
        self.recorded.append(epoch)
        last = self._last
        if last is not None and epoch > last + 1 and self.unseen is None:
            self.unseen = (last + 1, epoch - 1)
        self._last = epoch
        self.snapshots.append(params)
        self.epochs.append(epoch)
        if len(self.snapshots) > MAX_SNAPSHOTS:
            self.snapshots, self.epochs = self.snapshots[::2], self.epochs[::2]

    def diagnostics(self) -> DiagnosticsSummary | None:
        """What the report shows of the diagnostics, by epoch (a resumed run's start at
        epoch 0, then the epochs after the resume), or None before any was recorded."""
        if not self.record.grad_norms:
            return None
        return DiagnosticsSummary.of(self.record, at=self.recorded)

    def summary(self) -> dict[str, Any] | None:
        """The diagnostics as a model file keeps them (``settings["diagnostics"]``:
        :meth:`DiagnosticsSummary.as_dict`), or None before any was recorded."""
        shown = self.diagnostics()
        return shown.as_dict() if shown is not None else None


def probe(model: Model, X: Any, codes: Array, rows: Array, size: int = 256) -> tuple[Array, Array]:
    """The network-space inputs and targets of a fixed sample of ``rows``."""
    picked = sample_rows(rows, size, seed=1)
    X_in = model.inputs(read_rows(X, picked))
    return X_in, targets_for(model.net, np.asarray(codes)[picked], X_in.dtype)
