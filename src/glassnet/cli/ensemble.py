"""``glassnet train --ensemble K``: K seeds trained at once, saved as one averaging model.

Member ``k`` starts as ``glassnet train --seed S+k`` would (its initialization and minibatch
order from seed ``S+k``; ``S`` is ``--seed``), on the one split ``--seed S`` makes; the
members train together as a population (:mod:`glassnet.train.population`). Early stopping
(``--patience``) and the learning-rate schedule (``--schedule``) act member by member, as
in each member's own run: a member stops when its own patience runs out, the ensemble
when every member has stopped; each member keeps its best validation epoch. The model
file stores the stacked members; its predictions average their probabilities (or values).
Beside it go ``history.json`` (every member's curves, the spread, each member's kept epoch
and ending) and ``loss.png``; the report shows how far the members spread.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.cli.prepared import model_of, network, population_config, prepare
from glassnet.cli.workflow import Recipe, _init
from glassnet.core import population as pop
from glassnet.core._types import Array
from glassnet.data.batching import evaluate
from glassnet.data.preprocessing import loss_unit
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model
from glassnet.train.population import Members, PopulationResult, fit_population


@dataclass
class Spread:
    """An ensemble's scores on some rows and its members' ``(K,)`` scores there."""

    name: str
    ensemble_accuracy: float | None  # None for a regressor
    member_loss: Array
    member_accuracy: Array | None

    def line(self) -> str:
        loss = self.member_loss
        text = f"{self.name:<10}"
        if self.ensemble_accuracy is not None and self.member_accuracy is not None:
            acc = self.member_accuracy
            text += (
                f" ensemble accuracy {self.ensemble_accuracy:.4f};  members {acc.min():.4f}"
                f" .. {acc.max():.4f} (mean {acc.mean():.4f});"
            )
        return text + f"  member loss {loss.min():.4f} .. {loss.max():.4f} (mean {loss.mean():.4f})"


@dataclass
class EnsembleOutcome:
    model: Model
    result: PopulationResult
    spreads: list[Spread]
    task_reason: str = ""  # why this task, in words (as a single run's summary says)


def ensemble_model(
    X: Any, y: Any, recipe: Recipe, members: int, feature_names: tuple[str, ...] = ()
) -> EnsembleOutcome:
    """Train ``members`` networks of ``recipe`` at once; see the module docstring."""
    if members < 2:
        raise DataError(f"an ensemble needs at least 2 members, got {members}")
    if not recipe.val_size:
        raise DataError("an ensemble keeps each member's best validation epoch: --val-fraction > 0")
    data = prepare(X, y, recipe)
    net = network(data, recipe)
    seeds = tuple(range(recipe.seed, recipe.seed + members))
    dtype = np.dtype(recipe.dtype)
    start = pop.stack(
        [_init(net, np.random.default_rng(s), dtype, recipe.init_scale) for s in seeds]
    )
    result = fit_population(
        net, data["X"], data["y"], Members(seeds), population_config(recipe),
        params=start, validation=data["validation"], scaler=data["scaler"],
    )  # fmt: skip
    result = _in_units(result, loss_unit(data["target_scaler"]))
    settings = recipe.settings()
    settings["ensemble"] = {"members": members, "seeds": list(seeds)}
    model = model_of(data, net, result.params, feature_names, settings)
    X_all, codes = data["all"]
    spreads = [spread(model, X_all[r], codes[r], name) for name, r in data["rows"].items()]
    return EnsembleOutcome(model, result, spreads, data["task_reason"])


def _in_units(result: PopulationResult, unit: float) -> PopulationResult:
    """A regressor's curves in the targets' units (``unit``: scale squared; 1 leaves them)."""
    if unit == 1.0:
        return result
    val = None if result.val_loss is None else result.val_loss * unit
    return dataclasses.replace(result, loss=result.loss * unit, val_loss=val)


def spread(model: Model, X: Array, codes: Array, name: str) -> Spread:
    """The ensemble's accuracy and every member's loss and accuracy on ``(X, codes)``:
    class codes, or a regressor's targets as trained (standardized by the model's target
    scaler); a regressor's losses are given back in the targets' units (``loss_unit``)."""
    dtype = model.params[0]["W"].dtype
    score = evaluate(model.net, model.params, X, codes, None, model.scaler, dtype)
    unit = loss_unit(model.target_scaler)
    member_loss = np.atleast_1d(np.asarray(score.loss, dtype=float)) * unit
    if model.classes is None:
        return Spread(name, None, member_loss, None)
    right = model.net.decide(model.outputs(X)) == np.asarray(codes)
    member_acc = np.atleast_1d(np.asarray(score.accuracy, dtype=float))
    return Spread(name, float(np.mean(right)), member_loss, member_acc)


def train_ensemble(
    args: argparse.Namespace,
    X: Any,
    y: Any,
    names: tuple[str, ...],
    source: str,
    recipe: Recipe,
) -> int:
    """``glassnet train --ensemble K`` on the data and recipe ``glassnet train`` would use:
    train, save the model, write its report."""
    from glassnet.cli.replacing import Replaced
    from glassnet.cli.run_outputs import data_lines, extras_paths
    from glassnet.files.fileio import write_text
    from glassnet.files.modelfile import save_model

    shape = (X.n_rows, len(X.names)) if hasattr(X, "n_rows") else X.shape
    stopping = "no early stopping" if recipe.patience is None else f"patience {recipe.patience}"
    print(f"training an ensemble of {args.ensemble} on {source}: {shape[0]} samples, "
          f"{shape[1]} feature columns (up to {recipe.epochs} epochs, {stopping}, member by "
          "member; each keeps its best validation epoch)", flush=True)  # fmt: skip
    outcome = ensemble_model(X, y, recipe, args.ensemble, names)
    for line in data_lines(outcome):  # task, target scaling, encoded columns
        print(line)
    out = Path(args.out)
    report = extras_paths(out)["report.html"]  # as a single run's: report.html beside it
    before = Replaced.in_folder(out.parent)
    written = [save_model(outcome.model, out)]
    written += write_curves(outcome.result, out)
    written.append(write_text(report, ensemble_page(outcome, f"glassnet ensemble: {out}")))
    for s in outcome.spreads:
        print(s.line())
    print(endings(outcome.result.stop_reasons(), recipe.epochs))
    before.note(written)
    print("wrote " + ", ".join(map(str, written)))
    return 0


ENDINGS = {
    "epochs": "ran all {epochs} epochs",
    "early stopping": "stopped early (patience)",
    "diverged": "diverged",
}


def endings(reasons: list[str], epochs: int) -> str:
    """How the members ended, in words: ``members: 3 ran all 2 epochs``."""
    counts = [(reasons.count(r), ENDINGS.get(r, r).format(epochs=epochs)) for r in ENDINGS]
    return "members: " + ", ".join(f"{k} {what}" for k, what in counts if k)


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
            (k, seeds[k], int(best[k]), f"{result.val_loss[best[k] - 1, k]:.4f}", ends[k])
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
            f"{v:.4f}" for v in (s.member_loss.min(), s.member_loss.mean(), s.member_loss.max())
        )
        body.append((s.name, ens, *accs, *losses))
    return h.paragraph(
        "The ensemble predicts with the mean of its members' outputs; the member columns "
        "show how far the members, trained from different seeds, spread."
    ) + h.table(header, body)
