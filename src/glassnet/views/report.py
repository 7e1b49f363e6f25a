"""The training report: one self-contained HTML file showing a run from every side.

:func:`build_report` takes plain values in a :class:`ReportData` (network, parameters,
data, loss history, and whatever else the caller has: validation history, accuracy,
gradient check, diagnostics, parameter snapshots) and returns the page and its images.
The summary and the scores per class are made here; architecture, data, training and decision
boundary in :mod:`glassnet.views.report_sections`; gradient check and diagnostics in
:mod:`glassnet.views.report_health`; hidden layers and loss landscape in
:mod:`glassnet.views.report_inside`. This module imports matplotlib.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.gradcheck import GradientReport
from glassnet.core.network import Network
from glassnet.data.datasets import one_hot
from glassnet.files.fileio import write_text
from glassnet.views import report_health, report_inside
from glassnet.views import report_html as h
from glassnet.views import report_sections as s
from glassnet.views.diagnostics import DiagnosticsRecord
from glassnet.views.diagnostics_summary import DiagnosticsSummary
from glassnet.views.labels import shorten_all
from glassnet.views.metrics import ClassScores, RegressionScores, confusion_matrix
from glassnet.views.report_html import Images
from glassnet.views.report_settings import settings_section


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
    gradient_note: str = ""  # why no check was run, when none was
    diagnostics: DiagnosticsRecord | DiagnosticsSummary | None = None  # a model file's: summary
    snapshots: Sequence[ParamList] = ()  # parameters along training, for the landscape
    snapshot_epochs: Sequence[int] = ()  # the step of each snapshot (default: 0, 1, ...)
    unseen_steps: tuple[int, int] | None = None  # steps with no snapshot (a resumed run's)
    class_names: Sequence[str] | None = None
    notes: Sequence[tuple[str, str]] = field(default_factory=list)  # extra summary rows
    targets: Array | None = None  # (N, C) as trained on; default: built from t
    first_step: int = 0  # the step of loss_history[0]: 0, or 1 for a record without step 0
    kept_step: int | None = None  # the step whose parameters these are (default: the last)
    best_step: int | None = None  # the step with the lowest monitored loss, when known
    # the step of the lowest validation loss as shown, where that is not the loss compared
    # (target columns of different scales: History.lowest_in_units), else None
    units_step: int | None = None
    final_loss: float | None = None  # loss of ``params`` on the training rows, when measured
    extra_sections: Sequence[tuple[str, str, str]] = ()  # (anchor, title, HTML) at the end
    # a regressor's report: targets and predictions (N, k) in the targets' units, the scores
    # of each split as (split, samples, scores), and what the losses measure
    actual: Array | None = None
    predicted: Array | None = None
    split_scores: Sequence[tuple[str, int, RegressionScores]] = ()
    loss_unit: str = ""
    labelled: bool = True  # False: t are the model's own predictions (no true labels given)
    settings: dict[str, Any] | None = None  # the model file's stored recipe (the Settings)

    @property
    def penalized(self) -> bool:
        """Whether the training loss of each step carries an L2 penalty (weight decay or
        alpha in :attr:`settings`): its curve and rows say so."""
        from glassnet.views.report_settings import l2_strength

        return bool(l2_strength(self.settings))

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

    @property
    def coloured_by(self) -> str:
        """What the figures' colours are: ``""`` (the true classes), or, without true
        labels, a caption's note that they are the model's own predicted classes."""
        return "" if self.labelled else " (coloured by the predicted class: no true labels)"


def _summary(d: ReportData) -> str:
    accuracy = float(np.mean(d.net.predict(d.params, d.X) == d.t))
    scored = (
        [("accuracy on these samples", f"{accuracy:.2%}")]
        if d.labelled
        else [("accuracy", "not measured: no true labels given")]
    )
    acts = ", ".join(a.name for a in d.net.activations) or "none"
    rows: list[tuple[str, object]] = [
        ("network", "-".join(map(str, d.net.sizes))),
        ("hidden activations", acts),
        ("output and loss", f"{d.net.head.name} + {d.net.head.loss_name} ({d.net.head.reduction})"),
        ("parameters", d.net.n_params),
        ("samples", d.X.shape[0]),
        *scored,  # of these samples; the run's rows below are of its training rows (NU10 #2)
        *s.run_rows(d),
        *([("classes", ", ".join(shorten_all(d.class_names, 40)))] if d.class_names else []),
        *d.notes,
    ]
    return h.table(["", "value"], rows, text_cols=2)


def _scores(d: ReportData) -> str:
    """Per-class precision, recall, F1 and support and the confusion matrix on the samples
    shown (:mod:`glassnet.views.metrics`); without true labels only the predicted counts."""
    names = shorten_all(d.class_names or [str(c) for c in range(max(d.net.sizes[-1], 2))], 40)
    if not d.labelled:
        counts = np.bincount(d.net.predict(d.params, d.X), minlength=len(names))
        rows_ = [[n, int(k)] for n, k in zip(names, counts, strict=True)]
        return h.paragraph(
            "No true labels were given: the model's predictions are counted; precision, "
            "recall and the confusion matrix need them."
        ) + h.table(["class", "predicted"], rows_)
    return class_scores(names, d.t, d.net.predict(d.params, d.X))


def class_scores(names: Sequence[str], t: Array, predicted: Array) -> str:
    """The table of per-class precision, recall, F1 and support, the macro and weighted
    averages (:meth:`ClassScores.averages`), and the confusion matrix of class codes
    ``t (N,)`` against ``predicted (N,)``."""
    C = confusion_matrix(t, predicted, len(names))
    sc = ClassScores.from_confusion(C)
    rows = [
        [n, f"{p:.4f}", f"{r:.4f}", f"{f:.4f}", int(k)]
        for n, p, r, f, k in zip(names, sc.precision, sc.recall, sc.f1, sc.support, strict=True)
    ]
    rows += [[n, f"{p:.4f}", f"{r:.4f}", f"{f:.4f}", k] for n, p, r, f, k in sc.averages()]
    scores = h.table(["class", "precision", "recall", "F1", "support"], rows)
    matrix = h.table(
        ["true \\ predicted", *names], [[n, *row] for n, row in zip(names, C, strict=True)]
    )
    undefined = sc.undefined(list(names)).removeprefix("note: ")  # (a sentence here)
    note = h.paragraph(undefined[:1].upper() + undefined[1:] + ".", "note") if undefined else ""
    return scores + note + h.paragraph("Confusion matrix (rows: true class):") + matrix


def _unlabelled_check(d: ReportData) -> str:
    """Without true labels, what the gradient check's loss is measured against."""
    if d.labelled or d.gradient_report is None:
        return ""
    return h.paragraph(
        "No true labels were given: the loss whose gradients are checked here is measured "
        "against the model's own predicted classes. That tests the gradient code as true "
        "labels would (the check compares two ways of differentiating the same loss); the "
        "loss itself is not the model's loss on this data.", "note"
    )  # fmt: skip


