"""``glassnet sweep``: every combination of settings trained at once, ranked on validation.

:func:`run_sweep` prepares the data as ``glassnet train`` does (targets encoded, the same
validation split, inputs scaled on the training rows), then trains each architecture's
combinations of learning rate, L2 weight decay, momentum and seed as one population
(:func:`glassnet.train.population.fit_population`; architectures that differ train as
separate populations). Every member trains all epochs and keeps its best validation epoch.
With a Dask ``client`` each population is cut into shares trained on the workers; a
share whose worker is lost is submitted again, so a lost worker costs only its share, and
the results equal the local run's (members never interact).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from glassnet.cli.prepared import model_of, network, population_config, prepare
from glassnet.cli.run_record import in_target_units
from glassnet.cli.shares import train_in_shares
from glassnet.cli.sweep_record import final_scores, member_history, members_scored, trained_epochs
from glassnet.cli.workflow import Recipe
from glassnet.core import population as pop
from glassnet.data.preprocessing import loss_unit
from glassnet.data.tables import DataError
from glassnet.files.kept_run import keep_run
from glassnet.files.modelfile import Model
from glassnet.train.history import History
from glassnet.train.members import PopulationInterrupted
from glassnet.train.population import Members, PopulationResult
from glassnet.views.report_settings import penalty_note

COLUMNS = ("rank", "hidden", "learning_rate", "weight_decay", "momentum", "split_seed",
           "init_seed", "kept_epoch", "epochs", "stop_reason", "initial_val_loss",
           "train_loss", "val_loss", "val_accuracy", "diverged")  # fmt: skip


@dataclass(frozen=True)
class Grid:
    """The values to combine; ``seeds`` members per combination (init seeds ``seed ..
    seed+n-1`` give their initialization and minibatch order; every member has the split
    of ``seed``)."""

    learning_rate: tuple[float, ...]
    weight_decay: tuple[float, ...] = (0.0,)
    momentum: tuple[float, ...] = (0.9,)
    seeds: int = 1
    hidden: tuple[tuple[int, ...], ...] = ((64,),)

    def members(self, seed: int, with_momentum: bool) -> Members:
        """One architecture's members: every combination, in a fixed order."""
        momenta: Sequence[float | None] = self.momentum if with_momentum else (None,)
        rows = list(itertools.product(self.learning_rate, self.weight_decay, momenta,
                                      range(seed, seed + self.seeds)))  # fmt: skip
        return Members(
            seeds=tuple(r[3] for r in rows),
            learning_rate=tuple(r[0] for r in rows),
            weight_decay=tuple(r[1] for r in rows),
            momentum=tuple(float(r[2] or 0.0) for r in rows) if with_momentum else None,
        )


@dataclass
class SweepOutcome:
    rows: list[dict[str, Any]]  # one per member, best (lowest validation loss) first
    best: Model  # its settings["run"]: the record of history (settings["sweep"]: its rank)
    curves: dict[tuple[int, ...], PopulationResult]  # per architecture, epoch 0 first
    history: History  # the best member's record, as a single run's (history.json)
    unit: float = 1.0  # a regressor's losses: times this in the targets' units
    planned: int = 0  # members asked for; more than len(rows) when a signal cut it short


def run_sweep(
    X: Any,
    y: Any,
    recipe: Recipe,
    grid: Grid,
    feature_names: tuple[str, ...] = (),
    client: Any = None,
    shares: int | None = None,
) -> SweepOutcome:
    """Train every combination of ``grid`` on ``(X, y)``; see the module docstring.

    ``recipe`` gives the rest (activation, optimizer, epochs, batch size, validation share,
    split seed, dtype, scaling). Raises :class:`DataError` without a validation set.
    """
    if not recipe.val_size:
        raise DataError("a sweep ranks its members on a validation set: --val-fraction > 0")
    data = prepare(X, y, recipe)
    with_momentum = recipe.optimizer in ("momentum", "nesterov")
    unit = loss_unit(data["target_scaler"])
    curves, rows, planned = {}, [], 0
    for hidden in grid.hidden:
        net = network(data, replace(recipe, hidden=hidden))
        members = grid.members(recipe.seed, with_momentum)
        cfg = population_config(recipe)
        args = (net, data["X"], data["y"], data["validation"], cfg, data["scaler"])
        planned += len(members)
        try:
            result, stopped = train_in_shares(args, members, client, shares), None
        except PopulationInterrupted as stop:  # a signal: each begun member's best so far
            result, stopped = stop.result, stop
        curves[hidden] = members_scored(result, net, data, cfg)
        rows += _rows(hidden, curves[hidden], with_momentum, unit, recipe.seed)
        if stopped is not None:
            planned = len(grid.hidden) * len(members)
            break
    rows.sort(key=lambda r: r["val_loss"] if np.isfinite(r["val_loss"]) else np.inf)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    best, history = _best_model(rows[0], curves, data, recipe, feature_names)
    return SweepOutcome(rows, best, curves, history, unit, planned)


