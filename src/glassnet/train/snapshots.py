"""Parameter snapshots recorded by the training loop, for views that replay a run, and
the copies that the loop keeps on the fast path: the best epoch's parameters and the last
completed epoch's parameters and optimizer slots.

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


class EpochEnd:
    """The fast path's parameters and optimizer slots as the last completed epoch left them.

    The next epoch's steps write the workspace's flat vectors in place, so a run stopped in
    the middle of an epoch (Ctrl-C) would report parameters from partway through it under
    the last completed epoch's number. :meth:`take` copies ``ws.theta`` and the two slots
    (one copy of the block ``ws.state`` they are the rows of: a tiny network's 300 epochs
    notice three calls) as each epoch ends; :meth:`restored` points a loop state at them."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.block: Array | None = None  # a copy of ws.state
        self.flats: tuple[Array, ...] = ()  # its rows: theta, slots[0], slots[1]

    def take(self) -> None:
        """Copy the workspace's parameters and slots as they are now (an epoch's end)."""
        if self.block is None:
            self.block = self.ws.state.copy()
            self.flats = tuple(self.block)
        else:
            np.copyto(self.block, self.ws.state)

    def restored(self, loop: LoopState) -> LoopState:
        """``loop`` with each tree that is a set of the workspace's views (its parameters,
        an optimizer's slots) replaced by views of the copies :meth:`take` made; the next
        :meth:`take` writes them (:meth:`BestParams.copied` copies them out)."""
        if self.block is None:  # no epoch has ended: the loop holds arrays of its own
            return loop
        ws = self.ws
        own = {id(v): f for v, f in zip((ws.params, *ws.slot_views), self.flats, strict=True)}

        def swap(tree: ParamList) -> ParamList:
            flat = own.get(id(tree))
            return tree if flat is None else layer_views(flat, ws.net.sizes)

        opt = loop.opt_state
        opt = type(opt)(*(swap(f) if isinstance(f, list) else f for f in opt))
        return dataclasses.replace(loop, params=swap(loop.params), opt_state=opt)
