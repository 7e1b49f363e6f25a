"""The record of a sweep, by a single run's rules (:mod:`glassnet.train.history`).

Every member's curves start at epoch 0 (its initial parameters, scored as ``glassnet
train`` scores them: :func:`members_scored`); each member's kept epoch, ending and final
scores (of the parameters it keeps) are in ``results.csv``. The best member, saved as
``best.npz``, gets a single run's :class:`~glassnet.train.history.History`
(:func:`member_history`): epoch 0, its epochs, kept and best epoch, stop reason and
``final`` (the saved parameters' scores per split), written as ``history.json`` and
``loss.png`` beside it and kept in the model file as ``settings["run"]``.

Member ``k`` of a sweep is the ``glassnet train`` run with the split of ``--seed S`` and
``--init-seed k`` (its initialization and minibatch order); :func:`train_command` spells
out that command, which reproduces ``best.npz``.
"""

from __future__ import annotations

import shlex
from typing import Any

import numpy as np

from glassnet.cli.ensemble import _initial
from glassnet.cli.model_data import score
from glassnet.cli.recipe import Recipe
from glassnet.cli.schedule_options import schedule_argv, schedule_from_args
from glassnet.core import population as pop
from glassnet.core._types import Array
from glassnet.core.network import Network
from glassnet.core.schedules import Constant
from glassnet.data.batching import evaluate
from glassnet.data.preprocessing import LOSS_IN_UNITS, loss_name
from glassnet.files.modelfile import Model
from glassnet.train.history import EpochRecord, History
from glassnet.train.members import PopulationResult
from glassnet.train.population import initial_penalty
from glassnet.train.state import TrainConfig


def members_scored(
    result: PopulationResult, net: Network, data: dict[str, Any], config: TrainConfig
) -> PopulationResult:
    """``result`` with ``initial`` (epoch 0: each member's initial parameters, as
    :func:`~glassnet.train.population.fit_population` drew them, scored on the training
    and validation rows; the training loss with the member's own L2 penalty, as its trained
    epochs', :func:`~glassnet.train.population.initial_penalty`) and ``final`` (the kept
    parameters' ``member_loss`` and ``member_accuracy (K,)`` per split, without it), as
    trained (not in a regressor's target units). ``config``: the members' (dtype, batch
    size, weight decay where ``result.members`` sets none)."""
    dtype = config.dtype
    start = pop.init_members(net, result.members.seeds, result.members.init_scale, dtype)
    penalty = initial_penalty(net, start, result.members, config, len(data["y"]))
    result.initial = _initial(net, start, data, dtype, penalty)
    final = {}
    for split, (X, y) in (("train", (data["X"], data["y"])), ("validation", data["validation"])):
        s = evaluate(net, result.params, X, y, None, data["scaler"], dtype)
        accuracy = None if s.accuracy is None else np.asarray(s.accuracy, dtype=float)
        final[split] = {"member_loss": np.asarray(s.loss, dtype=float),
                        "member_accuracy": accuracy}  # fmt: skip
    result.final = final
    return result


def trained_epochs(result: PopulationResult, k: int) -> int:
    """The epochs member ``k`` trained: up to its stop (its curve is NaN after it) or up
    to the epoch it diverged in (inf from then on), that one left out."""
    loss = result.loss[:, k]
    ended = ~np.isfinite(loss)
    return int(np.argmax(ended)) if ended.any() else len(loss)


def learning_rates(recipe: Recipe, lr0: float, watched: Array) -> list[float]:
    """The rate of each epoch ``1..E`` under ``recipe``'s schedule from ``lr0``, stepped on
    the monitored losses ``watched (E,)`` as the loop steps it (epoch 0's: ``lr0``)."""
    schedule = recipe.schedule or Constant()
    state, rates = schedule.init(lr0), []
    for epoch, loss in enumerate(watched, 1):
        rates.append(float(state.lr))
        state = schedule.step(state, epoch, float(loss))
    return rates


