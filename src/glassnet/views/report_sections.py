"""The sections of the training report (:mod:`glassnet.views.report`) on the run itself:
its numbers, the architecture, the data, the training curves and the decision boundary.
Each takes the report's :class:`~glassnet.views.report.ReportData` (and the images dict it
adds its PNGs to) and returns HTML. The gradient check and diagnostics are in
:mod:`glassnet.views.report_health`, the hidden layers and the loss landscape in
:mod:`glassnet.views.report_inside`. This module imports matplotlib.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from glassnet.data.preprocessing import LOSS_SPLIT
from glassnet.train.target_units import loss_axes
from glassnet.views import figures, plotting
from glassnet.views import report_html as h
from glassnet.views.diagnostics import describe_plateaus, detect_plateaus
from glassnet.views.report_html import Images, figure
from glassnet.views.report_settings import WITH_PENALTY

if TYPE_CHECKING:
    from glassnet.views.report import ReportData


def run_rows(d: ReportData) -> list[tuple[str, object]]:
    """The run's numbers: point ``i`` of the history is step ``first_step + i`` (step 0 the
    initialization, when measured); "final" is the loss of the parameters the report shows,
    when it was measured, else the row names the logged loss of the kept step as such."""
    if not len(d.loss_history):
        return [(f"{d.step_name}s", "n/a (no history)")]
    step, first = d.step_name, d.first_step
    last = first + len(d.loss_history) - 1
    kept = last if d.kept_step is None else d.kept_step
    trained, scored = _units(d)  # the curve's unit and the final scores', when they differ
    penalty = f", {WITH_PENALTY}" if d.penalized else ""  # the logged losses carry it
    if d.final_loss is None:  # not measured: say what the logged number is (NU10 #6)
        final_row = (f"loss logged in {step} {kept} (during training{penalty}, not a measure "
                     "of the kept parameters: they were not scored on all training "
                     f"rows{trained})", f"{d.loss_history[kept - first]:.6g}")  # fmt: skip
    else:
        unpenalized = ", without the penalty" if d.penalized else ""
        final_row = (f"final loss (the kept parameters, training rows{unpenalized}{scored})",
                     f"{d.final_loss:.6g}")  # fmt: skip
    loss_at = (f"initial loss ({step} 0, before training{trained})" if first == 0
               else f"loss in {step} {first} (the first recorded; {step} 0 was not "
               f"scored{trained})")  # fmt: skip
    rows: list[tuple[str, object]] = [(f"{step}s", last), (loss_at, f"{d.loss_history[0]:.6g}")]
    if d.best_step is not None:
        watched = "validation" if d.validation_loss is not None else "training"
        compared = f": the {watched} loss of the standardized targets" if scored else ""
        rows.append((f"best {step} (lowest monitored loss{compared})", d.best_step))
    if d.units_step is not None and d.units_step != d.best_step:
        rows.append((f"{step} of the lowest validation loss in the targets' units", d.units_step))
    rows += [
        (f"kept {step} (the parameters shown and saved)", kept),
        final_row,
    ]
    if kept != last:
        rows.append((f"loss in the last {step} ({last}{penalty}{trained})",
                     f"{d.loss_history[-1]:.6g}"))  # fmt: skip
    return rows


def _units(d: ReportData) -> tuple[str, str]:
    """Words naming the unit of the training curve's losses and of the final scores, for
    a run whose losses are in two units (:data:`~glassnet.data.preprocessing.LOSS_SPLIT`),
    else ``("", "")``: every loss row then says which it is."""
    if d.loss_unit != LOSS_SPLIT:
        return "", ""
    return "; training loss of the standardized targets", "; in target units²"


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
        caption = "The samples, one colour per class" + d.coloured_by
        return figure(images, "dataset.png", fig, caption)
    fig = plotting.plot_hidden_projection(d.X, d.t, "input space", d.class_names)
    shown = "" if d.X.shape[1] <= 3 else ", on their first three principal components"
    caption = f"The {d.X.shape[1]}-D samples{shown}{d.coloured_by}"
    return figure(images, "dataset.png", fig, caption)


def training(d: ReportData, images: Images) -> str:
    if not d.loss_history:
        return h.paragraph("No training history was recorded for this model.", "note")
    first = d.first_step  # plateaus in steps, as the curves are drawn
    plateaus = [dataclasses.replace(p, start=p.start + first, end=p.end + first)
                for p in detect_plateaus(d.loss_history)]  # fmt: skip
    ylabel, val_ylabel = loss_axes(d.loss_unit)  # two units: two axes
    label = f"training ({WITH_PENALTY})" if d.penalized else "training"
    fig = figures.plot_loss_with_plateaus(
        d.loss_history, plateaus, d.validation_loss, xlabel=d.step_name, marks=_marks(d),
        ylabel=ylabel, first=first, validation_ylabel=val_ylabel, training_label=label,
    )  # fmt: skip
    n = first + len(d.loss_history)
    caption = (f"Loss (training, {WITH_PENALTY} from epoch 1 on; validation when given, "
               "without it)" if d.penalized else "Loss (training; validation when given)")
    parts = [
        figure(images, "loss.png", fig, caption),
        h.paragraph(describe_plateaus(plateaus, n, d.step_name), "note"),
    ]
    if d.accuracy_history is not None:
        fig = plotting.plot_loss(
            d.accuracy_history,
            d.validation_accuracy,
            xlabel=d.step_name,
            ylabel="accuracy",
            title="Accuracy during training",
            first=first,
            log_span=None,  # (a share: linear)
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
    if d.units_step is not None and d.units_step != d.best_step:  # best: by the standardized
        marks.append((f"lowest validation loss in target units ({d.units_step})", d.units_step))
    return marks


def boundary(d: ReportData, images: Images) -> str:
    fig = plotting.plot_decision_boundary(
        lambda P: d.net.predict(d.params, P), d.X, d.t, resolution=150, class_names=d.class_names
    )
    caption = "The trained classifier's regions" + d.coloured_by
    return figure(images, "decision_boundary.png", fig, caption)
