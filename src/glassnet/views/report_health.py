"""The report's sections on the health of training: the gradient check (backpropagation
against central differences) and the diagnostics recorded during the run (gradient norms per
layer, saturated and dead units). Each returns HTML. This module imports matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from glassnet.core.gradcheck import GradientReport
from glassnet.views import figures
from glassnet.views import report_html as h
from glassnet.views.diagnostics import DiagnosticsRecord, describe_plateaus
from glassnet.views.diagnostics_summary import DiagnosticsSummary
from glassnet.views.report_html import Images, figure

if TYPE_CHECKING:
    from glassnet.views.report import ReportData


def gradcheck(report: GradientReport | None, why: str = "") -> str:
    """The gradient check's table and verdict; without one, ``why`` (or that none ran)."""
    if report is None:
        return h.paragraph(why or "No gradient check was run for this report.")
    rows = [
        [
            c.layer + 1,
            c.name,
            str(c.shape),
            f"{c.max_abs_error:.3e}",
            f"{c.max_rel_error:.3e}",
            str(c.worst_index),
            f"{c.n_checked} of {int(np.prod(c.shape))}",
            c.n_kinks,
            "yes" if c.passed else "NO" if c.failed else "unresolved",
        ]
        for c in report.checks
    ]
    verdict = (
        f"Gradient check {report.verdict}: "
        + (f"{report.diagnosis().removeprefix('inconclusive: ')}; " if report.inconclusive else "")
        + "central differences, "
        f"eps={report.eps:g}; an element passes when |num - ana| <= {report.atol:g} + "
        f"{report.rtol:g} * max(|num|, |ana|). Kinks: elements whose +-eps moves a ReLU input "
        "across 0, where the slope jumps; their differences are no gradients and are not judged."
    )
    header = ["layer", "param", "shape", "max abs err", "max rel err", "worst", "checked",
              "kinks", "ok"]  # fmt: skip
    return h.table(header, rows, text_cols=2) + h.paragraph(verdict)


NOT_RECORDED = (
    "No diagnostics were recorded for this report: they are recorded only while a "
    "model trains, and a model file does not hold them. A glassnet train run shows "
    "its diagnostics in its own report (report.html, written beside the model)."
)


def diagnostics(d: ReportData, images: Images) -> str:
    """The diagnostics section: of the run's record, or of the summary its model file keeps
    (:class:`~glassnet.views.diagnostics_summary.DiagnosticsSummary`), the same table,
    plateaus and figure; without either, where a training run's diagnostics are."""
    rec = d.diagnostics
    if rec is None or (isinstance(rec, DiagnosticsRecord) and not rec.grad_norms):
        return h.paragraph(NOT_RECORDED)
    s = rec if isinstance(rec, DiagnosticsSummary) else DiagnosticsSummary.of(rec)
    hidden = len(s.health_end)
    rows = []
    for i in range(len(s.norm_start)):
        kind = s.health_kinds[i] if i < hidden else "output"
        final = f"{s.health_end[i]:.1%}" if i < hidden else ""
        peak = f"{s.health_worst[i]:.1%}" if i < hidden else ""
        norms = (s.norm_start[i], s.norm_end[i], s.norm_largest[i])
        start, end, largest = (f"{v:.3e}" for v in norms)
        rows.append([i + 1, kind, start, end, largest, peak, final])
    header = ["layer", "unit check", "grad norm at start", "at end", "largest",
              "unit check, worst", "at end"]  # fmt: skip
    text = describe_plateaus(s.plateaus, s.curve_steps[-1] + 1, d.step_name)
    fig = figures.plot_diagnostics(s, d.step_name)
    return "".join(
        [
            *([h.paragraph(words)] if (words := _where_from(s, d.step_name)) else []),
            h.table(header, rows, text_cols=2),
            h.paragraph(
                "Saturated: logistic output < 0.01 or > 0.99, tanh |a| > 0.99 (share of "
                "activations); dead: ReLU units that are 0 for every sample."
            ),
            h.paragraph(text, "note"),
            figure(images, "diagnostics.png", fig, "Gradient norms and unit health"),
        ]
    )


def _where_from(s: DiagnosticsSummary, step: str) -> str:
    """Where the section's numbers come from: a model file's summary, steps a resumed run
    did not record; empty for a run's own record of every step."""
    drawn = len(s.curve_steps)
    thinned = "" if drawn == s.steps else f"; the figure draws {drawn} of them, evenly spaced"
    gap = "" if s.unseen is None else (
        f" (not {step}s {s.unseen[0]}-{s.unseen[1]}, run before the resume)"
    )
    if not s.stored:
        return f"Recorded at the start and after each {step}{gap}." if gap else ""
    return (
        f"Recorded while the model trained (at its start and after each {step}{gap}, "
        f"{s.steps} times in all, on a fixed sample of its training rows) and kept in the "
        f"model file: the numbers of its training report{thinned}."
    )
