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
from glassnet.cli.shares import train_in_shares
from glassnet.cli.workflow import Recipe
from glassnet.core import population as pop
from glassnet.data.preprocessing import loss_unit
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model
from glassnet.train.population import Members, PopulationResult

COLUMNS = ("rank", "hidden", "learning_rate", "weight_decay", "momentum", "seed",
           "best_epoch", "val_loss", "val_accuracy", "diverged")  # fmt: skip


@dataclass(frozen=True)
class Grid:
    """The values to combine; ``seeds`` members per combination (seeds ``seed .. seed+n-1``
    give their initialization and minibatch order)."""

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
    best: Model
    curves: dict[tuple[int, ...], PopulationResult]  # per architecture


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
    curves, rows = {}, []
    for hidden in grid.hidden:
        net = network(data, replace(recipe, hidden=hidden))
        members = grid.members(recipe.seed, with_momentum)
        cfg = population_config(recipe)
        args = (net, data["X"], data["y"], data["validation"], cfg, data["scaler"])
        result = train_in_shares(args, members, client, shares)
        curves[hidden] = result
        rows += _rows(hidden, result, with_momentum, loss_unit(data["target_scaler"]))
    rows.sort(key=lambda r: r["val_loss"] if np.isfinite(r["val_loss"]) else np.inf)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return SweepOutcome(rows, _best_model(rows[0], curves, data, recipe, feature_names), curves)


def _rows(
    hidden: tuple[int, ...], result: PopulationResult, with_momentum: bool, unit: float
) -> list[dict]:
    """One row per member; a regressor's validation loss in the targets' units (``unit``)."""
    m, rows = result.members, []
    assert result.val_loss is not None and m.learning_rate is not None
    for k in range(len(m)):
        epoch = int(result.best_epoch[k])
        val_acc = result.val_accuracy
        rows.append({
            "rank": 0, "hidden": ",".join(map(str, hidden)), "arch": hidden, "member": k,
            "learning_rate": m.learning_rate[k],
            "weight_decay": m.weight_decay[k] if m.weight_decay else 0.0,
            "momentum": m.momentum[k] if with_momentum and m.momentum else "",
            "seed": m.seeds[k], "best_epoch": epoch,
            "val_loss": float(result.val_loss[epoch - 1, k]) * unit if epoch else np.inf,
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
) -> Model:
    """The best member as an ordinary model file, its settings those of its own run."""
    result = curves[row["arch"]]
    settings = replace(
        recipe, hidden=row["arch"], learning_rate=row["learning_rate"],
        weight_decay=row["weight_decay"], seed=row["seed"], patience=None,
        momentum=row["momentum"] if row["momentum"] != "" else recipe.momentum,
    ).settings()  # fmt: skip
    settings["sweep"] = {"rank": 1, "members": sum(len(r.members) for r in curves.values())}
    net = network(data, replace(recipe, hidden=row["arch"]))
    return model_of(data, net, pop.member(result.params, row["member"]), names, settings)


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
