"""The optimizer that ``glassnet explain --model`` steps with: the one a saved model was
trained with, read from its stored settings (``glassnet train``'s, or an estimator's
scikit-learn parameters), with the lines the UPDATE section says of it; or why there is
none (an L-BFGS model, a file that does not say)."""

from __future__ import annotations

from typing import Any, NamedTuple

from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov
from glassnet.core.schedules import stored_schedule
from glassnet.files.modelfile import Model


class Stored(NamedTuple):
    """What a model file says of its updates: the optimizer (None when there is no rule
    to show), the UPDATE section's lines on it (or why none), and its L2 settings."""

    optimizer: Any
    notes: list[str]
    weight_decay: float = 0.0
    alpha: float = 0.0


def optimizer_of(model: Model) -> Stored:
    """The model's optimizer and the UPDATE section's lines on it (where its settings come
    from, the rate schedule) and its L2 settings (``weight_decay``; an estimator's
    ``alpha``), or no optimizer and why none is shown."""
    settings = model.settings
    params = settings.get("params") if "estimator" in settings else None
    if isinstance(params, dict):  # saved by an estimator: scikit-learn's names
        return _of_estimator(params)
    name, lr = settings.get("optimizer"), settings.get("learning_rate")
    if name is None or lr is None:
        return Stored(None, ["the model file does not say which optimizer trained it"])
    if name not in ("sgd", "momentum", "nesterov", "adam"):
        return Stored(None, [f"its optimizer {name!r} has no rule written out here"])
    named = {"optimizer": name, "learning_rate": lr}
    if name in ("momentum", "nesterov"):
        named["momentum"] = settings.get("momentum", 0.9)
    cls = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adam": Adam}[name]
    optimizer = cls(*(float(v) for k, v in named.items() if k != "optimizer"))
    schedule = settings.get("schedule")
    changing = None if schedule in (None, "Constant") else f"schedule {_constants(settings)}"
    return Stored(optimizer, _notes(named, changing), float(settings.get("weight_decay") or 0))


def _constants(settings: dict[str, Any]) -> str:
    """The stored schedule with its constants (``StepDecay(every=3, gamma=0.7)``; a file
    without them: the defaults, which it was trained with), or its name if unknown."""
    try:
        return repr(stored_schedule(settings))
    except (ValueError, TypeError):
        return str(settings.get("schedule"))


def _of_estimator(params: dict[str, Any]) -> Stored:
    """As :func:`glassnet.sklearn.settings.optimizer` builds it (written again here, so that
    explaining a model needs no scikit-learn): Adam with ``beta_1, beta_2, epsilon``, or SGD
    with ``momentum`` (Nesterov's with ``nesterovs_momentum``), at ``learning_rate_init``."""
    solver = params.get("solver", "adam")
    if solver == "lbfgs":
        why = ("it was trained by L-BFGS (solver='lbfgs'), whose steps come from a line "
               "search over several passes, not from one rule applied to J")
        return Stored(None, [why])
    lr = float(params.get("learning_rate_init", 0.001))
    named: dict[str, Any] = {"solver": solver, "learning_rate_init": lr}
    if solver == "adam":
        keys = ("beta_1", "beta_2", "epsilon")
        named.update({k: params.get(k, d) for k, d in zip(keys, (0.9, 0.999, 1e-8), strict=True)})
        optimizer: Any = Adam(lr, *(float(named[k]) for k in keys))
    elif solver == "sgd":
        momentum = float(params.get("momentum", 0.9))
        named["momentum"] = momentum
        if momentum == 0:
            optimizer = SGD(lr)
        else:
            named["nesterovs_momentum"] = bool(params.get("nesterovs_momentum", True))
            optimizer = (Nesterov if named["nesterovs_momentum"] else Momentum)(lr, momentum)
    else:
        return Stored(None, [f"its solver {solver!r} has no rule written out here"])
    kind, schedule = params.get("learning_rate", "constant"), params.get("schedule")
    changing = (f"schedule={schedule!r}" if schedule is not None
                else f"learning_rate={kind!r}" if solver == "sgd" and kind != "constant"
                else None)  # fmt: skip
    return Stored(optimizer, _notes(named, changing), alpha=float(params.get("alpha") or 0))


def _notes(named: dict[str, Any], changing: str | None) -> list[str]:
    """Where the settings come from, and the schedule that changes the rate after this
    first step."""
    said = ", ".join(f"{k}={v!r}" for k, v in named.items())
    notes = [f"the optimizer of its stored settings ({said})"]
    if changing:
        notes.append(f"μ is the first step's rate: {changing} changes it as training goes on")
    return notes


def l2_words(weight_decay: float, alpha: float, n: int, reduction: str) -> str:
    """Where the L2 scale ``s`` of a step on ``n`` samples comes from, as training sets it
    (:func:`glassnet.train.epochs.l2_scale`: ``weight_decay + alpha / S``, ``S`` the batch's
    samples for the mean, 1 for the sum)."""
    parts = [f"weight_decay = {weight_decay:g}"] if weight_decay else []
    if alpha:
        mean = reduction == "mean"
        parts.append(f"alpha / N = {alpha:g} / {n}" if mean else f"alpha = {alpha:g}")
    return " + ".join(parts)
