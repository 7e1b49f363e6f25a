"""The training report: one self-contained HTML file showing a run from every side.

:func:`build_report` takes plain values in a :class:`ReportData` (network, parameters,
data, loss history, and whatever else the caller has: validation history, accuracy,
gradient check, diagnostics, parameter snapshots) and returns the page and its images.
Sections: summary, architecture, data, training, decision boundary, gradient check,
diagnostics, hidden layers, loss landscape. This module imports matplotlib.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.gradcheck import GradientReport
from glassnet.core.network import Network
from glassnet.data.datasets import one_hot
from glassnet.files.fileio import write_text
from glassnet.views import figures, plotting
from glassnet.views import report_html as h
from glassnet.views.diagnostics import DiagnosticsRecord, describe_plateaus, detect_plateaus
from glassnet.views.labels import shorten_all
from glassnet.views.landscape import loss_slice, pca_directions, project_path, random_direction
from glassnet.views.metrics import ClassScores, confusion_matrix


@dataclass
class ReportData:
    """Everything the report can show; only the first six fields are required."""

    title: str
    net: Network
    params: ParamList
    X: Array  # (N, D)
    t: Array  # (N,) class labels
    loss_history: Sequence[float]
    validation_loss: Sequence[float] | None = None
    accuracy_history: Sequence[float] | None = None
    validation_accuracy: Sequence[float] | None = None
    step_name: str = "iteration"  # or "epoch"
    gradient_report: GradientReport | None = None
    diagnostics: DiagnosticsRecord | None = None
    snapshots: Sequence[ParamList] = ()  # parameters along training, for the landscape
    class_names: Sequence[str] | None = None
    notes: Sequence[tuple[str, str]] = field(default_factory=list)  # extra summary rows
    targets: Array | None = None  # (N, C) as trained on; default: built from t
    kept_step: int | None = None  # the step whose parameters these are (default: the last)
    best_step: int | None = None  # the step with the lowest monitored loss, when known
    final_loss: float | None = None  # loss of ``params`` on the training rows, when measured
    extra_sections: Sequence[tuple[str, str, str]] = ()  # (anchor, title, HTML) at the end

    @property
    def T(self) -> Array:
        if self.targets is not None:
            return self.targets
        if self.net.sizes[-1] == 1:  # one logistic output unit: T is t as a column
            return np.asarray(self.t, dtype=np.float64).reshape(-1, 1)
        return one_hot(self.t, self.net.sizes[-1])

    @property
    def plane(self) -> bool:
        return self.X.shape[1] == 2


Images = dict[str, bytes]


def _figure(images: Images, name: str, fig: object, caption: str) -> str:
    images[name] = h.png_bytes(fig)
    return h.image(images[name], caption)


def _summary(d: ReportData) -> str:
    accuracy = float(np.mean(d.net.predict(d.params, d.X) == d.t))
    acts = ", ".join(a.name for a in d.net.activations) or "none"
    rows: list[tuple[str, object]] = [
        ("network", "-".join(map(str, d.net.sizes))),
        ("hidden activations", acts),
        ("output and loss", f"{d.net.head.name} + {d.net.head.loss_name} ({d.net.head.reduction})"),
        ("parameters", d.net.n_params),
        ("samples", d.X.shape[0]),
        *_run_rows(d),
        ("accuracy on these samples", f"{accuracy:.2%}"),
        *([("classes", ", ".join(shorten_all(d.class_names, 40)))] if d.class_names else []),
        *d.notes,
    ]
    return h.table(["", "value"], rows, text_cols=2)


def _run_rows(d: ReportData) -> list[tuple[str, object]]:
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


def _scores(d: ReportData) -> str:
    """Per-class precision, recall, F1 and support and the confusion matrix on the samples
    shown (:mod:`glassnet.views.metrics`)."""
    names = shorten_all(d.class_names or [str(c) for c in range(max(d.net.sizes[-1], 2))], 40)
    C = confusion_matrix(d.t, d.net.predict(d.params, d.X), len(names))
    sc = ClassScores.from_confusion(C)
    rows = [
        [n, f"{p:.4f}", f"{r:.4f}", f"{f:.4f}", int(k)]
        for n, p, r, f, k in zip(names, sc.precision, sc.recall, sc.f1, sc.support, strict=True)
    ]
    rows.append(["macro avg", f"{sc.precision.mean():.4f}", f"{sc.recall.mean():.4f}",
                 f"{sc.f1.mean():.4f}", int(sc.support.sum())])  # fmt: skip
    scores = h.table(["class", "precision", "recall", "F1", "support"], rows)
    matrix = h.table(
        ["true \\ predicted", *names], [[n, *row] for n, row in zip(names, C, strict=True)]
    )
    return scores + h.paragraph("Confusion matrix (rows: true class):") + matrix


def _architecture(d: ReportData) -> str:
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


def _data(d: ReportData, images: Images) -> str:
    if d.plane:
        fig = plotting.plot_dataset(d.X, d.t, d.class_names, "The data")
        return _figure(images, "dataset.png", fig, "The samples, one colour per class")
    fig = plotting.plot_hidden_projection(d.X, d.t, "input space", d.class_names)
    return _figure(images, "dataset.png", fig, f"The {d.X.shape[1]}-D samples")


def _training(d: ReportData, images: Images) -> str:
    if not d.loss_history:
        return h.paragraph("No training history was recorded for this model.", "note")
    plateaus = detect_plateaus(d.loss_history)
    fig = figures.plot_loss_with_plateaus(
        d.loss_history, plateaus, d.validation_loss, xlabel=d.step_name, marks=_marks(d)
    )
    parts = [
        _figure(images, "loss.png", fig, "Loss (training; validation when given)"),
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
        parts.append(_figure(images, "accuracy.png", fig, "Accuracy"))
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


def _boundary(d: ReportData, images: Images) -> str:
    fig = plotting.plot_decision_boundary(
        lambda P: d.net.predict(d.params, P), d.X, d.t, resolution=150, class_names=d.class_names
    )
    return _figure(images, "decision_boundary.png", fig, "The trained classifier's regions")


def _gradcheck(report: GradientReport | None) -> str:
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


def _diagnostics(d: ReportData, images: Images) -> str:
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
            _figure(images, "diagnostics.png", fig, "Gradient norms and unit health"),
        ]
    )


def _hidden(d: ReportData, images: Images) -> str:
    parts = []
    for i, A in enumerate(d.net.hidden_activations(d.params, d.X)):
        fig = plotting.plot_hidden_projection(A, d.t, f"hidden layer {i + 1}", d.class_names)
        parts.append(
            _figure(
                images,
                f"hidden_projection_{i + 1}.png",
                fig,
                f"The samples in hidden layer {i + 1}",
            )
        )
    if d.plane:
        fig = figures.plot_activation_maps(d.net, d.params, d.X, d.t)
        parts.append(
            _figure(
                images,
                "activation_maps.png",
                fig,
                "What each hidden unit computes over the input plane",
            )
        )
    return "".join(parts)


def _landscape(d: ReportData, images: Images) -> str:
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
    return h.paragraph(text) + _figure(images, "landscape.png", fig, caption)


def build_report(d: ReportData) -> tuple[str, Images]:
    """The HTML page and the PNG images it embeds (by file name)."""
    images: Images = {}
    sections = [
        ("summary", "Summary", _summary(d)),
        ("scores", "Scores per class", _scores(d)),
        ("architecture", "Architecture", _architecture(d)),
        ("data", "Data", _data(d, images)),
        ("training", "Training", _training(d, images)),
    ]
    if d.plane:
        sections.append(("boundary", "Decision boundary", _boundary(d, images)))
    sections += [
        ("gradcheck", "Gradient check", _gradcheck(d.gradient_report)),
        ("diagnostics", "Diagnostics", _diagnostics(d, images)),
        ("hidden", "Hidden layers", _hidden(d, images)),
        ("landscape", "Loss landscape", _landscape(d, images)),
    ]
    sections += list(d.extra_sections)
    html_sections = [(a, t, h.section(a, t, [body])) for a, t, body in sections]
    return h.page(d.title, html_sections), images


def write_report(path: str | os.PathLike[str], d: ReportData) -> Path:
    """Build the report and write it atomically to ``path``."""
    return write_text(path, build_report(d)[0])
