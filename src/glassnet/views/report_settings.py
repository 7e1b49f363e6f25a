"""The training report's "Settings" section: how the run was trained, from the recipe the
model file stores (``Model.settings``): a ``glassnet train`` model's options (optimizer and
its constants, learning rate, schedule and its constants, batch size, weight decay, epochs,
patience, validation rows, seed, hidden sizes, activation, ...), an estimator's constructor
parameters. :func:`l2_strength` says whether the training loss carries an L2 penalty, so
that every view of that loss can say so (:data:`WITH_PENALTY`)."""

from __future__ import annotations

import dataclasses
from typing import Any

from glassnet.views import report_html as h

WITH_PENALTY = "with the L2 penalty"  # the training loss's label when weight decay > 0


def l2_strength(settings: dict[str, Any] | None) -> float:
    """The L2 strength the training loss carries: ``weight_decay`` (``glassnet train``),
    an estimator's ``alpha``; 0 when none (or not stored)."""
    settings = settings or {}
    params = settings.get("params") if isinstance(settings.get("params"), dict) else {}
    value = settings.get("weight_decay") or (params or {}).get("alpha") or 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def penalty_note(settings: dict[str, Any] | None) -> str:
    """``""`` without a penalty; else what the training loss of each epoch includes (the
    loss of ``glassnet.train.epochs.batch_gradient``: ``(lambda / 2) sum ||W||^2``)."""
    strength = l2_strength(settings)
    if not strength:
        return ""
    estimator = bool((settings or {}).get("estimator"))
    what = "alpha" if estimator else "weight decay"
    lam = "alpha / the batch's samples" if estimator else f"{strength:g}"
    return (f"the training loss of each epoch includes the L2 penalty ({what} {strength:g}: "
            f"lambda/2 * sum of squared weights, lambda = {lam}); the validation loss and "
            "the final scores do not")  # fmt: skip


def settings_rows(settings: dict[str, Any] | None) -> list[tuple[str, str]]:
    """``(setting, value)`` rows of a stored recipe; ``[]`` when nothing is stored."""
    settings = settings or {}
    if isinstance(settings.get("params"), dict):  # an estimator's constructor parameters
        rows = [("estimator", str(settings.get("estimator", "")))]
        return rows + [(k, _plain(v)) for k, v in sorted(settings["params"].items())]
    if "optimizer" not in settings:
        return []
    rows = [
        ("hidden layer sizes", ", ".join(map(str, settings.get("hidden") or [])) or "none"),
        ("activation", str(settings.get("activation"))),
        ("optimizer", _optimizer(settings)),
        ("learning rate", _plain(settings.get("learning_rate"))),
        ("schedule", _schedule(settings)),
        ("batch size", _plain(settings.get("batch_size") or "all training rows (full batch)")),
        ("weight decay (L2)", _decay(settings)),
        ("epochs (at most)", _plain(settings.get("epochs"))),
        ("early-stopping patience", _patience(settings.get("patience"))),
        ("validation rows", _rows(settings.get("val_size"))),
    ]
    optional = [("test rows", "test_size", _rows), ("seed", "seed", _plain),
                ("initialization seed", "init_seed", _plain),
                ("initial weight scale", "init_scale", _plain),
                ("inputs standardized", "standardize", _plain),
                ("targets standardized", "standardize_target", _plain),
                ("loss reduction", "reduction", _plain), ("dtype", "dtype", _plain),
                ("task", "task", _plain)]  # fmt: skip
    rows += [(label, f(settings[key])) for label, key, f in optional
             if key in settings and settings[key] is not None]  # fmt: skip
    return rows


def settings_section(settings: dict[str, Any] | None) -> str:
    """The section's HTML: the rows, and the penalty's note when there is one."""
    rows = settings_rows(settings)
    if not rows:
        return h.paragraph("The model file stores no training settings.", "note")
    note = penalty_note(settings)
    table = h.table(["setting", "value"], rows, text_cols=2)
    return table + (h.paragraph(note[0].upper() + note[1:] + ".", "note") if note else "")


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return _given(value)
    return format(value, "g") if isinstance(value, float) else str(value)


def _given(value: dict[str, Any]) -> str:
    """An estimator's parameter as the model file tags it (``glassnet.sklearn.
    estimator_files``: ``{"tuple": [8, 4]}``, ``{"list": ...}``, ``{"array": ...,
    "dtype": "int64"}``, ``{"dtype": "float32"}``, ``{"schedule": name, "fields": ...}``),
    shown as the value given: ``8, 4`` (any sequence of sizes), ``numpy.float32`` (a
    NumPy type), ``step (every 10, gamma 0.5)``; an unknown tag as stored."""
    for kind in ("tuple", "list", "array"):
        if isinstance(value.get(kind), list):
            return ", ".join(map(_plain, value[kind])) or "none"
    if "schedule" in value:
        return _described(str(value["schedule"]), value.get("fields") or {})
    if isinstance(value.get("dtype"), str) and len(value) == 1:
        return f"numpy.{value['dtype']}"
    return str(value)


def _optimizer(settings: dict[str, Any]) -> str:
    from glassnet.core.optimizers import Adam

    name = str(settings.get("optimizer"))
    if name in ("momentum", "nesterov"):
        return f"{name} (momentum {_plain(settings.get('momentum'))})"
    if name == "adam":
        a = Adam()
        return f"adam (beta1 {a.beta1:g}, beta2 {a.beta2:g}, eps {a.eps:g})"
    return name


def _schedule(settings: dict[str, Any]) -> str:
    from glassnet.core.schedules import stored_schedule

    try:
        schedule = stored_schedule(settings)
    except (ValueError, TypeError):
        return str(settings.get("schedule"))
    return _described(type(schedule).__name__, dataclasses.asdict(schedule))


def _described(name: str, fields: dict[str, Any]) -> str:
    """``step (every 10, gamma 0.5)``: the command line's name and the constants."""
    from glassnet.core.schedules import SCHEDULES

    named = next((k for k, v in SCHEDULES.items() if v.__name__ == name), name)
    shown = ", ".join(f"{k} {_plain(v)}" for k, v in fields.items())
    return f"{named} ({shown})" if shown else named


def _decay(settings: dict[str, Any]) -> str:
    decay = float(settings.get("weight_decay") or 0.0)
    return f"{decay:g} (the training loss includes its L2 penalty)" if decay else "0 (none)"


def _patience(value: Any) -> str:
    return "none (no early stopping: the last epoch is kept)" if not value else _plain(value)


def _rows(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float) and 0 < value < 1:
        return f"{value:g} of the rows"
    return "none" if not value else f"{value} rows"
