"""``glassnet report`` of a saved ensemble (:func:`ensemble_report`), and the spread of an
ensemble's members' scores that its training report shows too (:func:`spread_html`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from glassnet.train.progress import loss_text

if TYPE_CHECKING:
    from glassnet.cli.ensemble import Spread
    from glassnet.core._types import Array
    from glassnet.files.modelfile import Model


def ensemble_report(model: Model, rows: Any, args: argparse.Namespace, out: Path) -> int:
    """An ensemble's report on every row of the data: its accuracy and how far its members
    spread (without labels: its predicted class counts and the members' agreement)."""
    from glassnet.cli.page_write import write_page

    labelled = args.target is not None
    sums, unit = rows.sums, loss_words(model)
    body = spread_html([sums.spread()], unit) if labelled else unlabelled_html(model, sums)
    title = f"glassnet report: {args.model} (ensemble of {model.members})"
    shown = "true labels" if labelled else "predicted (no --target given)"
    notes = [("data", str(args.data)), ("classes shown", shown), *rows.notes]
    page = saved_ensemble_page(model, rows.X, rows.codes, labelled, title, notes, body)
    return write_page(out, page)  # a stop signal meanwhile: said there


def unlabelled_html(model: Model, counted: Any) -> str:
    """Without true labels, an ensemble classifier's predicted class counts and how often
    each member agrees with the ensemble (no accuracy: nothing to score against)."""
    from glassnet.views import report_html as h

    assert model.classes is not None
    agree = counted.agree / counted.n
    rows = [[str(c), int(k)] for c, k in zip(model.classes, counted.counts, strict=True)]
    return (
        h.paragraph("No true labels were given: the ensemble's predictions are counted, and "
                    "each member's agreement with them is shown; accuracy needs the labels.")
        + h.table(["class", "predicted"], rows)
        + h.table(["member agreement with the ensemble", "min", "mean", "max"],
                  [["", f"{min(agree):.4f}", f"{np.mean(agree):.4f}", f"{max(agree):.4f}"]])
    )  # fmt: skip


def saved_ensemble_page(
    model: Model, X: Array, codes: Array, labelled: bool, title: str,
    notes: list[tuple[str, str]], spread_body: str,
) -> str:  # fmt: skip
    """``glassnet report`` of a saved ensemble on rows ``X`` (class codes or targets as
    trained, ``codes``; the model's own predictions when not ``labelled``): the sections of
    :func:`~glassnet.cli.ensemble_report.ensemble_page` that need no training record, and
    ``spread_body``: the members' spread (:func:`spread_html`, or :func:`unlabelled_html`)."""
    from glassnet.views import report_html as h
    from glassnet.views.ensemble_report import model_rows, page, shared_sections
    from glassnet.views.run_report import sample_rows

    shown = sample_rows(np.arange(len(X)))
    X_in, t = model.inputs(np.asarray(X)[shown]), np.asarray(codes)[shown]
    rows = [*model_rows(model), ("samples", len(X)), *notes]
    sections = [("summary", "Summary", h.table(["", "value"], rows, text_cols=2))]
    sections += shared_sections(model, X_in, t, labelled, "these rows", {})
    sections.append(("spread", "Ensemble and members", spread_body))
    return page(title, sections)


def loss_words(model: Model) -> str:
    """What an ensemble's scored losses measure: a regressor's, those of its predictions
    (:func:`glassnet.data.preprocessing.predictions_loss_name`); "" for a classifier."""
    from glassnet.data.preprocessing import predictions_loss_name

    return "" if model.classes is not None else predictions_loss_name(model.target_scaler)


def spread_html(spreads: list[Spread], unit: str = "") -> str:
    """A table of the ensemble's and its members' scores per set of rows; ``unit``: what
    the losses measure (:func:`loss_words`), said above it."""
    from glassnet.views import report_html as h

    header = ("rows", "ensemble loss", "ensemble accuracy", "member accuracy min", "mean", "max",
              "member loss min", "mean", "max")  # fmt: skip
    body = []
    for s in spreads:
        acc = s.member_accuracy
        accs = (
            ("-",) * 3
            if acc is None
            else tuple(f"{v:.4f}" for v in (acc.min(), acc.mean(), acc.max()))
        )
        ens = "-" if s.ensemble_accuracy is None else f"{s.ensemble_accuracy:.4f}"
        losses = tuple(
            loss_text(v) for v in (s.member_loss.min(), s.member_loss.mean(), s.member_loss.max())
        )
        ens_loss = loss_text(s.ensemble_loss) if np.isfinite(s.ensemble_loss) else "-"
        body.append((s.name, ens_loss, ens, *accs, *losses))
    return h.paragraph(
        "The ensemble predicts with the mean of its members' outputs (its loss is that of "
        "the mean output); the member columns show how far the members, trained from "
        "different seeds, spread." + (f" Losses: {unit}." if unit else "")
    ) + h.table(header, body)
