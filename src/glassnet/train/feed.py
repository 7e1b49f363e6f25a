"""The minibatches of every epoch of the loop (:class:`glassnet.train.session.Training`)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.network import Network
from glassnet.core.workspace import Workspace
from glassnet.data.batching import Batch, batches
from glassnet.data.preprocessing import Standardizer
from glassnet.train.state import TrainConfig


class Feed:
    """Each epoch's minibatches of the training ``rows`` of ``(X, y)``: a fresh permutation
    drawn from ``rng`` (the rows in order without ``config.shuffle``), ``batch_size`` rows at
    a time, or the one full batch, read once (into the ``workspace``'s buffers when given)."""

    def __init__(
        self, net: Network, X: Any, y: Any, rows: Array, batch_size: int, cfg: TrainConfig, *,
        sample_weight: Array | None, scaler: Standardizer | None, workspace: Workspace | None,
        rng_state: dict[str, Any],
    ) -> None:  # fmt: skip
        self.rows, self.batch_size, self.workspace = rows, batch_size, workspace
        self.rng: np.random.Generator | None = None  # made only when it draws
        if cfg.shuffle and batch_size < len(rows):  # draws a permutation every epoch
            self.rng = np.random.default_rng()
            self.rng.bit_generator.state = rng_state
        self._read = partial(
            batches, net, X, y, dtype=cfg.dtype, scaler=scaler, sample_weight=sample_weight
        )
        self._whole: list[Batch] | None = None  # the one full batch, read once

    def epoch(self) -> Iterator[Batch]:
        """This epoch's minibatches."""
        rows = self.rows
        if self.batch_size < len(rows):
            order = rows if self.rng is None else self.rng.permutation(rows)
            ws = self.workspace  # each batch is read straight into the step's buffer
            return self._read(order, self.batch_size, inputs=ws.inputs if ws else None)
        if self._whole is None:
            (b,) = self._read(rows, len(rows))
            if self.workspace is not None:  # loaded into the step's buffers once, for good
                X, T = self.workspace.columns(len(rows))[:2]
                np.copyto(X, b.X)
                np.copyto(T, b.T)
                b = Batch(X, T, b.w)
            self._whole = [b]
        return iter(self._whole)

    def rng_state(self, previous: dict[str, Any]) -> dict[str, Any]:
        """The shuffling Generator's state (read only when shuffling drew from it; else
        ``previous``)."""
        return previous if self.rng is None else dict(self.rng.bit_generator.state)
