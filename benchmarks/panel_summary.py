"""The panel's paired summary (benchmarks/panel.py): per table, both sides' mean scores,
the mean per-seed difference and its standard error, and the verdict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from panel_tables import TABLES

DIGITS_TARGET = 0.975  # issue 11: mean test accuracy of glassnet's defaults on the digits


@dataclass(frozen=True)
class Pair:
    """One table and split seed: each side's test score and fit seconds."""

    table: str
    seed: int
    glassnet: float
    sklearn: float
    glassnet_s: float
    sklearn_s: float


@dataclass(frozen=True)
class Row:
    """A table's paired summary over its seeds."""

    table: str
    metric: str
    n: int
    glassnet: float
    sklearn: float
    diff: float
    se: float  # nan for one seed
    glassnet_s: float
    sklearn_s: float

    @property
    def behind(self) -> bool:
        return self.diff < -self.se if math.isfinite(self.se) else self.diff < 0


def summarize(pairs: Sequence[Pair]) -> list[Row]:
    """Per table: means, the paired difference's mean and standard error, mean seconds."""
    rows = []
    for name in dict.fromkeys(p.table for p in pairs):
        mine = [p for p in pairs if p.table == name]
        d = np.array([p.glassnet - p.sklearn for p in mine])
        se = float(np.std(d, ddof=1) / np.sqrt(len(d))) if len(d) > 1 else math.nan
        metric = "accuracy" if TABLES[name][0] == "classification" else "R^2"
        rows.append(Row(
            name, metric, len(mine),
            float(np.mean([p.glassnet for p in mine])), float(np.mean([p.sklearn for p in mine])),
            float(d.mean()), se,
            float(np.mean([p.glassnet_s for p in mine])),
            float(np.mean([p.sklearn_s for p in mine])),
        ))  # fmt: skip
    return rows


def table_lines(rows: Sequence[Row]) -> list[str]:
    """The printed table, one line per data set, and the verdicts."""
    head = (f"{'table':<14}{'metric':<9}{'seeds':>5}{'glassnet':>10}{'sklearn':>10}"
            f"{'diff':>9}{'SE':>8}  {'verdict':<8}{'glassnet s':>11}{'sklearn s':>10}")  # fmt: skip
    lines = [head, "-" * len(head)]
    for r in rows:
        se = f"{r.se:8.4f}" if math.isfinite(r.se) else f"{'-':>8}"
        verdict = "behind" if r.behind else "ok"
        lines.append(
            f"{r.table:<14}{r.metric:<9}{r.n:>5}{r.glassnet:>10.4f}{r.sklearn:>10.4f}"
            f"{r.diff:>+9.4f}{se}  {verdict:<8}{r.glassnet_s:>11.2f}{r.sklearn_s:>10.2f}"
        )
    behind = [r.table for r in rows if r.behind]
    lines.append(f"tables behind scikit-learn: {', '.join(behind) if behind else 'none'}")
    for r in rows:
        if r.table == "digits":
            met = "met" if r.glassnet >= DIGITS_TARGET else "MISSED"
            lines.append(f"digits mean test accuracy {r.glassnet:.4f} (target >= "
                         f"{DIGITS_TARGET}): {met}")  # fmt: skip
    return lines
