"""What ``glassnet train --ensemble K`` writes beside its model: ``history.json`` and
``loss.png`` (:func:`write_curves`), and the report page (:func:`ensemble_page`) with the
spread of the members' scores (:func:`spread_html`, also used by ``glassnet report``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from glassnet.train.progress import loss_text

if TYPE_CHECKING:
    from glassnet.cli.ensemble import EnsembleOutcome, Spread
    from glassnet.train.population import PopulationResult


def write_curves(result: PopulationResult, out: Path) -> list[Path]:
    """``history.json`` (:meth:`PopulationResult.as_dict`) and ``loss.png`` (every member's
    curves over their spread) beside the model ``out``, as a single run writes them."""
    from glassnet.cli.run_outputs import extras_paths
    from glassnet.files.fileio import save_figure, write_json
    from glassnet.views.population import plot_ensemble_loss

    paths = extras_paths(out)
    history = write_json(paths["history.json"], {"model": out.name, **result.as_dict()})
    title = f"{len(result.members)} members"
    return [history, save_figure(plot_ensemble_loss(result.loss, result.val_loss, title),
                                 paths["loss.png"])]  # fmt: skip


def ensemble_page(outcome: EnsembleOutcome, title: str) -> str:
    """The ensemble's report: the spread per split, each member's row and curves."""
    from glassnet.views import report_html as h
    from glassnet.views.population import plot_member_curves

    model, result = outcome.model, outcome.result
    sections = [("spread", "Ensemble and members", spread_html(outcome.spreads))]
    if result.val_loss is not None:
        seeds = result.members.seeds
        best, ends = result.best_epoch, result.stop_reasons()
        rows = [
            (k, seeds[k], int(best[k]), loss_text(result.val_loss[best[k] - 1, k]), ends[k])
            for k in range(len(seeds))
        ]
        table = h.table(("member", "seed", "best epoch", "validation loss", "ending"), rows)
        fig = plot_member_curves(result.val_loss, [f"seed {s}" for s in seeds],
                                 f"{model.members} members", "validation loss")  # fmt: skip
        caption = "Validation loss of every member, per epoch"
        sections.append(("members", "Members", table + h.image(h.png_bytes(fig), caption)))
    return h.page(title, [(a, t, h.section(a, t, [body])) for a, t, body in sections])


def spread_html(spreads: list[Spread]) -> str:
    """A table of the ensemble's and its members' scores per set of rows."""
    from glassnet.views import report_html as h

    header = ("rows", "ensemble accuracy", "member accuracy min", "mean", "max",
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
        body.append((s.name, ens, *accs, *losses))
    return h.paragraph(
        "The ensemble predicts with the mean of its members' outputs; the member columns "
        "show how far the members, trained from different seeds, spread."
    ) + h.table(header, body)
