"""What ``glassnet train --ensemble K`` writes beside its model: ``history.json`` and
``loss.png`` (:func:`write_curves`), and the report page (:func:`ensemble_page`), all from
the run's one record (:class:`~glassnet.train.members.PopulationResult`, whose ``final``
holds the saved model's scores), as a single run's are from its
:class:`~glassnet.train.history.History`. The spread of the members' scores
(:func:`spread_html`) is also used by ``glassnet report``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from glassnet.train.progress import loss_text

if TYPE_CHECKING:
    from glassnet.cli.ensemble import EnsembleOutcome, Spread
    from glassnet.train.population import PopulationResult

NOT_SHOWN = (
    "The gradient check, diagnostics, hidden layers and loss landscape describe one "
    "network; an ensemble averages several. Train a member alone to see them: "
    "<code>glassnet train</code> with the same options and <code>--seed</code> its seed."
)


def curves(result: PopulationResult) -> dict[str, Any]:
    """The record's curves as ``history.json`` holds them, ``(E + 1, K)`` from epoch 0."""
    d = result.as_dict()
    return {n: np.array(d[n], dtype=float) for n in ("loss", "val_loss") if n in d}


def loss_figure(result: PopulationResult) -> Any:
    """``loss.png``: every member's curves from epoch 0 (the initial parameters), each
    member's kept epoch marked (and its lowest monitored loss where that differs)."""
    from glassnet.views.population import plot_ensemble_loss

    c, first = curves(result), result.as_dict()["epoch"][0]
    return plot_ensemble_loss(
        c["loss"], c.get("val_loss"), f"{len(result.members)} members", first_epoch=first,
        kept=result.best_epoch, best=result.lowest_epoch(),
    )  # fmt: skip


def write_curves(result: PopulationResult, out: Path) -> list[Path]:
    """``history.json`` (:meth:`PopulationResult.as_dict`) and ``loss.png``
    (:func:`loss_figure`) beside the model ``out``, as a single run writes them."""
    from glassnet.cli.run_outputs import extras_paths
    from glassnet.files.fileio import save_figure, write_json

    paths = extras_paths(out)
    history = write_json(paths["history.json"], {"model": out.name, **result.as_dict()})
    return [history, save_figure(loss_figure(result), paths["loss.png"])]


def ending_words(reasons: list[str]) -> str:
    """``"2 completed, 1 early stopping"``: how many members ended each way."""
    return ", ".join(f"{k} {r}" for r, k in Counter(reasons).items())


def summary_rows(outcome: EnsembleOutcome) -> list[tuple[str, object]]:
    """The summary's rows: the network, the members and the record's numbers."""
    model, result = outcome.model, outcome.result
    net, K = model.net, len(result.members)
    d = result.as_dict()
    rows: list[tuple[str, object]] = [
        ("network", "-".join(map(str, net.sizes))),
        ("hidden activations", ", ".join(a.name for a in net.activations) or "none"),
        ("output and loss", f"{net.head.name} + {net.head.loss_name} ({net.head.reduction})"),
        ("parameters", f"{net.n_params} per member, {net.n_params * K} in all"),
        ("members", K),
        ("seeds", ", ".join(map(str, result.members.seeds))),
        *[(f"{split} samples", len(r)) for split, r in outcome.rows.items()],
        ("epochs (the longest member's)", d["epoch"][-1]),
        ("kept epoch of each member (the parameters saved)", _ints(d["kept_epoch"])),
        ("best epoch of each member (lowest validation loss)", _ints(d["best_epoch"])),
        ("endings", ending_words(d["stop_reason"])),
    ]
    for split, score in d.get("final", {}).items():
        rows.append((f"final {split} loss (the saved ensemble)", f"{score['loss']:.6g}"))
        if score.get("accuracy") is not None:
            rows.append((f"final {split} accuracy (the saved ensemble)",
                         f"{score['accuracy']:.2%}"))  # fmt: skip
    return rows


def _ints(values: list[int]) -> str:
    return ", ".join(map(str, values))


