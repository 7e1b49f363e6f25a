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

    def _repr_html_(self) -> str:
        """Jupyter's display: a table of the epochs (the first and last five of a long run).
        :func:`glassnet.views.notebook.enable` replaces it with the curves drawn inline."""
        from glassnet.core._repr import html_table

        header, rows = history_table(self)
        title = f"Training history: {len(self.records)} epochs, stopped: {self.stop_reason}"
        return html_table(title, header, rows, footer=f"kept the parameters of epoch "
                          f"{self.best_epoch}")  # fmt: skip

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


def history_table(
    history: History, head: int = 5, tail: int = 5
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the epochs for display; a long run shows its ends and ``...``."""
    fields = ["epoch", "loss", "val_loss", "accuracy", "val_accuracy", "learning_rate"]
    used = [f for f in fields if any(getattr(r, f) is not None for r in history.records)]

    def cell(value: Any) -> str:
        return "" if value is None else value if isinstance(value, str) else f"{value:.4g}"

    records = history.records
    rows = [[cell(getattr(r, f)) for f in used] for r in records]
    if len(rows) > head + tail:
        rows = rows[:head] + [["..."] * len(used)] + rows[-tail:]
    return used, rows
