"""The record of a training run: one :class:`~glassnet.train.records.EpochRecord` per epoch,
kept in a :class:`History`.

Every view of a run (the console summary, ``history.json``, the report, ``loss.png``, the
model file's ``settings["run"]``) is made from one :class:`History`:

* ``initial``: epoch 0, the losses of the initial parameters (before any update), recorded
  by every entry point that starts from an initialization
  (:func:`~glassnet.train.epoch_zero.initial_record`: the loop of
  :func:`glassnet.train.loop.fit`, L-BFGS, the CLI, the estimators);
* ``records``: epochs 1..n, the mean minibatch loss of each epoch and its validation scores;
* ``best_epoch``: the epoch whose parameters were kept (saved); :meth:`lowest_epoch` the
  best epoch, the one with the lowest monitored loss (validation when there is one, else
  training), as early stopping compares it: with target columns of different scales the
  standardized validation loss (each record's ``monitored_loss``), while the record shows
  it in the targets' units, whose lowest epoch :meth:`lowest_in_units` gives;
* ``final``: the scores of the kept parameters per split (``"train"``, ``"validation"``,
  ``"test"``), measured after training: these are the "final" numbers.

How a run ended, ``stop_reason``, has one vocabulary everywhere (the CLI's record, the
estimators' ``stop_reason_``, populations, L-BFGS): :data:`~glassnet.train.records.STOP_REASONS`
(it and ``EpochRecord`` live in :mod:`glassnet.train.records`; importable from here too).

``history.json`` holds the columns of :meth:`rows` (epoch 0 first), ``kept_epoch``,
``best_epoch`` (``best_epoch_of`` names the column whose lowest it is: ``val_loss``,
``loss`` or ``monitored_loss``; then also ``lowest_val_loss_epoch``), ``stop_reason`` and
``final``, and ``loss_penalty`` (what the training losses carry of an L2 penalty, epoch
0's too) when there is one; :meth:`History.from_dict` reads it back,
and files written before epoch 0 was recorded too. A record as trained of several target
columns (a checkpoint's) also holds ``val_losses``, each epoch's validation loss per
column (``null`` where none); a record in the targets' units (:meth:`History.in_units`,
what ``history.json`` and the estimators show) has none, and files without it load.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.wording import counted
from glassnet.train.epoch_zero import initial_record as initial_record
from glassnet.train.records import FIELDS, lowest, monitored_key
from glassnet.train.records import LEARNING_RATE_TOO_SMALL as LEARNING_RATE_TOO_SMALL
from glassnet.train.records import STOP_REASONS as STOP_REASONS
from glassnet.train.records import EpochRecord as EpochRecord
from glassnet.train.summaries import history_text

# documented here; EpochRecord, STOP_REASONS and LEARNING_RATE_TOO_SMALL in glassnet.train.records,
# initial_record in glassnet.train.epoch_zero
__all__ = ["History", "continued", "history_table"]


@dataclass
class History:
    records: list[EpochRecord] = field(default_factory=list)
    best_epoch: int = 0  # the epoch whose parameters were kept (0: the initial ones)
    stop_reason: str = "completed"
    initial: EpochRecord | None = None  # epoch 0, when it was measured
    final: dict[str, dict[str, float | None]] = field(default_factory=dict)  # split -> scores
    loss_unit: str = ""  # what the losses measure, when not the head's own loss (in_units)
    loss_penalty: str = ""  # what the training losses carry of an L2 penalty ("": none)

    @property
    def kept_epoch(self) -> int:
        """The epoch whose parameters were kept and saved (the same as ``best_epoch``)."""
        return self.best_epoch

    @property
    def epochs(self) -> int:
        """The number of epochs trained: the last record's epoch (0 before any)."""
        return self.records[-1].epoch if self.records else 0

    def rows(self) -> list[EpochRecord]:
        """Epoch 0 (when measured) and every trained epoch, in order."""
        return ([self.initial] if self.initial is not None else []) + list(self.records)

    def in_units(self, factor: float | Sequence[float] | Array, unit: str) -> History:
        """This history in the targets' own units, ``loss_unit`` set to ``unit``
        (:mod:`glassnet.train.target_units` chooses both for a regressor).

        ``factor`` one number (``scale**2``, :func:`glassnet.data.preprocessing.loss_unit`):
        every loss (training, validation, epoch 0) times it. One number per target column
        (``scale_k**2``, :func:`~glassnet.data.preprocessing.loss_factors`): each validation
        loss becomes ``mean_k factor_k L_k`` of its record's ``val_losses`` ``L_k``; the
        training losses stay as trained (the loop's step gives one number, no columns).
        ``final`` is kept as it is; ``val_losses`` (as trained) are left out, and with
        per-column factors each validation loss as trained is kept as ``monitored_loss``
        (the order of the epochs may change: :meth:`lowest_epoch` keeps to it). Raises
        ``ValueError`` when per-column factors meet a validation loss without its columns
        (:meth:`by_column` says whether every one has them)."""
        f = np.asarray(factor, dtype=np.float64)
        if f.ndim and not self.by_column():
            raise ValueError("a validation loss of this history has no per-column losses")

        def scaled(r: EpochRecord) -> EpochRecord:
            if f.ndim == 0:
                val = None if r.val_loss is None else r.val_loss * float(f)
                return dataclasses.replace(r, loss=r.loss * float(f), val_loss=val,
                                           val_losses=None)  # fmt: skip
            if r.val_losses is None:  # no validation loss
                return dataclasses.replace(r, val_losses=None)
            val = float(np.mean(f * np.asarray(r.val_losses, dtype=np.float64)))
            return dataclasses.replace(r, val_loss=val, val_losses=None,
                                       monitored_loss=r.val_loss)  # as compared: kept

        initial = None if self.initial is None else scaled(self.initial)
        records = [scaled(r) for r in self.records]
        return History(
            records, self.best_epoch, self.stop_reason, initial, dict(self.final), unit,
            self.loss_penalty,
        )

    def by_column(self) -> bool:
        """Whether every validation loss has its per-column losses (``val_losses``), as a
        run of several target columns records them (a checkpoint of an older version, or a
        run of one column, has none)."""
        return all(r.val_loss is None or r.val_losses is not None for r in self.rows())

    def lowest_epoch(self) -> int | None:
        """The best epoch: the lowest monitored loss, as early stopping compares it
        (validation when recorded, else training; ``monitored_loss`` where kept)."""
        rows = self.rows()
        return lowest(rows, monitored_key(rows))

    def lowest_in_units(self) -> int | None:
        """Where the record shows its validation losses in other units than those compared
        (``monitored_loss`` kept: target columns of different scales), the epoch of the
        lowest validation loss as shown, which may differ from :meth:`lowest_epoch`; else
        None."""
        rows = self.rows()
        return lowest(rows, "val_loss") if monitored_key(rows) == "monitored_loss" else None

    def column(self, name: str) -> list[Any]:
        """One field of every trained epoch (1..n); ``rows()`` includes epoch 0."""
        return [getattr(r, name) for r in self.records]

    def __repr__(self) -> str:  # counts and the kept epoch, never every record
        return history_text(self)

    def _repr_html_(self) -> str:
        """Jupyter's display: a table of the epochs (the first and last five of a long run).
        :func:`glassnet.views.notebook.enable` replaces it with the curves drawn inline."""
        from glassnet.core._repr import html_table

        header, rows = history_table(self)
        title = f"Training history: {counted(self.epochs, 'epoch')}, stopped: {self.stop_reason}"
        return html_table(title, header, rows, footer=f"kept the parameters of epoch "
                          f"{self.best_epoch}")  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        rows = self.rows()
        cols: dict[str, Any] = {name: [getattr(r, name) for r in rows] for name in FIELDS}
        return {
            **cols,
            "kept_epoch": self.best_epoch,
            "best_epoch": self.lowest_epoch(),
            "best_epoch_of": monitored_key(rows),
            **({"monitored_loss": [r.monitored_loss for r in rows],
                "lowest_val_loss_epoch": self.lowest_in_units()}
               if monitored_key(rows) == "monitored_loss" else {}),  # fmt: skip
            "stop_reason": self.stop_reason,
            "final": self.final,
            **({"loss_unit": self.loss_unit} if self.loss_unit else {}),
            **({"loss_penalty": self.loss_penalty} if self.loss_penalty else {}),
            **({"val_losses": [_listed(r.val_losses) for r in rows]}
               if any(r.val_losses is not None for r in rows) else {}),  # fmt: skip
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> History:
        """Rebuild a history from :meth:`as_dict` output (or an older file without epoch 0)."""
        per_column = d.get("val_losses") or [None] * len(d["epoch"])  # absent: older files
        monitored = d.get("monitored_loss") or [None] * len(d["epoch"])
        rows = [
            EpochRecord(**dict(zip(FIELDS, row, strict=True)), monitored_loss=watched,
                        val_losses=None if cols is None else tuple(map(float, cols)))
            for *row, cols, watched in zip(*(d[n] for n in FIELDS), per_column, monitored,
                                           strict=True)  # fmt: skip
        ]
        initial = rows.pop(0) if rows and rows[0].epoch == 0 else None
        kept = d["kept_epoch"] if "kept_epoch" in d else d["best_epoch"]
        final = dict(d.get("final") or {})
        return cls(rows, int(kept), str(d["stop_reason"]), initial, final,
                   d.get("loss_unit", ""), str(d.get("loss_penalty") or ""))  # fmt: skip


def _listed(columns: tuple[float, ...] | None) -> list[float] | None:
    return None if columns is None else list(columns)


def history_table(
    history: History, head: int = 5, tail: int = 5
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the epochs for display; a long run shows its ends and ``...``."""
    fields = ["epoch", "loss", "val_loss", "accuracy", "val_accuracy", "learning_rate"]
    records = history.rows()  # epoch 0 (when measured) first
    used = [f for f in fields if any(getattr(r, f) is not None for r in records)]

    def cell(value: Any) -> str:
        return "" if value is None else value if isinstance(value, str) else f"{value:.4g}"

    rows = [[cell(getattr(r, f)) for f in used] for r in records]
    if len(rows) > head + tail:
        rows = rows[:head] + [["..."] * len(used)] + rows[-tail:]
    return used, rows


def continued(before: History, run: History) -> History:
    """The record of a run that went on from ``before`` (``partial_fit``, ``warm_start``):
    ``run``'s epochs renumbered to follow ``before``'s, epoch 0 the first run's; the
    losses' unit is ``run``'s."""
    offset = before.epochs
    records = run.records
    if offset:  # renumbered (a first run's epochs stand as they are)
        records = [dataclasses.replace(r, epoch=r.epoch + offset) for r in records]
    return History(
        [*before.records, *records],
        run.best_epoch + offset,
        run.stop_reason,
        before.initial if before.initial is not None else run.initial,
        loss_unit=run.loss_unit or before.loss_unit,  # what the losses measure
        loss_penalty=run.loss_penalty or before.loss_penalty,
    )
