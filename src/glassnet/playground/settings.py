"""The playground's settings: one flat, JSON-ready record that reproduces a session.

Every field has a default (the tutorial's 2-3-2 logistic network on the circles, trained
by momentum); :func:`parse` checks a dictionary from the page or a settings file and
raises :class:`~glassnet.core.validation.DataError` with one clear message.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from glassnet.core.validation import DataError
from glassnet.playground.sources import BUILTIN

ACTIVATIONS = ("logistic", "tanh", "relu", "identity")
OUTPUTS = ("softmax", "logistic")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam")


@dataclass(frozen=True)
class Settings:
    data: str = "circles"  # a built-in set, or "file" (the named or uploaded table)
    n_samples: int = 200
    noise: float = 0.1
    target: str = ""  # the class column of a table
    columns: tuple[int, int] | None = None  # the plane: two input columns, or None (PCA)
    hidden: tuple[int, ...] = (3,)
    activation: str = "logistic"
    output: str = "softmax"
    optimizer: str = "momentum"
    learning_rate: float = 0.05
    momentum: float = 0.9
    batch_size: int = 0  # 0: the whole training set
    l2: float = 0.0  # weight_decay: adds l2 * W to every weight gradient
    val_fraction: float = 0.2
    standardize: bool = True
    seed: int = 1

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["hidden"] = list(self.hidden)
        out["columns"] = list(self.columns) if self.columns is not None else None
        return out


def parse(raw: dict[str, Any], base: Settings | None = None) -> Settings:
    """``base`` (default: the defaults) with the fields in ``raw`` replaced, checked."""
    base = base or Settings()
    unknown = sorted(set(raw) - {f.name for f in dataclasses.fields(Settings)})
    if unknown:
        raise DataError(f"unknown setting {unknown[0]!r}")
    values = base.as_dict() | raw
    try:
        s = Settings(
            data=str(values["data"]),
            n_samples=int(values["n_samples"]),
            noise=float(values["noise"]),
            target=str(values["target"]),
            columns=_columns(values["columns"]),
            hidden=tuple(int(h) for h in values["hidden"]),
            activation=str(values["activation"]),
            output=str(values["output"]),
            optimizer=str(values["optimizer"]),
            learning_rate=float(values["learning_rate"]),
            momentum=float(values["momentum"]),
            batch_size=int(values["batch_size"]),
            l2=float(values["l2"]),
            val_fraction=float(values["val_fraction"]),
            standardize=bool(values["standardize"]),
            seed=int(values["seed"]),
        )
    except (TypeError, ValueError) as exc:
        raise DataError(f"a setting is malformed ({exc})") from None
    _check(s)
    return s


def _columns(value: Any) -> tuple[int, int] | None:
    if value is None or value == "" or value == "pca":
        return None
    i, j = (int(v) for v in value)
    return i, j


def _check(s: Settings) -> None:
    choices = {
        "data": (s.data, (*BUILTIN, "file")),
        "activation": (s.activation, ACTIVATIONS),
        "output": (s.output, OUTPUTS),
        "optimizer": (s.optimizer, OPTIMIZERS),
    }
    for name, (value, allowed) in choices.items():
        if value not in allowed:
            raise DataError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    if not s.hidden or len(s.hidden) > 6 or not all(1 <= h <= 256 for h in s.hidden):
        raise DataError("hidden layers: 1 to 6 layers of 1 to 256 units each")
    if not 0.0 < s.learning_rate <= 10.0:
        raise DataError(f"learning rate must be in (0, 10], got {s.learning_rate:g}")
    if not 0.0 <= s.momentum < 1.0:
        raise DataError(f"momentum must be in [0, 1), got {s.momentum:g}")
    if s.batch_size < 0 or s.l2 < 0:
        raise DataError("batch size and L2 must not be negative")
    if not 0.0 <= s.val_fraction <= 0.5:
        raise DataError(f"validation fraction must be in [0, 0.5], got {s.val_fraction:g}")
