"""Parameter snapshots recorded by the training loop, for views that replay a run.

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

from dataclasses import dataclass, field

from glassnet.core._types import ParamList
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