def member_history(result: PopulationResult, k: int, recipe: Recipe, lr0: float) -> History:
    """Member ``k``'s record as a single run's (losses as trained; ``final`` empty, for the
    caller to fill with the saved model's scores). Training accuracy is not measured in a
    population (None) and epochs are not timed (0 s)."""
    n, initial = trained_epochs(result, k), result.initial or {}
    val, acc = result.val_loss, result.val_accuracy

    def at(curve: Array | None, e: int) -> float | None:
        return None if curve is None or not np.isfinite(curve[e, k]) else float(curve[e, k])

    rates = learning_rates(recipe, lr0, (val if val is not None else result.loss)[:n, k])
    records = [EpochRecord(e + 1, float(result.loss[e, k]), at(val, e), None, at(acc, e),
                           rates[e], 0.0) for e in range(n)]  # fmt: skip
    first = None
    if initial:
        v = initial.get("val_loss")
        a = initial.get("val_accuracy")
        first = EpochRecord(0, float(initial["loss"][k]),  # type: ignore[index]
                            None if v is None else float(v[k]), None,
                            None if a is None else float(a[k]), lr0, 0.0)  # fmt: skip
    return History(records, int(result.best_epoch[k]), result.stop_reasons()[k], first)


def final_scores(model: Model, data: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """The saved ``model``'s scores per split, as ``glassnet train`` measures its
    ``final`` (a regressor's in the targets' units)."""
    prepared = data["prepared"]
    targets = prepared.y if prepared.classes is None else prepared.codes
    one_scale = loss_name(model.target_scaler) == LOSS_IN_UNITS  # else as the curves: standardized
    return {name: score(model, prepared.X, targets, rows, one_scale)._asdict()
            for name, rows in prepared.rows.items()}  # fmt: skip


def train_command(args: Any, row: dict[str, Any]) -> str:
    """The ``glassnet train`` command that trains the sweep's member ``row`` alone: the
    same data options, ``--seed`` (the split) and ``--init-seed`` (initialization and
    minibatch order), the member's settings and the sweep's shared ones. Without
    ``--patience`` a member still keeps its best validation epoch, which ``train`` does
    with ``--patience EPOCHS`` (never reached: some epoch improves on the first). A member
    a stop signal interrupted gets the epochs it ran (``--epochs 1542``, not the sweep's
    5000): the command then trains what ``best.npz`` holds (its record ends ``completed``
    where the member's says ``interrupted``: :func:`reproduces`)."""
    cut = row["stop_reason"] == "interrupted" and row["epochs"] > 0
    epochs = row["epochs"] if cut else args.epochs
    argv = ["glassnet", "train"]
    argv += ["--data", str(args.data), "--target", str(args.target)] if args.data else [
        "--dataset", str(args.dataset)]  # fmt: skip
    for name in ("features", "drop"):
        if getattr(args, name, None):
            argv += [f"--{name}", ",".join(getattr(args, name))]
    if args.n_samples is not None:
        argv += ["--n-samples", str(args.n_samples)]
    argv += ["--seed", str(args.seed), "--init-seed", str(row["init_seed"]),
             "--hidden", row["hidden"], "--lr", repr(row["learning_rate"]),
             "--weight-decay", repr(row["weight_decay"])]  # fmt: skip
    if row["momentum"] != "":
        argv += ["--momentum", repr(row["momentum"])]
    argv += ["--activation", args.activation, "--optimizer", args.optimizer,
             "--epochs", str(epochs), "--batch-size", str(args.batch_size),
             "--val-fraction", str(args.val_fraction), "--dtype", args.dtype,
             "--patience", str(args.patience or epochs),
             *schedule_argv(schedule_from_args(args, ())), "--task", args.task]  # fmt: skip
    if args.no_standardize:
        argv.append("--no-standardize")
    return shlex.join(argv)


def reproduces(args: Any, row: dict[str, Any]) -> str:
    """What :func:`train_command` reproduces of the member ``row``, in words: ``"the run"``,
    or for a member a stop signal interrupted ``"the run, up to its interruption after
    1542 of 5000 epochs,"`` (before its first epoch ended: its initial parameters)."""
    if row["stop_reason"] != "interrupted":
        return "the run"
    if not row["epochs"]:
        return "the initial parameters (interrupted before its first epoch ended) of the run"
    return (f"the run, up to its interruption after {row['epochs']} of {args.epochs} epochs "
            "(that command ends 'completed' there),")  # fmt: skip