def build_report(d: ReportData) -> tuple[str, Images]:
    """The HTML page and the PNG images it embeds (by file name): a classifier's, or with
    ``predicted`` a regressor's (:mod:`glassnet.views.report_regression`)."""
    if d.predicted is not None:
        from glassnet.views.report_regression import build_regression_report

        return build_regression_report(d)
    images: Images = {}
    sections = [
        ("summary", "Summary", _summary(d)),
        ("scores", "Scores per class" if d.labelled else "Predicted classes", _scores(d)),
        ("architecture", "Architecture", s.architecture(d)),
        *(
            [("settings", "Settings", settings_section(d.settings))]
            if d.settings is not None
            else []
        ),  # a model file's recipe (none for the demo's run)
        ("data", "Data", s.data(d, images)),
        ("training", "Training", s.training(d, images)),
    ]
    if d.plane:
        sections.append(("boundary", "Decision boundary", s.boundary(d, images)))
    sections += [
        (
            "gradcheck",
            "Gradient check",
            _unlabelled_check(d) + report_health.gradcheck(d.gradient_report, d.gradient_note),
        ),  # fmt: skip
        ("diagnostics", "Diagnostics", report_health.diagnostics(d, images)),
        ("hidden", "Hidden layers", report_inside.hidden(d, images)),
        ("landscape", "Loss landscape", report_inside.landscape(d, images)),
    ]
    sections += list(d.extra_sections)
    html_sections = [(a, t, h.section(a, t, [body])) for a, t, body in sections]
    return h.page(d.title, html_sections), images


def write_report(path: str | os.PathLike[str], d: ReportData) -> Path:
    """Build the report and write it atomically to ``path``."""
    return write_text(path, build_report(d)[0])
