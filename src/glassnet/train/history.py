"""The record of a training run: one :class:`EpochRecord` per epoch, kept in a :class:`History`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EpochRecord:
    epoch: int  # counted from 1
    loss: float  # mean training loss per sample over the epoch's batches
    val_loss: float | None
    accuracy: float | None  # on the training rows after the epoch (train_metrics)
    val_accuracy: float | None
    learning_rate: float
    seconds: float


@dataclass
class History:
    records: list[EpochRecord] = field(default_factory=list)
    best_epoch: int = 0  # the epoch whose parameters were kept (0: the initial ones)
    stop_reason: str = "completed"

    def column(self, name: str) -> list[Any]:
        return [getattr(r, name) for r in self.records]

    def as_dict(self) -> dict[str, Any]:
        names = [f.name for f in dataclasses.fields(EpochRecord)]
        cols: dict[str, Any] = {name: self.column(name) for name in names}
        return {**cols, "best_epoch": self.best_epoch, "stop_reason": self.stop_reason}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> History:
        """Rebuild a history from :meth:`as_dict` output."""
        names = [f.name for f in dataclasses.fields(EpochRecord)]
        records = [EpochRecord(*row) for row in zip(*(d[n] for n in names), strict=True)]
        return cls(records, int(d["best_epoch"]), str(d["stop_reason"]))
