"""The report of a regressor: what :func:`glassnet.views.report.build_report` makes of a
:class:`~glassnet.views.report.ReportData` with ``predicted`` set.

Sections: summary (the run's numbers and RMSE, MAE, R^2 of the samples shown), scores per
split, architecture, predictions (predicted against actual, residuals), training (the
loss curves), gradient check, diagnostics (per layer), loss landscape. Targets,
predictions, residuals, RMSE and MAE are in the targets' units and every loss in the
record's ``loss_unit``; the gradient check and the landscape are computed where the
network computes, on its standardized inputs and targets, and say so. This module imports
matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from glassnet.core._types import Array
from glassnet.views import report_html as h
from glassnet.views import report_sections as s
from glassnet.views.labels import fit_text
from glassnet.views.metrics import RegressionScores
from glassnet.views.report_health import diagnostics, gradcheck
from glassnet.views.report_html import Images, figure
from glassnet.views.report_inside import landscape
from glassnet.views.report_settings import settings_section

if TYPE_CHECKING:
    from glassnet.views.report import ReportData


def build_regression_report(d: ReportData) -> tuple[str, Images]:
    """The HTML page and the PNG images of a regressor's report."""
    assert d.predicted is not None and d.actual is not None
    images: Images = {}
    Y, T = _columns(d.predicted), _columns(d.actual)
    shown = RegressionScores.of(Y, T)
    summary = [
        ("network", "-".join(map(str, d.net.sizes))),
        ("hidden activations", ", ".join(a.name for a in d.net.activations) or "none"),
        ("output and loss", f"{d.net.head.name} + {d.net.head.loss_name} ({d.net.head.reduction})"),
        ("parameters", d.net.n_params),
        ("samples shown", Y.shape[0]),
        ("losses", d.loss_unit or "the network's loss per sample"),
        *s.run_rows(d),
        *[(f"{k} (samples shown)", v) for k, v in _score_cells(shown)],
        *d.notes,
    ]
    sections = [
        ("summary", "Summary", h.table(["", "value"], summary, text_cols=2)),
        ("scores", "Scores per split", scores_table(d.split_scores)),
        ("architecture", "Architecture", s.architecture(d)),
        *([("settings", "Settings", settings_section(d.settings))] if d.settings is not None
          else []),  # a model file's recipe
        ("predictions", "Predictions", predictions_section(Y, T, images)),
        ("training", "Training", s.training(d, images)),
        ("gradcheck", "Gradient check",
         _network_units(gradcheck(d.gradient_report, d.gradient_note))),
        ("diagnostics", "Diagnostics", _network_units(diagnostics(d, images))),
        ("landscape", "Loss landscape", _network_units(landscape(d, images))),
        *d.extra_sections,
    ]
    html_sections = [(a, t, h.section(a, t, [body])) for a, t, body in sections]
    return h.page(d.title, html_sections), images


def _columns(A: Array) -> Array:
    A = np.asarray(A, dtype=np.float64)
    return A.reshape(len(A), -1)


def _score_cells(sc: RegressionScores) -> list[tuple[str, str]]:
    """RMSE, MAE and R^2, one value per target column joined by commas."""

    def join(values: Array, fmt: str) -> str:
        return ", ".join(format(float(v), fmt) for v in values)

    return [("RMSE", join(sc.rmse, ".6g")), ("MAE", join(sc.mae, ".6g")),
            ("R^2", join(sc.r2, ".6f"))]  # fmt: skip


def scores_table(split_scores: Sequence[tuple[str, int, RegressionScores]]) -> str:
    """RMSE, MAE and R^2 of each split's rows, in the targets' units (per target column)."""
    rows = [[name, n, *(v for _, v in _score_cells(sc))] for name, n, sc in split_scores]
    if not rows:
        return h.paragraph("No split was scored for this report.")
    note = h.paragraph(
        "Scores of the saved parameters on every row of each split, in the targets' units "
        "(several targets: one value per column). R^2 = 1 - SS_res / SS_tot."
    )
    return h.table(["split", "samples", "RMSE", "MAE", "R^2"], rows) + note


def _network_units(html: str) -> str:
    return html + h.paragraph(
        "Computed where the network computes: on its standardized inputs and targets, the "
        "loss that training minimized (not in the targets' units).",
        "note",
    )


def predictions_section(Y: Array, T: Array, images: Images) -> str:
    parts = []
    for k in range(Y.shape[1]):
        name = "" if Y.shape[1] == 1 else f" (target {k})"
        fig = plot_predicted_vs_actual(T[:, k], Y[:, k], name)
        caption = f"Predicted against actual{name}: on the diagonal is right"
        parts.append(figure(images, f"predicted_vs_actual_{k}.png", fig, caption))
        fig = plot_residuals(T[:, k], Y[:, k], name)
        parts.append(figure(images, f"residuals_{k}.png", fig,
                            f"Residuals (actual - predicted){name}"))  # fmt: skip
    return "".join(parts)


def plot_predicted_vs_actual(actual: Array, predicted: Array, name: str = "") -> Figure:
    """Each sample's prediction against its target ``(N,)``, with the diagonal y = x."""
    fig = Figure(figsize=(5.5, 5), dpi=100)
    ax = fig.add_subplot()
    ax.scatter(actual, predicted, s=10, alpha=0.6)
    lo = float(min(np.min(actual), np.min(predicted)))
    hi = float(max(np.max(actual), np.max(predicted)))
    ax.plot([lo, hi], [lo, hi], "k--", linewidth=1, label="predicted = actual")
    ax.set_xlabel("actual (target units)")
    ax.set_ylabel("predicted (target units)")
    ax.set_title(f"Predicted against actual{name}")
    ax.legend()
    ax.grid(alpha=0.3)
    fit_text(fig)  # long labels wrapped inside the figure
    fig.tight_layout()
    return fig


def plot_residuals(actual: Array, predicted: Array, name: str = "") -> Figure:
    """The residuals ``actual - predicted`` against the prediction, and their histogram."""
    fig = Figure(figsize=(9, 4), dpi=100)
    left, right = fig.subplots(1, 2)
    r = np.asarray(actual, np.float64) - np.asarray(predicted, np.float64)
    left.scatter(predicted, r, s=10, alpha=0.6)
    left.axhline(0.0, color="k", linestyle="--", linewidth=1)
    left.set_xlabel("predicted (target units)")
    left.set_ylabel("residual = actual - predicted")
    left.grid(alpha=0.3)
    right.hist(r, bins=min(40, max(5, len(r) // 10)))
    right.set_xlabel("residual (target units)")
    right.set_ylabel("samples")
    fig.suptitle(f"Residuals{name}")
    fit_text(fig)  # long labels wrapped inside the figure
    fig.tight_layout()
    return fig
