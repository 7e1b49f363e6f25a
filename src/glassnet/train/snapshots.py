"""Parameter snapshots recorded by the training loop, for views that replay a run, and
the copy of the best epoch's parameters that the loop keeps on the fast path.

A :class:`Snapshots` is an ``on_epoch_end`` hook of :func:`glassnet.train.loop.fit`: after
every ``every``-th epoch it keeps a copy of the loop's parameters, labelled with their
epoch. Called once with the loop state before training (``Training(...).state``, epoch 0)
it keeps the initialization too. The training animation
(:func:`glassnet.views.animation.write_training_gif`) and the demo's report draw from it::

    snapshots = Snapshots()
    training = Training(net, params, X, y, config)
    snapshots(training.state)                       # epoch 0, the initialization
    fit(net, params, X, y, config, on_epoch_end=snapshots)   # or training.run_epoch() ...
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.workspace import Workspace, layer_views
from glassnet.train.state import LoopState


@dataclass
class Snapshots:
    """``params[k]`` are the loop's parameters after epoch ``epochs[k]`` (copies)."""

    every: int = 1
    epochs: list[int] = field(default_factory=list)
    params: list[ParamList] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError(f"every must be at least 1, got {self.every}")

    def __call__(self, state: LoopState) -> None:
        """Record ``state.params`` when ``state.epoch`` is a multiple of ``every`` (once)."""
        if state.epoch % self.every == 0 and state.epoch not in self.epochs[-1:]:
            self.epochs.append(state.epoch)
            self.params.append([{k: v.copy() for k, v in layer.items()} for layer in state.params])

    def __len__(self) -> int:
        return len(self.params)


class BestParams:
    """The best epoch's parameters on the fast path: the workspace's parameter vector
    ``ws.theta`` copied into one buffer of their own (allocated at the first best epoch),
    with ``{"W", "b"}`` views per layer (``params``)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.flat: Array | None = None
        self.params: ParamList | None = None

    def keep(self, params: ParamList) -> ParamList:
        """``params`` (the workspace's views) copied into the buffer; other arrays (the
        pure step's, new every step) are kept as they are."""
        ws = self.ws
        if params is not ws.params:
            return params
        if self.flat is None:
            self.flat = ws.theta.copy()
            self.params = layer_views(self.flat, ws.net.sizes)
        else:
            np.copyto(self.flat, ws.theta)
        return self.params  # type: ignore[return-value]

    def copied(self, loop: LoopState) -> LoopState:
        """``loop`` with its parameters, optimizer state and best parameters (where they
        live in the workspace or this buffer) copied: arrays that no later step writes."""
        ws = self.ws
        best = ws.snapshot(loop.best) if loop.best is self.params else loop.best
        return dataclasses.replace(
            loop, params=ws.snapshot(loop.params), opt_state=ws.snapshot(loop.opt_state),
            best=best,
        )  # fmt: skip
