"""The sections of the training report (:mod:`glassnet.views.report`) beyond its summary:
architecture, data, training curves, decision boundary, gradient check, diagnostics, hidden
layers and the loss landscape. Each takes the report's
:class:`~glassnet.views.report.ReportData` (and the images dict it adds its PNGs to) and
returns HTML. This module imports matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from glassnet.core.gradcheck import GradientReport
from glassnet.views import figures, plotting
from glassnet.views import report_html as h
from glassnet.views.diagnostics import describe_plateaus, detect_plateaus
from glassnet.views.landscape import loss_slice, pca_directions, project_path, random_direction

if TYPE_CHECKING:
    from glassnet.views.report import ReportData

Images = dict[str, bytes]


def figure(images: Images, name: str, fig: object, caption: str) -> str:
    """Store ``fig`` as PNG under ``name`` in ``images`` and return its HTML with ``caption``."""
    images[name] = h.png_bytes(fig)
    return h.image(images[name], caption)


def run_rows(d: ReportData) -> list[tuple[str, object]]:
    """The run's numbers: point 0 of the history is the initialization, point ``k`` step
    ``k``; "final" is the loss of the parameters the report shows."""
    if not len(d.loss_history):
        return [(f"{d.step_name}s", "n/a (no history)")]
    last = len(d.loss_history) - 1
    kept = last if d.kept_step is None else d.kept_step
    final = d.loss_history[kept] if d.final_loss is None else d.final_loss
    step = d.step_name
    rows: list[tuple[str, object]] = [
        (f"{step}s", last),
        (f"initial loss ({step} 0, before training)", f"{d.loss_history[0]:.6g}"),
    ]
    if d.best_step is not None:
        rows.append((f"best {step} (lowest monitored loss)", d.best_step))
    rows += [
        (f"kept {step} (the parameters shown and saved)", kept),
        ("final loss (the kept parameters, training rows)", f"{final:.6g}"),
    ]
    if kept != last:
        rows.append((f"loss in the last {step} ({last})", f"{d.loss_history[-1]:.6g}"))
    return rows


def architecture(d: ReportData) -> str:
    rows = []
    acts = [a.name for a in d.net.activations] + [f"{d.net.head.name} (output)"]
    for i, (layer, act) in enumerate(zip(d.net.layers, acts, strict=True)):
        rows.append(
            [
                i + 1,
                f"{layer.n_in} -> {layer.n_out}",
                act,
                f"({layer.n_in}, {layer.n_out})",
                f"(1, {layer.n_out})",
                layer.n_params,
            ]
        )
    rows.append(["total", "", "", "", "", d.net.n_params])
    return h.table(["layer", "units", "activation", "W", "b", "parameters"], rows, text_cols=3)


def data(d: ReportData, images: Images) -> str:
    if d.plane:
        fig = plotting.plot_dataset(d.X, d.t, d.class_names, "The data")
        return figure(images, "dataset.png", fig, "The samples, one colour per class")
    fig = plotting.plot_hidden_projection(d.X, d.t, "input space", d.class_names)
    return figure(images, "dataset.png", fig, f"The {d.X.shape[1]}-D samples")


def training(d: ReportData, images: Images) -> str:
    if not d.loss_history:
        return h.paragraph("No training history was recorded for this model.", "note")
    plateaus = detect_plateaus(d.loss_history)
    fig = figures.plot_loss_with_plateaus(
        d.loss_history, plateaus, d.validation_loss, xlabel=d.step_name, marks=_marks(d),
        ylabel=d.loss_unit or "loss",
    )  # fmt: skip
    parts = [
        figure(images, "loss.png", fig, "Loss (training; validation when given)"),
        h.paragraph(describe_plateaus(plateaus, len(d.loss_history), d.step_name), "note"),
    ]
    if d.accuracy_history is not None:
        fig = plotting.plot_loss(
            d.accuracy_history,
            d.validation_accuracy,
            xlabel=d.step_name,
            ylabel="accuracy",
            title="Accuracy during training",
        )
        parts.append(figure(images, "accuracy.png", fig, "Accuracy"))
    return "".join(parts)


def _marks(d: ReportData) -> list[tuple[str, int]]:
    """Vertical lines on the loss curve: the best and the kept step, when known."""
    marks = []
    if d.best_step is not None:
        marks.append((f"best {d.step_name} ({d.best_step})", d.best_step))
    if d.kept_step is not None and d.kept_step != d.best_step:
        marks.append((f"kept {d.step_name} ({d.kept_step})", d.kept_step))
    elif d.kept_step is not None:
        marks[-1] = (f"best and kept {d.step_name} ({d.kept_step})", d.kept_step)
    return marks


def boundary(d: ReportData, images: Images) -> str:
    fig = plotting.plot_decision_boundary(
        lambda P: d.net.predict(d.params, P), d.X, d.t, resolution=150, class_names=d.class_names
    )
    return figure(images, "decision_boundary.png", fig, "The trained classifier's regions")


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
            c.n_kinks,
            "yes" if c.passed else "NO",
        ]
        for c in report.checks
    ]
    verdict = (
        f"Gradient check {'passed' if report.passed else 'FAILED'}: central differences, "
        f"eps={report.eps:g}; an element passes when |num - ana| <= {report.atol:g} + "
        f"{report.rtol:g} * max(|num|, |ana|). Kinks: elements whose +-eps moves a ReLU input "
        "across 0, where the slope jumps; their differences are no gradients and are not judged."
    )
    header = ["layer", "param", "shape", "max abs err", "max rel err", "worst", "kinks", "ok"]
    return h.table(header, rows, text_cols=2) + h.paragraph(verdict)


def diagnostics(d: ReportData, images: Images) -> str:
    rec = d.diagnostics
    if rec is None or not rec.grad_norms:
        return h.paragraph("No diagnostics were recorded during this run.")
    norms, health = np.asarray(rec.grad_norms), np.asarray(rec.health).reshape(len(rec.loss), -1)
    rows = []
    for i in range(norms.shape[1]):
        kind = rec.health_kinds[i] if i < len(rec.health_kinds) else "output"
        final = f"{health[-1, i]:.1%}" if i < health.shape[1] else ""
        peak = f"{health[:, i].max():.1%}" if i < health.shape[1] else ""
        rows.append(
            [
                i + 1,
                kind,
                f"{norms[0, i]:.3e}",
                f"{norms[-1, i]:.3e}",
                f"{norms[:, i].max():.3e}",
                peak,
                final,
            ]
        )
    header = [
        "layer",
        "unit check",
        "grad norm at start",
        "at end",
        "largest",
        "unit check, worst",
        "at end",
    ]
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


def hidden(d: ReportData, images: Images) -> str:
    parts = []
    for i, A in enumerate(d.net.hidden_activations(d.params, d.X)):
        fig = plotting.plot_hidden_projection(A, d.t, f"hidden layer {i + 1}", d.class_names)
        parts.append(
            figure(
                images,
                f"hidden_projection_{i + 1}.png",
                fig,
                f"The samples in hidden layer {i + 1}",
            )
        )
    if d.plane:
        fig = figures.plot_activation_maps(d.net, d.params, d.X, d.t)
        parts.append(
            figure(
                images,
                "activation_maps.png",
                fig,
                "What each hidden unit computes over the input plane",
            )
        )
    return "".join(parts)


def landscape(d: ReportData, images: Images) -> str:
    """The loss on the plane of the training path (PCA of the snapshots, Li et al. 2018)
    when there is a path; else on two random filter-normalised directions."""
    try:
        d1, d2, share = pca_directions(d.snapshots, d.params)
    except ValueError:
        share = None
    if share is not None:
        radius = max(float(np.abs(project_path(d.snapshots, d.params, d1, d2)).max()), 1e-6)
        labels = (f"PC 1 ({share[0]:.0%} of the path)", f"PC 2 ({share[1]:.0%})")
        extent, text = (
            0.2 * radius,
            (
                "The loss on the plane of the training path itself: the two principal directions "
                "of the parameter snapshots' offsets from the kept parameters (PCA, as in Li et "
                f"al., 2018), which hold {share.sum():.0%} of the path's variance. The path runs "
                "from the start (circle) to the last epoch (star); the kept parameters are the "
                "centre (0, 0)."
            ),
        )
    else:
        rng = np.random.default_rng(0)
        d1, d2 = random_direction(rng, d.params), random_direction(rng, d.params)
        labels, extent = ("random direction 1", "random direction 2"), 1.0
        text = (
            "The loss on a plane through the trained parameters, spanned by two random "
            "filter-normalised directions (Li et al., 2018); no training path was recorded."
        )
    s = loss_slice(d.net, d.params, d.X, d.T, d1, d2, d.snapshots, 31, extent, labels)
    fig = figures.plot_landscape(s, "Loss around the trained parameters")
    caption = "Loss landscape on the " + (
        "PCA plane of the path" if share is not None else "plane of two random directions"
    )
    return h.paragraph(text) + figure(images, "landscape.png", fig, caption)
