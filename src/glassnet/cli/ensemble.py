"""``glassnet train --ensemble K``: K seeds trained at once, saved as one averaging model.

Member ``k`` is the run of ``glassnet train --seed S --init-seed S+k`` (its initialization
and minibatch order from seed ``S+k``; ``S`` is ``--seed``), on the one split ``--seed S``
makes; the members train together as a population (:mod:`glassnet.train.population`).
Early stopping (``--patience``) and the learning-rate schedule (``--schedule``) act member
by member, as in each member's own run: a member stops when its own patience runs out, the ensemble
when every member has stopped; each member keeps its best validation epoch (its last
epoch with ``--patience 0`` or ``--val-fraction 0``, as a single run does). The model
file stores the stacked members; its predictions average their probabilities (or values).
Beside it go ``history.json``, ``loss.png`` and ``report.html``, from one record by a
single run's rules (:mod:`glassnet.cli.ensemble_report`): epoch 0 the initialization, each
member's best and kept epoch, ``final`` the saved ensemble's and members' scores; the model
file keeps that record too (``settings["run"]``,
:func:`glassnet.cli.run_record.population_summary`). A stop signal saves every member
begun at its kept epoch so far (:mod:`glassnet.cli.ensemble_stops`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.cli.ensemble_report import ensemble_page, spread_html, write_curves
from glassnet.cli.ensemble_scores import Spread, averaged_loss, spread
from glassnet.cli.prepared import model_of, network, population_config, prepare
from glassnet.cli.run_record import population_summary
from glassnet.cli.stops import received
from glassnet.cli.workflow import Recipe, _init
from glassnet.core import population as pop
from glassnet.core._types import Array
from glassnet.data.batching import evaluate, evaluate_columns
from glassnet.data.preprocessing import LOSS_SPLIT, Standardizer, loss_factors, loss_unit
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model
from glassnet.train import target_units
from glassnet.train.population import (
    Members,
    PopulationInterrupted,
    PopulationResult,
    fit_population,
    initial_penalty,
)
from glassnet.views.report_settings import penalty_note

__all__ = [
    "EnsembleOutcome",
    "Spread",
    "averaged_loss",
    "ensemble_model",
    "ensemble_page",
    "spread",
    "spread_html",
    "write_curves",
]


@dataclass
class EnsembleOutcome:
    model: Model
    result: PopulationResult
    spreads: list[Spread]
    task_reason: str = ""  # why this task, in words (as a single run's summary says)
    rows: dict[str, Array] = dataclasses.field(default_factory=dict)  # split -> row numbers
    data: tuple[Array, Array] = (np.zeros((0, 0)), np.zeros(0))  # every row: X, targets
    interrupted: int = 0  # a stop signal came: the members planned (0: the run ended)


def ensemble_model(
    X: Any,
    y: Any,
    recipe: Recipe,
    members: int,
    feature_names: tuple[str, ...] = (),
    describe: Callable[[Model, str], None] = lambda model, reason: None,
) -> EnsembleOutcome:
    """Train ``members`` networks of ``recipe`` at once; see the module docstring.
    ``describe(model, reason)`` is called before training with the first member's
    untrained model (its task, classes, column encoding and target scaling, as the data set
    them) and why that task, as :func:`glassnet.cli.workflow.train_model` calls it."""
    if members < 2:
        raise DataError(f"an ensemble needs at least 2 members, got {members}")
    data = prepare(X, y, recipe)
    net = network(data, recipe)
    seeds = tuple(range(recipe.seed, recipe.seed + members))
    dtype = np.dtype(recipe.dtype)
    start = pop.stack(
        [_init(net, np.random.default_rng(s), dtype, recipe.init_scale) for s in seeds]
    )
    describe(model_of(data, net, pop.member(start, 0), feature_names, recipe.settings()),
             data["prepared"].reason)  # fmt: skip
    config = population_config(recipe)  # --patience 0: each member keeps its last epoch
    validated = data["validation"] is not None  # --val-fraction 0: every row trains
    config = dataclasses.replace(config, restore_best=recipe.patience is not None and validated)
    planned = 0  # a stop signal came: the members asked for
    try:
        result = fit_population(
            net, data["X"], data["y"], Members(seeds), config,
            params=start, validation=data["validation"], scaler=data["scaler"],
        )  # fmt: skip
    except PopulationInterrupted as stop:  # a stop signal: each begun member's kept epoch
        result, planned = stop.result, members
    scored = (result, data, net, start, recipe, feature_names)
    try:
        return _scored(*scored, planned)
    except KeyboardInterrupt:  # a stop signal as they were scored: score and save them still;
        if not received():  # training ended as it did (cli.stops.received() says a signal
            raise  # came); Ctrl-C in Python code raises as ever
        return _scored(*scored, planned)  # (later signals wait: cli.stops)


def _scored(
    result: PopulationResult,
    data: dict[str, Any],
    net: Any,
    start: Any,
    recipe: Recipe,
    feature_names: tuple[str, ...],
    planned: int,
) -> EnsembleOutcome:
    """The trained (or interrupted: ``planned`` members asked for) ensemble's model and
    record: epoch 0 and the final scores of every begun member, ``settings["run"]``."""
    begun = len(result.members)
    start = [{k: v[:begun] for k, v in p.items()} for p in start]
    penalty = initial_penalty(net, start, result.members, population_config(recipe), len(data["y"]))
    result.initial = _initial(net, start, data, np.dtype(recipe.dtype), penalty, by_column=True)
    if data["classes"] is None:  # a regressor's record in the targets' units
        result = _in_units(result, data["target_scaler"])
    settings = recipe.settings()
    result.loss_penalty = penalty_note(settings)  # history.json says so, as a single run's
    settings["ensemble"] = {"members": begun, "seeds": list(result.members.seeds)}
    if planned:
        settings["ensemble"]["planned"] = planned
    model = model_of(data, net, result.params, feature_names, settings)
    X_all, codes = data["all"]
    targets = codes if data["classes"] is not None else data["prepared"].y  # in their units
    spreads = [spread(model, X_all[r], targets[r], name) for name, r in data["rows"].items()]
    result.final = {s.name: s.scores() for s in spreads}  # what was saved, per split
    model.settings["run"] = population_summary(result)  # the record history.json holds
    reason = data["prepared"].reason
    return EnsembleOutcome(model, result, spreads, reason, data["rows"], data["all"], planned)


def _initial(
    net: Any, start: Any, data: dict[str, Any], dtype: Any, penalty: Any = 0.0,
    by_column: bool = False,
) -> dict[str, Any]:
    """Epoch 0 of every member: its initial parameters scored on the training and the
    validation rows (``(K,)`` each), as a single run's record begins (``initial_record``):
    the training loss plus ``penalty (K,)``, the L2 penalty each member's trained epochs
    carry (:func:`~glassnet.train.population.initial_penalty`); the validation loss
    without. ``by_column`` (an ensemble's): a regressor's validation losses per target
    column too, ``val_columns (K, C)``, as a single run's epoch 0 has them."""
    train = evaluate(net, start, data["X"], data["y"], None, data["scaler"], dtype)
    initial: dict[str, Any] = {"loss": np.asarray(train.loss, dtype=float) + penalty}
    if data["validation"] is not None:
        X_val, y_val = data["validation"]
        val = evaluate(net, start, X_val, y_val, None, data["scaler"], dtype)
        accuracy = None if val.accuracy is None else np.asarray(val.accuracy, dtype=float)
        initial.update(val_loss=np.asarray(val.loss, dtype=float), val_accuracy=accuracy)
        if by_column and data["classes"] is None and net.sizes[-1] > 1:  # as trained
            initial["val_columns"] = np.stack([np.asarray(evaluate_columns(
                net, pop.member(start, k), X_val, y_val, None, data["scaler"], dtype)[1])
                for k in range(len(initial["loss"]))])  # fmt: skip
    return initial


def _in_units(result: PopulationResult, scaler: Standardizer | None) -> PopulationResult:
    """A regressor's curves in the targets' units by a single run's rules
    (:func:`glassnet.train.target_units.in_target_units`): every loss times ``scale**2``
    for one scale; for columns of different scales each validation loss (epoch 0's too)
    ``mean_c s_c**2 L_c`` of its per-column losses, the training losses as trained and the
    validation losses as compared kept as ``monitored_loss``; ``loss_unit`` says which."""
    unit = target_units.record_unit(scaler)
    factors = loss_factors(scaler)
    initial: dict[str, Any] = dict(result.initial or {})
    columns = initial.pop("val_columns", None)
    if unit != LOSS_SPLIT or factors is None:
        f = loss_unit(scaler)
        for name in ("loss", "val_loss"):
            if initial.get(name) is not None:
                initial[name] = np.asarray(initial[name]) * f
        val = None if result.val_loss is None else result.val_loss * f
        return dataclasses.replace(result, loss=result.loss * f, val_loss=val,
                                   initial=initial or None, loss_unit=unit)  # fmt: skip
    if result.val_loss is None:  # no validation set: nothing in other units
        return dataclasses.replace(result, initial=initial or None, loss_unit=unit)
    if columns is not None:
        initial.update(monitored_loss=initial["val_loss"], val_loss=np.mean(factors * columns, -1))
    by_column = result.val_columns  # (E, K, C); none when no epoch ended (a stop signal)
    if by_column is None:
        by_column = np.full((*result.val_loss.shape, len(factors)), np.nan)
    val = np.mean(factors * by_column, axis=-1)  # (E, K)
    return dataclasses.replace(result, val_loss=val, monitored_loss=result.val_loss,
                               initial=initial or None, loss_unit=unit)  # fmt: skip
