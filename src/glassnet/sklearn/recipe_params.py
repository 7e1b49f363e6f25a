"""Constructor arguments for a model file that ``glassnet train`` wrote.

A CLI model stores its :class:`~glassnet.cli.recipe.Recipe` as settings (``hidden``,
``optimizer``, ``learning_rate``, ``epochs``, ...) and the run's summary as
``settings["run"]``. :func:`recipe_params` turns them into the estimator's arguments
(``hidden_layer_sizes`` from the network itself) and names each setting that has no
equal estimator argument, so that ``from_model`` warns instead of silently taking a
default; :func:`recipe_record` gives the fitted attributes the summary and the stored
record of every epoch hold.
"""

from __future__ import annotations

from math import inf
from typing import Any

from glassnet.core.network import Network
from glassnet.core.schedules import SCHEDULES, stored_schedule
from glassnet.sklearn.fit_record import best_loss
from glassnet.train.history import History

_SOLVERS: dict[str, dict[str, Any]] = {
    "adam": {"solver": "adam"},
    "sgd": {"solver": "sgd", "momentum": 0.0},
    "momentum": {"solver": "sgd", "nesterovs_momentum": False},
    "nesterov": {"solver": "sgd", "nesterovs_momentum": True},
}
_RENAMED = {  # recipe key -> estimator argument, values taken as they are
    "activation": "activation", "learning_rate": "learning_rate_init", "epochs": "max_iter",
    "batch_size": "batch_size", "seed": "random_state", "standardize": "standardize",
    "dtype": "dtype", "reduction": "loss_reduction", "standardize_target": "standardize_target",
}  # fmt: skip
_DEFAULTS = {"weight_decay": 0.0, "init_seed": None, "init_scale": None, "test_size": None}


def is_recipe(settings: dict[str, Any]) -> bool:
    """Whether ``settings`` are a CLI recipe's (not an estimator's ``est.save``)."""
    return "estimator" not in settings and "hidden" in settings and "optimizer" in settings


def recipe_params(
    settings: dict[str, Any], net: Network, names: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The estimator arguments (keys of ``names``, its defaults) the recipe ``settings``
    set, and the recipe settings with no estimator equal (``"name=value"``, for a warning)."""
    kwargs: dict[str, Any] = {"hidden_layer_sizes": tuple(int(s) for s in net.sizes[1:-1])}
    for key, arg in _RENAMED.items():
        if key in settings and arg in names:
            kwargs[arg] = settings[key]
    optimizer = settings.get("optimizer")
    kwargs.update(_SOLVERS.get(str(optimizer), {}))
    if "alpha" in names and not settings.get("weight_decay"):
        kwargs["alpha"] = 0.0  # the CLI's recipe had no L2 penalty
    if optimizer in ("momentum", "nesterov"):
        kwargs["momentum"] = settings.get("momentum", names["momentum"])
    differs = [] if optimizer in _SOLVERS else [f"--optimizer {optimizer}"]
    by_class = {cls.__name__: name for name, cls in SCHEDULES.items()}
    schedule = settings.get("schedule", "Constant")
    if schedule in by_class and schedule != "Constant":  # with the run's constants, if stored
        stored = settings.get("schedule_settings")
        kwargs["schedule"] = stored_schedule(settings) if stored else by_class[schedule]
    elif schedule != "Constant":
        differs.append(f"--schedule {schedule}")
    differs += [
        f"{_OPTIONS[key]} {settings[key]}"
        for key, default in _DEFAULTS.items()
        if settings.get(key, default) != default
    ]
    if settings.get("val_size"):  # the CLI kept its best epoch on a validation split
        differs.append(f"--val-fraction {settings['val_size']}")
        differs.append(f"--patience {settings.get('patience') or 0}")
    if net.head.name == "softmax" and net.sizes[-1] == 2:  # the estimator: one logistic unit
        differs.append("the model's 2-unit softmax output layer (the estimator's: 1 logistic unit)")
    return kwargs, differs


_OPTIONS = {  # a recipe setting as the glassnet train option (or preset field) that set it
    "weight_decay": "--weight-decay", "init_seed": "--init-seed",
    "init_scale": "the preset's init_scale", "test_size": "--test-fraction",
}  # fmt: skip


def unmatched_warning(estimator: str, differs: list[str]) -> str:
    """One sentence naming the ``differs`` of :func:`recipe_params` (the ``glassnet train``
    options first, as the user typed them), for ``from_model``'s warning."""
    options = [d for d in differs if d.startswith("--")]
    parts = ([f"glassnet train's {' '.join(options)}"] if options else []) + [
        d for d in differs if not d.startswith("--")
    ]
    have, them = ("have", "them") if len(differs) > 1 else ("has", "it")
    return (
        f"{estimator}.from_model: {' and '.join(parts)} {have} no equal estimator argument, "
        f"so a refit of this estimator trains without {them}"
    )


def recipe_record(settings: dict[str, Any]) -> dict[str, Any]:
    """The fitted attributes a CLI file's record gives: ``n_iter_``, ``stop_reason_`` and
    ``t_`` (epochs times the training rows, in files that keep the rows) from the run
    summary (``settings["run"]``); from the record of every epoch
    (``settings["history"]``, what ``history.json`` holds; files written before it was kept
    have none, and their ``loss_curve_`` stays empty) ``history_``, ``loss_curve_`` (epochs
    1..n), ``best_loss_`` and, when the run held out validation rows,
    ``validation_loss_curve_``, ``validation_scores_`` (a classifier's validation accuracy
    per epoch, as scikit-learn's; None for a regressor, whose R^2 per epoch the record does
    not hold) and ``best_validation_score_``, as :func:`glassnet.sklearn.fit_record.record`
    sets them."""
    run = settings.get("run")
    if not isinstance(run, dict):
        return {}
    record: dict[str, Any] = {"n_iter_": int(run.get("epochs", 0))}
    if "stop_reason" in run:
        record["stop_reason_"] = run["stop_reason"]
    if isinstance(run.get("train_rows"), int):  # files before 0.2 do not keep it
        record["t_"] = record["n_iter_"] * run["train_rows"]
    return {**record, **_curves(settings.get("history"))}


def _curves(saved: Any) -> dict[str, Any]:
    """The curves of a stored :meth:`History.as_dict` record (none of a damaged one)."""
    try:
        history = History.from_dict(saved) if isinstance(saved, dict) else None
    except (ValueError, KeyError, TypeError):
        history = None
    if history is None:
        return {}
    losses = [float(v) for v in history.column("loss")]
    val = history.column("val_loss")
    validated = bool(val) and all(v is not None for v in val)
    val_losses = [float(v) for v in val] if validated else None
    accuracy = history.column("val_accuracy")
    scores = [float(v) for v in accuracy] if validated and None not in accuracy else None
    return {
        "history_": history,
        "loss_curve_": losses,
        "validation_loss_curve_": val_losses,
        "best_loss_": best_loss(history, val_losses) if val_losses else min(losses, default=inf),
        "validation_scores_": scores,
        "best_validation_score_": max(scores) if scores else None,
    }
