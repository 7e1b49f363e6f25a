"""The sections of an ensemble's report that a single run's report also has, where they
apply to an average of networks: scores per class, architecture, data and decision
boundary (:func:`shared_sections`); used by ``glassnet train --ensemble`` and by
``glassnet report`` of a saved ensemble. This module imports matplotlib."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from glassnet.core._types import Array
from glassnet.files.modelfile import Model
from glassnet.views import plotting
from glassnet.views import report_html as h
from glassnet.views import report_sections as s
from glassnet.views.metrics import RegressionScores
from glassnet.views.report import ReportData, class_scores
from glassnet.views.report_html import Images
from glassnet.views.report_regression import predictions_section, scores_table, target_names

Section = tuple[str, str, str]  # (anchor, title, HTML)

NOT_SHOWN = (
    "The gradient check, diagnostics, hidden layers and loss landscape describe one "
    "network; an ensemble averages several. Train a member alone to see them: "
    "glassnet train with the same options (the same --seed, which makes the "
    "train/validation split) and --init-seed the member's seed (see seeds above)."
)


def shared_sections(
    model: Model, X_in: Array, t: Array, labelled: bool, rows: str, images: Images,
    splits: Sequence[tuple[str, Array, Array]] = (),
) -> list[Section]:  # fmt: skip
    """Scores per class (the saved ensemble's decisions, from its mean output, against the
    class codes ``t (N,)``; counted when not ``labelled``), the architecture, the data and,
    for 2 inputs, the decision boundary, of network-space inputs ``X_in (N, D)``; ``rows``
    says which rows these are."""
    names = None if model.classes is None else [str(c) for c in model.classes]
    d = ReportData("", model.net, model.params, X_in, t, [], class_names=names)
    sections: list[Section] = []
    if names is not None:
        decided = model.net.decide(model.output(X_in))
        if labelled:
            body = h.paragraph(f"The saved ensemble on {rows}.") + class_scores(names, t, decided)
            sections.append(("scores", "Scores per class", body))
        else:
            counts = np.bincount(decided, minlength=len(names))
            pairs = [[n, int(k)] for n, k in zip(names, counts, strict=True)]
            said = h.paragraph(
                f"No true labels were given: the saved ensemble's predictions on {rows} are "
                "counted; precision, recall and the confusion matrix need them."
            )
            sections.append(
                ("scores", "Predicted classes", said + h.table(["class", "predicted"], pairs))
            )
    else:
        scores = [(name, len(Ts), RegressionScores.of(*in_target_units(model, Xs, Ts)[::-1]))
                  for name, Xs, Ts in splits or [(rows, X_in, t)]]  # fmt: skip
        actual, predicted = in_target_units(model, X_in, t)
        named = target_names(model.settings, actual.shape[1])
        sections.append(("scores", "Scores per split", scores_table(scores, named)))
        shown = predictions_section(predicted, actual, images, named)
        sections.append(("predictions", "Predictions", shown))
    arch = h.paragraph(f"Each of the {model.members} members is this network.")
    sections.append(("architecture", "Architecture", arch + s.architecture(d)))
    if names is not None:
        sections.append(("data", "Data", s.data(d, images)))
    if d.plane and names is not None:
        fig = plotting.plot_decision_boundary(
            lambda P: model.net.decide(model.output(P)), X_in, t, resolution=150,
            class_names=names,
        )  # fmt: skip
        caption = "The saved ensemble's regions (the decision of its mean output)"
        sections.append(("boundary", "Decision boundary",
                         h.figure(images, "decision_boundary.png", fig, caption)))  # fmt: skip
    return sections


def in_target_units(model: Model, X_in: Array, t: Array) -> tuple[Array, Array]:
    """A regressor's true values and the saved ensemble's predictions (its mean output),
    both ``(N, k)`` in the targets' units, from network-space inputs ``X_in`` and targets
    ``t`` as trained (standardized when the model standardizes them)."""
    T = np.asarray(t, dtype=np.float64).reshape(len(t), -1)
    Y = np.asarray(model.output(X_in), dtype=np.float64).reshape(T.shape)
    if model.target_scaler is None:
        return T, Y
    return model.target_scaler.inverse(T), model.target_scaler.inverse(Y)


def model_rows(model: Model) -> list[tuple[str, object]]:
    """The summary's rows on the network and its members."""
    net, K = model.net, model.members or 1
    seeds = (model.settings.get("ensemble") or {}).get("seeds")
    return [
        ("network", "-".join(map(str, net.sizes))),
        ("hidden activations", ", ".join(a.name for a in net.activations) or "none"),
        ("output and loss", f"{net.head.name} + {net.head.loss_name} ({net.head.reduction})"),
        ("parameters", f"{net.n_params} per member, {net.n_params * K} in all"),
        ("members", K),
        *([("seeds", ", ".join(map(str, seeds)))] if seeds else []),
    ]


def page(title: str, sections: list[Section]) -> str:
    """The page of ``sections`` (empty ones left out), with the note on what is not shown."""
    sections = [*sections, ("one-network", "One network at a time", h.paragraph(NOT_SHOWN))]
    kept = [(a, t, b) for a, t, b in sections if b]
    return h.page(title, [(a, t, h.section(a, t, [body])) for a, t, body in kept])