def _rows(
    hidden: tuple[int, ...], result: PopulationResult, with_momentum: bool, unit: float,
    split_seed: int,
) -> list[dict]:  # fmt: skip
    """One row per member; a regressor's losses in the targets' units (``unit``)."""
    m, rows = result.members, []
    assert result.val_loss is not None and m.learning_rate is not None
    assert result.initial is not None and result.final is not None
    endings = result.stop_reasons()
    for k in range(len(m)):
        epoch = int(result.best_epoch[k])
        val_acc = result.val_accuracy
        rows.append({
            "rank": 0, "hidden": ",".join(map(str, hidden)), "arch": hidden, "member": k,
            "learning_rate": m.learning_rate[k],
            "weight_decay": m.weight_decay[k] if m.weight_decay else 0.0,
            "momentum": m.momentum[k] if with_momentum and m.momentum else "",
            "split_seed": split_seed, "init_seed": m.seeds[k], "kept_epoch": epoch,
            "epochs": trained_epochs(result, k), "stop_reason": endings[k],
            "initial_val_loss": float(result.initial["val_loss"][k]) * unit,  # type: ignore[index]
            "train_loss": float(result.final["train"]["member_loss"][k]) * unit,
            "val_loss": float(result.val_loss[epoch - 1, k]) * unit if epoch
            else float(result.initial["val_loss"][k]) * unit,  # type: ignore[index]
            "val_accuracy": "" if val_acc is None or not epoch else float(val_acc[epoch - 1, k]),
            "diverged": bool(result.diverged[k]),
        })  # fmt: skip
    return rows


def _best_model(
    row: dict[str, Any],
    curves: dict[tuple[int, ...], PopulationResult],
    data: dict[str, Any],
    recipe: Recipe,
    names: tuple[str, ...],
) -> tuple[Model, History]:
    """The best member as an ordinary model file, its settings those of the ``glassnet
    train`` run that reproduces it (the split of ``seed``, ``init_seed`` its own; without
    patience ``patience=epochs``, which keeps the best epoch and never stops), and its
    record by a single run's rules (``settings["run"]``, as ``train`` stores it)."""
    result = curves[row["arch"]]
    recipe = replace(
        recipe, hidden=row["arch"], learning_rate=row["learning_rate"],
        weight_decay=row["weight_decay"], init_seed=row["init_seed"],
        patience=recipe.patience or recipe.epochs,
        momentum=row["momentum"] if row["momentum"] != "" else recipe.momentum,
    )  # fmt: skip
    settings = recipe.settings()
    settings["sweep"] = {"rank": 1, "members": sum(len(r.members) for r in curves.values())}
    net = network(data, recipe)
    model = model_of(data, net, pop.member(result.params, row["member"]), names, settings)
    history = member_history(result, row["member"], recipe, row["learning_rate"])
    history = in_target_units(data["prepared"])(history)
    history.final = final_scores(model, data)
    history.loss_penalty = penalty_note(model.settings)  # history.json and best.npz say it
    keep_run(model.settings, history, train_rows=len(data["X"]))  # as history.json
    return model, history


def results_csv(rows: Sequence[dict[str, Any]]) -> str:
    """The ranked results as CSV text (one line per member)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return f"{value:.6g}" if isinstance(value, float) else value
