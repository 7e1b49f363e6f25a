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
from glassnet.views.diagnostics import describe_plateaus
from glassnet.views.report_html import Images, figure

if TYPE_CHECKING:
    from glassnet.views.report import ReportData


def gradcheck(report: GradientReport | None) -> str:
    if report is None:
        return h.paragraph("No gradient check was run for this report.")
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


def diagnostics(d: ReportData, images: Images) -> str:
    rec = d.diagnostics
    if rec is None or not rec.grad_norms:
        return h.paragraph(
            "No diagnostics were recorded for this report: they are recorded only while a "
            "model trains, and a model file does not hold them. A glassnet train run shows "
            "its diagnostics in its own report (report.html, written beside the model)."
        )
    norms, health = np.asarray(rec.grad_norms), np.asarray(rec.health).reshape(len(rec.loss), -1)
    rows = []
    for i in range(norms.shape[1]):
        kind = rec.health_kinds[i] if i < len(rec.health_kinds) else "output"
        final = f"{health[-1, i]:.1%}" if i < health.shape[1] else ""
        peak = f"{health[:, i].max():.1%}" if i < health.shape[1] else ""
        start, end, largest = (f"{v:.3e}" for v in (norms[0, i], norms[-1, i], norms[:, i].max()))
        rows.append([i + 1, kind, start, end, largest, peak, final])
    header = ["layer", "unit check", "grad norm at start", "at end", "largest",
              "unit check, worst", "at end"]  # fmt: skip
    text = describe_plateaus(rec.plateaus(), len(rec.loss), d.step_name)
    fig = figures.plot_diagnostics(rec, d.step_name)
    return "".join(
        [
            h.table(header, rows, text_cols=2),
            h.paragraph(
                "Saturated: logistic output < 0.01 or > 0.99, tanh |a| > 0.99 (share of "
                "activations); dead: ReLU units that are 0 for every sample."
            ),
            h.paragraph(text, "note"),
            figure(images, "diagnostics.png", fig, "Gradient norms and unit health"),
        ]
    )
