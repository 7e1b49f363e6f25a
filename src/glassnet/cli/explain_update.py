"""The optimizer that ``glassnet explain --model`` steps with: the one a saved model was
trained with, read from its stored settings (``glassnet train``'s, or an estimator's
scikit-learn parameters), with the lines the UPDATE section says of it; or why there is
none (an L-BFGS model, a file that does not say)."""

from __future__ import annotations

from typing import Any

from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov
from glassnet.files.modelfile import Model


def optimizer_of(model: Model) -> tuple[Any, list[str]]:
    """``(optimizer, notes)``: the model's optimizer and the UPDATE section's lines on it
    (where its settings come from, the rate schedule, the L2 term the step leaves out), or
    ``(None, [why none is shown])``."""
    settings = model.settings
    params = settings.get("params") if "estimator" in settings else None
    if isinstance(params, dict):  # saved by an estimator: scikit-learn's names
        return _of_estimator(params)
    name, lr = settings.get("optimizer"), settings.get("learning_rate")
    if name is None or lr is None:
        return None, ["the model file does not say which optimizer trained it"]
    if name not in ("sgd", "momentum", "nesterov", "adam"):
        return None, [f"its optimizer {name!r} has no rule written out here"]
    named = {"optimizer": name, "learning_rate": lr}
    if name in ("momentum", "nesterov"):
        named["momentum"] = settings.get("momentum", 0.9)
    cls = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adam": Adam}[name]
    optimizer = cls(*(float(v) for k, v in named.items() if k != "optimizer"))
    schedule = settings.get("schedule")
    changing = None if schedule in (None, "Constant") else f"schedule {schedule}"
    return optimizer, _notes(named, changing, "weight_decay", settings.get("weight_decay"))


def _of_estimator(params: dict[str, Any]) -> tuple[Any, list[str]]:
    """As :func:`glassnet.sklearn.settings.optimizer` builds it (written again here, so that
    explaining a model needs no scikit-learn): Adam with ``beta_1, beta_2, epsilon``, or SGD
    with ``momentum`` (Nesterov's with ``nesterovs_momentum``), at ``learning_rate_init``."""
    solver = params.get("solver", "adam")
    if solver == "lbfgs":
        why = ("it was trained by L-BFGS (solver='lbfgs'), whose steps come from a line "
               "search over several passes, not from one rule applied to J")
        return None, [why]
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
        return None, [f"its solver {solver!r} has no rule written out here"]
    kind, schedule = params.get("learning_rate", "constant"), params.get("schedule")
    changing = (f"schedule={schedule!r}" if schedule is not None
                else f"learning_rate={kind!r}" if solver == "sgd" and kind != "constant"
                else None)  # fmt: skip
    return optimizer, _notes(named, changing, "alpha", params.get("alpha"))


def _notes(named: dict[str, Any], changing: str | None, l2: str, value: Any) -> list[str]:
    """Where the settings come from, the schedule that changes the rate after this first
    step, and the L2 term (``l2 = value``) that training adds to ``J`` and the step leaves
    out."""
    said = ", ".join(f"{k}={v!r}" for k, v in named.items())
    notes = [f"the optimizer of its stored settings ({said})"]
    if changing:
        notes.append(f"μ is the first step's rate: {changing} changes it as training goes on")
    if value:
        notes.append(f"this step is of ξ alone: training also adds the L2 penalty's gradient "
                     f"({l2} = {float(value):g}) to J")  # fmt: skip
    return notes
