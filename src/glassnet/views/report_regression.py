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

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

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
    names = target_names(d.settings, Y.shape[1])
    summary = [
        ("network", "-".join(map(str, d.net.sizes))),
        ("hidden activations", ", ".join(a.name for a in d.net.activations) or "none"),
        ("output and loss", f"{d.net.head.name} + {d.net.head.loss_name} ({d.net.head.reduction})"),
        ("parameters", d.net.n_params),
        ("samples shown", Y.shape[0]),
        ("losses", d.loss_unit or "the network's loss per sample"),
        *s.run_rows(d),
        *summary_scores(shown, names),
        *d.notes,
    ]
    sections = [
        ("summary", "Summary", h.table(["", "value"], summary, text_cols=2)),
        ("scores", "Scores per split", scores_table(d.split_scores, names)),
        ("architecture", "Architecture", s.architecture(d)),
        *([("settings", "Settings", settings_section(d.settings))] if d.settings is not None
          else []),  # a model file's recipe
        ("predictions", "Predictions", predictions_section(Y, T, images, names)),
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


def target_names(settings: Mapping[str, Any] | None, k: int) -> list[str]:
    """The names of a regressor's ``k`` target columns: those the model keeps
    (``settings["targets"]``, several targets of a table), else ``target 0``, ...; ``[""]``
    for one target (its report names none)."""
    if k == 1:
        return [""]
    kept = (settings or {}).get("targets")
    if isinstance(kept, (list, tuple)) and len(kept) == k:
        return [str(name) for name in kept]
    return [f"target {j}" for j in range(k)]


def _score_cells(sc: RegressionScores, j: int = 0) -> list[tuple[str, str]]:
    """RMSE, MAE and R^2 of target column ``j``."""
    return [("RMSE", format(float(sc.rmse[j]), ".6g")), ("MAE", format(float(sc.mae[j]), ".6g")),
            ("R^2", format(float(sc.r2[j]), ".6f"))]  # fmt: skip


def summary_scores(sc: RegressionScores, names: Sequence[str]) -> list[tuple[str, str]]:
    """The summary's rows of the samples shown: ``RMSE (samples shown)``, or for several
    targets ``RMSE of price (samples shown)``, one row per score and target."""
    return [(f"{metric}{f' of {name}' if name else ''} (samples shown)", value)
            for j, name in enumerate(names) for metric, value in _score_cells(sc, j)]  # fmt: skip


def scores_table(
    split_scores: Sequence[tuple[str, int, RegressionScores]], names: Sequence[str] = ("",)
) -> str:
    """RMSE, MAE and R^2 of each split's rows, in the targets' units: one row per split,
    or for several targets (``names``, :func:`target_names`) one per split and target."""
    several = len(names) > 1
    rows = [[split, *([name] if several else []), n, *(v for _, v in _score_cells(sc, j))]
            for split, n, sc in split_scores for j, name in enumerate(names)]  # fmt: skip
    if not rows:
        return h.paragraph("No split was scored for this report.")
    note = h.paragraph(
        "Scores of the saved parameters on every row of each split, in the targets' units"
        f"{' (each target in its own)' if several else ''}. R^2 = 1 - SS_res / SS_tot."
    )
    header = ["split", *(["target"] if several else []), "samples", "RMSE", "MAE", "R^2"]
    return h.table(header, rows, text_cols=2 if several else 1) + note


def _network_units(html: str) -> str:
    return html + h.paragraph(
        "Computed where the network computes: on its standardized inputs and targets, the "
        "loss that training minimized (not in the targets' units).",
        "note",
    )


def predictions_section(
    Y: Array, T: Array, images: Images, names: Sequence[str] | None = None
) -> str:
    """Predicted against actual and the residuals of each target column of ``Y``, ``T``
    ``(N, k)``, named by ``names`` (:func:`target_names`; None: numbered)."""
    names = target_names(None, Y.shape[1]) if names is None else names
    parts = []
    for k in range(Y.shape[1]):
        name = f" ({names[k]})" if names[k] else ""
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
