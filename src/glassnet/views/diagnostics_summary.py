"""What the report shows of a run's diagnostics, compact enough to keep in a model file.

:class:`DiagnosticsSummary` is made from a :class:`~glassnet.views.diagnostics.DiagnosticsRecord`
(one row per recorded step) and holds exactly what the report's diagnostics section shows:
each dense layer's gradient norm at the first and last step and its largest, each hidden
layer's saturated or dead share at its worst and at the last step, the loss plateaus, and
the curves of the figure (at most :data:`MOST_POINTS` steps, evenly spaced, the first and
last among them). ``glassnet train`` stores it in the model file (``settings["diagnostics"]``,
:meth:`DiagnosticsSummary.as_dict`), so a report made later from the file alone shows the
same table, plateaus and figure as the training report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.views.diagnostics import DiagnosticsRecord, Plateau, health_kind

MOST_POINTS = 500  # steps drawn in the stored figure's curves

__all__ = ["MOST_POINTS", "DiagnosticsSummary", "stored_diagnostics"]


@dataclass(frozen=True)
class DiagnosticsSummary:
    """A run's diagnostics as the report shows them. Per dense layer ``l`` (``L`` of them):
    ``norm_start[l]``, ``norm_end[l]``, ``norm_largest[l]``; per hidden layer ``h`` (its
    activation ``activations[h]``): ``health_worst[h]``, ``health_end[h]`` (shares in
    [0, 1]); ``steps`` the number of steps recorded; ``curve_steps (P,)`` the steps drawn
    (by number: epoch 0 first), ``curve_norms (P, L)`` and ``curve_health (P, H)`` their
    values; ``unseen`` the steps ``[first, last]`` not recorded (those a resumed run ran
    before its resume), else None. ``stored``: read from a model file (the report says so)."""

    activations: list[str]
    steps: int
    norm_start: list[float]
    norm_end: list[float]
    norm_largest: list[float]
    health_worst: list[float]
    health_end: list[float]
    plateaus: list[Plateau]
    curve_steps: list[int]
    curve_norms: list[list[float]]
    curve_health: list[list[float]]
    unseen: list[int] | None = None  # steps [first, last] not recorded (before a resume)
    stored: bool = False

    @property
    def health_kinds(self) -> list[str]:
        return [health_kind(a) for a in self.activations]

    @classmethod
    def of(
        cls, record: DiagnosticsRecord, most: int = MOST_POINTS, at: Sequence[int] | None = None
    ) -> DiagnosticsSummary:
        """The summary of ``record`` (at least one step recorded, else ``ValueError``);
        ``at`` the step of each of its rows, increasing (default 0, 1, ...; a resumed
        run's: 0, then the epochs after the resume), which the curves and plateaus name."""
        n = len(record.grad_norms)
        if n == 0:
            raise ValueError("no diagnostics were recorded: nothing to summarize")
        steps = np.arange(n) if at is None else np.asarray(at, dtype=np.int64)
        if steps.shape != (n,) or np.any(np.diff(steps) <= 0):
            raise ValueError(f"at: {n} increasing steps expected, got {list(steps)[:8]}")
        norms = np.asarray(record.grad_norms, dtype=np.float64)  # (n, L)
        health = np.asarray(record.health, dtype=np.float64).reshape(n, -1)  # (n, H)
        drawn = np.unique(np.linspace(0, n - 1, min(n, most)).round().astype(int))
        plateaus = [Plateau(int(steps[p.start]), int(steps[min(p.end, n - 1)]), p.level)
                    for p in record.plateaus()]  # fmt: skip
        return cls(
            activations=list(record.activations),
            steps=n,
            norm_start=_floats(norms[0]),
            norm_end=_floats(norms[-1]),
            norm_largest=_floats(norms.max(axis=0)),
            health_worst=_floats(health.max(axis=0)),
            health_end=_floats(health[-1]),
            plateaus=plateaus,
            curve_steps=[int(i) for i in steps[drawn]],
            curve_norms=[_floats(row) for row in norms[drawn]],
            curve_health=[_floats(row) for row in health[drawn]],
            unseen=_gap(steps),
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values (``settings["diagnostics"]`` of a model file)."""
        out = {name: getattr(self, name) for name in _FIELDS}
        out["plateaus"] = [[p.start, p.end, p.level] for p in self.plateaus]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DiagnosticsSummary:
        """The summary :meth:`as_dict` wrote (``stored`` set); ``ValueError``,
        ``KeyError`` or ``TypeError`` for a damaged one."""
        fields = {name: d[name] for name in _FIELDS if name != "unseen"}
        fields["unseen"] = d.get("unseen")
        fields["plateaus"] = [Plateau(int(s), int(e), float(v)) for s, e, v in d["plateaus"]]
        summary = cls(**fields, stored=True)
        n_layers, n_hidden = len(summary.norm_start), len(summary.activations)
        rows = (summary.curve_steps, summary.curve_norms, summary.curve_health)
        if not (
            len(rows[0]) == len(rows[1]) == len(rows[2]) > 0
            and all(len(r) == n_layers for r in summary.curve_norms)
            and all(len(r) == n_hidden for r in summary.curve_health)
        ):
            raise ValueError("the stored diagnostics do not fit together")
        return summary


_FIELDS = ("activations", "steps", "norm_start", "norm_end", "norm_largest", "health_worst",
           "health_end", "plateaus", "curve_steps", "curve_norms", "curve_health",
           "unseen")  # fmt: skip


def _gap(steps: Array) -> list[int] | None:
    """The first run of steps missing between recorded ones, ``[first, last]``, or None."""
    jumps = np.flatnonzero(np.diff(steps) > 1)
    if not len(jumps):
        return None
    k = int(jumps[0])
    return [int(steps[k]) + 1, int(steps[k + 1]) - 1]


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def stored_diagnostics(settings: dict[str, Any]) -> DiagnosticsSummary | None:
    """The summary a model file keeps (``settings["diagnostics"]``), or None: none kept
    (an estimator's file, one written before glassnet kept it) or a damaged one."""
    saved = settings.get("diagnostics") if isinstance(settings, dict) else None
    if not isinstance(saved, dict):
        return None
    try:
        return DiagnosticsSummary.from_dict(saved)
    except (ValueError, KeyError, TypeError):
        return None
