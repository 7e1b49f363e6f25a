"""What ``glassnet train --ensemble K`` writes beside its model: ``history.json`` and
``loss.png`` (:func:`write_curves`), and the report page (:func:`ensemble_page`), all from
the run's one record (:class:`~glassnet.train.members.PopulationResult`, whose ``final``
holds the saved model's scores), as a single run's are from its
:class:`~glassnet.train.history.History`. The spread of the members' scores
(:func:`spread_html`) and ``glassnet report`` of a saved ensemble are in
:mod:`glassnet.cli.ensemble_saved` (both also importable from here)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from glassnet.cli.ensemble_saved import loss_words, saved_ensemble_page, spread_html
from glassnet.core.wording import counted
from glassnet.train.progress import loss_text

if TYPE_CHECKING:
    from glassnet.cli.ensemble import EnsembleOutcome
    from glassnet.train.population import PopulationResult

__all__ = [
    "curves",
    "ending_words",
    "ensemble_page",
    "loss_figure",
    "members_table",
    "saved_ensemble_page",
    "spread_html",
    "summary_rows",
    "write_curves",
]

def curves(result: PopulationResult) -> dict[str, Any]:
    """The record's curves as ``history.json`` holds them, ``(E + 1, K)`` from epoch 0."""
    d = result.as_dict()
    return {n: np.array(d[n], dtype=float) for n in ("loss", "val_loss") if n in d}


def loss_figure(result: PopulationResult) -> Any:
    """``loss.png``: every member's curves from epoch 0 (the initial parameters), each
    member's kept epoch marked (and its lowest monitored loss where that differs); the
    legend says when the training losses carry the L2 penalty (``result.loss_penalty``)."""
    from glassnet.train.target_units import loss_axes
    from glassnet.views.population import plot_ensemble_loss
    from glassnet.views.report_settings import WITH_PENALTY

    c, first = curves(result), result.as_dict()["epoch"][0]
    label = f"each member ({WITH_PENALTY})" if result.loss_penalty else None
    return plot_ensemble_loss(
        c["loss"], c.get("val_loss"), counted(len(result.members), "member"), first_epoch=first,
        kept=result.best_epoch, best=result.lowest_epoch(), training_label=label,
        units=loss_axes(result.loss_unit) if result.loss_unit else None,
    )  # fmt: skip


def write_curves(
    result: PopulationResult, out: Path, ending: dict[str, str] | None = None
) -> list[Path]:
    """``history.json`` (:meth:`PopulationResult.as_dict`, plus ``ending``: a stopped
    run's ``stop_reason`` and ``signal``) and ``loss.png`` (:func:`loss_figure`) beside the
    model ``out``, as a single run writes them."""
    from glassnet.cli.run_outputs import extras_paths
    from glassnet.files.fileio import save_figure, write_json

    paths = extras_paths(out)
    record = {"model": out.name, **result.as_dict(), **(ending or {})}
    history = write_json(paths["history.json"], record)
    return [history, save_figure(loss_figure(result), paths["loss.png"])]


def ending_words(reasons: list[str]) -> str:
    """``"2 completed, 1 early stopping"``: how many members ended each way."""
    return ", ".join(f"{k} {r}" for r, k in Counter(reasons).items())


def summary_rows(outcome: EnsembleOutcome) -> list[tuple[str, object]]:
    """The summary's rows: the network, the members and the record's numbers."""
    from glassnet.views.ensemble_report import model_rows

    result = outcome.result
    d = result.as_dict()
    watched = "validation" if result.val_loss is not None else "training"
    rows: list[tuple[str, object]] = [
        *model_rows(outcome.model),
        *[(f"{split} samples", len(r)) for split, r in outcome.rows.items()],
        ("epochs (the longest member's)", d["epoch"][-1]),
        ("kept epoch of each member (the parameters saved)", _ints(d["kept_epoch"])),
        (f"best epoch of each member (lowest {watched} loss)", _ints(d["best_epoch"])),
        ("endings", ending_words(d["stop_reason"])),
        *([("losses measure", result.loss_unit)] if result.loss_unit else []),
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
    header = ["member", "seed", "epochs", "initial loss (epoch 0)", "best epoch", "kept epoch"]
    header += ["validation loss (kept epoch)"] if "val_loss" in d else []
    header += [f"final {split} loss" for split in final]
    header += [f"final {split} accuracy" for split in final if final[split]["accuracy"] is not None]
    rows = []
    for k, seed in enumerate(result.members.seeds):
        kept = d["kept_epoch"][k]
        row = [k, seed, int(trained[k]), _num(d["loss"][0][k]), d["best_epoch"][k], kept]
        if "val_loss" in d:
            row.append(_num(d["val_loss"][kept - d["epoch"][0]][k]))
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
    boundary; :mod:`glassnet.views.ensemble_report`) from the record, then the spread of
    the members and each member's row."""
    from glassnet.views import report_html as h
    from glassnet.views.ensemble_report import page, shared_sections
    from glassnet.views.run_report import sample_rows

    model, result, images = outcome.model, outcome.result, {}  # type: ignore[var-annotated]
    X_all, codes = outcome.data
    shown = sample_rows(outcome.rows["train"])
    X_in, t = model.inputs(X_all[shown]), np.asarray(codes)[shown]
    summary = h.table(["", "value"], [*summary_rows(outcome), *notes], text_cols=2)
    splits = [(name, model.inputs(X_all[r]), np.asarray(codes)[r])
              for name, r in outcome.rows.items()]  # fmt: skip
    shared = shared_sections(model, X_in, t, True, "the training rows shown", images, splits)
    training = h.figure(images, "loss.png", loss_figure(result), "Loss of every member per "
                        "epoch from epoch 0 (the initial parameters); dots: each member's kept "
                        "epoch (its parameters are saved)")  # fmt: skip
    at = next((i for i, sec in enumerate(shared) if sec[0] == "boundary"), len(shared))
    spread = spread_html(outcome.spreads, loss_words(model))
    sections = [("summary", "Summary", summary), *shared[:at],
                ("training", "Training", training), *shared[at:],
                ("spread", "Ensemble and members", spread),
                ("members", "Members", members_table(result))]  # fmt: skip
    return page(title, sections)
