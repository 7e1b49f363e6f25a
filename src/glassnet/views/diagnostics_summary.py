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

from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.views.diagnostics import DiagnosticsRecord, Plateau, health_kind

MOST_POINTS = 500  # steps drawn in the stored figure's curves

__all__ = ["MOST_POINTS", "DiagnosticsSummary", "stored_diagnostics"]


@dataclass(frozen=True)
class DiagnosticsSummary:
    """A run's diagnostics as the report shows them. Per dense layer ``l`` (``L`` of them):
    ``norm_start[l]``, ``norm_end[l]``, ``norm_largest[l]``; per hidden layer ``h`` (its
    activation ``activations[h]``): ``health_worst[h]``, ``health_end[h]`` (shares in
    [0, 1]); ``steps`` the steps recorded; ``curve_steps (P,)`` the steps drawn (counted from
    the first recorded, 0), ``curve_norms (P, L)`` and ``curve_health (P, H)`` their values.
    ``stored``: read from a model file (the report says so)."""

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
    stored: bool = False

    @property
    def health_kinds(self) -> list[str]:
        return [health_kind(a) for a in self.activations]

    @classmethod
    def of(cls, record: DiagnosticsRecord, most: int = MOST_POINTS) -> DiagnosticsSummary:
        """The summary of ``record`` (at least one step recorded, else ``ValueError``)."""
        n = len(record.grad_norms)
        if n == 0:
            raise ValueError("no diagnostics were recorded: nothing to summarize")
        norms = np.asarray(record.grad_norms, dtype=np.float64)  # (n, L)
        health = np.asarray(record.health, dtype=np.float64).reshape(n, -1)  # (n, H)
        drawn = np.unique(np.linspace(0, n - 1, min(n, most)).round().astype(int))
        return cls(
            activations=list(record.activations),
            steps=n,
            norm_start=_floats(norms[0]),
            norm_end=_floats(norms[-1]),
            norm_largest=_floats(norms.max(axis=0)),
            health_worst=_floats(health.max(axis=0)),
            health_end=_floats(health[-1]),
            plateaus=record.plateaus(),
            curve_steps=[int(i) for i in drawn],
            curve_norms=[_floats(row) for row in norms[drawn]],
            curve_health=[_floats(row) for row in health[drawn]],
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
        fields = {name: d[name] for name in _FIELDS}
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
           "health_end", "plateaus", "curve_steps", "curve_norms", "curve_health")  # fmt: skip


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