def members_table(result: PopulationResult) -> str:
    """One row per member: seed, epochs, epoch 0's loss, best and kept epoch, the kept
    epoch's validation loss, the saved member's final scores and its ending."""
    from glassnet.views import report_html as h

    d = result.as_dict()
    loss = np.array(d["loss"], dtype=float)
    trained = np.isfinite(loss[1:] if d["epoch"][0] == 0 else loss).sum(axis=0)
    final = d.get("final", {})
    header = ["member", "seed", "epochs", "initial loss (epoch 0)", "best epoch", "kept epoch",
              "validation loss (kept epoch)"]  # fmt: skip
    header += [f"final {split} loss" for split in final]
    header += [f"final {split} accuracy" for split in final if final[split]["accuracy"] is not None]
    rows = []
    for k, seed in enumerate(result.members.seeds):
        kept = d["kept_epoch"][k]
        val = d["val_loss"][kept - d["epoch"][0]][k] if "val_loss" in d else None
        row = [k, seed, int(trained[k]), _num(d["loss"][0][k]), d["best_epoch"][k], kept,
               _num(val)]  # fmt: skip
        row += [_num(s["member_loss"][k]) for s in final.values()]
        row += [f"{s['member_accuracy'][k]:.2%}" for s in final.values()
                if s["accuracy"] is not None]  # fmt: skip
        rows.append([*row, d["stop_reason"][k]])
    return h.table([*header, "ending"], rows)


def _num(value: float | None) -> str:
    return "-" if value is None else loss_text(value)


def ensemble_page(outcome: EnsembleOutcome, title: str, notes: list[tuple[str, str]]) -> str:
    """The ensemble's report: the sections of a single run's report that apply to an
    average of networks (summary, scores per class, architecture, data, training, decision
    boundary) from the record, then the spread of the members and each member's row."""
    from glassnet.views import plotting
    from glassnet.views import report_html as h
    from glassnet.views import report_sections as s
    from glassnet.views.report import ReportData, class_scores
    from glassnet.views.run_report import sample_rows

    model, result, images = outcome.model, outcome.result, {}  # type: ignore[var-annotated]
    X_all, codes = outcome.data
    shown = sample_rows(outcome.rows["train"])
    X_in, t = model.inputs(X_all[shown]), np.asarray(codes)[shown]
    names = None if model.classes is None else [str(c) for c in model.classes]
    d = ReportData(title, model.net, model.params, X_in, t, [], class_names=names)
    summary = h.table(["", "value"], [*summary_rows(outcome), *notes], text_cols=2)
    sections = [("summary", "Summary", summary)]
    if names is not None:
        decided = model.net.decide(model.output(X_in))
        sections.append(("scores", "Scores per class",
                         h.paragraph("The saved ensemble on the training rows shown.")
                         + class_scores(names, t, decided)))  # fmt: skip
    sections += [
        ("architecture", "Architecture",
         h.paragraph(f"Each of the {model.members} members is this network.") + s.architecture(d)),
        ("data", "Data", s.data(d, images) if names is not None else ""),
        ("training", "Training", h.figure(images, "loss.png", loss_figure(result),
         "Loss of every member per epoch from epoch 0 (the initial parameters); dots: each "
         "member's kept epoch (its parameters are saved)")),
    ]  # fmt: skip
    if d.plane and names is not None:
        fig = plotting.plot_decision_boundary(
            lambda P: model.net.decide(model.output(P)), X_in, t, resolution=150,
            class_names=names,
        )  # fmt: skip
        sections.append(("boundary", "Decision boundary",
                         h.figure(images, "decision_boundary.png", fig,
                                  "The saved ensemble's regions (its mean output)")))  # fmt: skip
    sections += [
        ("spread", "Ensemble and members", spread_html(outcome.spreads)),
        ("members", "Members", members_table(result)),
        ("one-network", "One network at a time", h.paragraph(NOT_SHOWN, "note")),
    ]
    sections = [(a, t_, b) for a, t_, b in sections if b]
    return h.page(title, [(a, t_, h.section(a, t_, [body])) for a, t_, body in sections])


def spread_html(spreads: list[Spread]) -> str:
    """A table of the ensemble's and its members' scores per set of rows."""
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
        body.append((s.name, loss_text(s.ensemble_loss), ens, *accs, *losses))
    return h.paragraph(
        "The ensemble predicts with the mean of its members' outputs (its loss is that of "
        "the mean output); the member columns show how far the members, trained from "
        "different seeds, spread."
    ) + h.table(header, body)
