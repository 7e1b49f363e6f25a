"""A training run's settings apart from its data (:class:`Recipe`) and the stored recipes
(:data:`PRESETS`) of ``glassnet train --preset``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from glassnet.core.schedules import Schedule

Task = Literal["auto", "classification", "regression"]


@dataclass(frozen=True)
class Recipe:
    """Everything about a training run except the data."""

    hidden: tuple[int, ...] = (64,)
    activation: str = "relu"
    optimizer: str = "adam"
    # 3e-3 since 0.2 (1e-3 before): at 1e-3 small tables reached the epoch cap with the
    # validation loss still falling (iris trailed scikit-learn); see benchmarks/panel.py
    learning_rate: float = 0.003
    momentum: float = 0.9
    epochs: int = 200
    batch_size: int | None = 32
    val_size: float | int = 0.2
    test_size: float | int | None = None
    patience: int | None = 20  # None: no early stopping, the last epoch is kept
    seed: int = 0
    standardize: bool = True
    dtype: str = "float64"
    weight_decay: float = 0.0
    schedule: Schedule | None = None
    reduction: Literal["sum", "mean"] = "mean"
    task: Task = "auto"
    standardize_target: bool = True  # regression: train on (y - mean) / std of the train rows
    init_seed: int | None = None  # initialization and minibatch order; None: seed's
    init_scale: float | None = None  # W ~ N(0, init_scale^2), zero biases; None: Glorot/He
    targets: tuple[str, ...] = ()  # a table's target column(s) (--target a, or a,b), named
    # the task the data's source settles, and why (a built-in data set: classification),
    # taken when task is "auto"; None: inferred from the targets. Not a setting: neither
    # stored nor compared by --resume (the data are)
    known_task: tuple[Literal["classification", "regression"], str] | None = None

    def settings(self) -> dict[str, Any]:
        """The recipe as JSON-ready settings, stored in the model file: ``schedule`` is the
        schedule's class name, ``schedule_settings`` its fields (none for constant)."""
        out = {k: v for k, v in self.__dict__.items() if k not in ("schedule", "known_task")}
        out["hidden"] = list(self.hidden)
        out["schedule"] = type(self.schedule).__name__ if self.schedule else "Constant"
        if self.schedule is not None and dataclasses.fields(self.schedule):
            # its constants (``{"every": 10, "gamma": 0.5}``); files before 0.2 have none:
            # the class's defaults, the only ones the command line then set
            out["schedule_settings"] = dataclasses.asdict(self.schedule)
        if self.targets:  # a table's target column(s), by name
            out["targets"] = list(self.targets)
        else:
            del out["targets"]
        return out


PRESETS: dict[str, Recipe] = {
    # The tutorial's part 5: 64-20-20-10 logistic network, weights N(0, 0.1^2), plain SGD,
    # minibatches of 25, learning rate 0.1, raw pixel values, early stopping on the
    # validation loss (patience 10, best epoch kept). Split seed 1: 1078/359/360.
    "tutorial-digits": Recipe(
        hidden=(20, 20),
        activation="logistic",
        optimizer="sgd",
        learning_rate=0.1,
        epochs=300,
        batch_size=25,
        val_size=359,
        test_size=360,
        patience=10,
        standardize=False,
        init_scale=0.1,
        seed=1,
    ),
    # glassnet's defaults (Adam, ReLU, standardized inputs, best-weights restore) with a
    # wider layer and a little L2, on the same split.
    # Its figures (docs/guide/training.md) were measured at the rate of 0.1, 1e-3.
    "digits": Recipe(
        hidden=(128,), learning_rate=0.001, weight_decay=3e-3, val_size=359, test_size=360, seed=1
    ),
}
