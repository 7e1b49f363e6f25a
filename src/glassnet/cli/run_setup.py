"""What a training run settles before its first step: the task, the split of the rows, the
encoding and scaling fitted on the training rows, the network, its initial parameters and
the loop's configuration (:func:`prepare`, :func:`network`, :func:`init_params`,
:func:`train_config`); the task and the targets are read in :mod:`glassnet.cli.run_task`
(:func:`task_reason`, :func:`infer_task`, :func:`max_classes`, also importable from here)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.cli.recipe import Recipe
from glassnet.cli.row_split import check_classes, check_left, split_rows
from glassnet.cli.run_task import (
    infer_task,
    max_classes,
    settle_task,
    target_codes,
    task_reason,
    warn_similar_labels,
)
from glassnet.cli.table_warnings import (
    warn_constant_columns,
    warn_held_out_cells,
    warn_record_numbers,
)
from glassnet.core._types import Array
from glassnet.core.network import Network
from glassnet.core.optimizers import get_optimizer
from glassnet.core.validation import as_features, as_targets
from glassnet.data.constant_columns import constant_features
from glassnet.data.encoding import Encoding, fit_encoding
from glassnet.data.frames import Frame
from glassnet.data.preprocessing import (
    Standardizer,
    fit_standardizer,
    fit_target_scaler,
    scaled_targets,
)
from glassnet.train.loop import TrainConfig

__all__ = [
    "Prepared",
    "infer_task",
    "init_params",
    "max_classes",
    "network",
    "prepare",
    "split_rows",
    "task_reason",
    "train_config",
]


@dataclass
class Prepared:
    """The data as the network trains on it, and what was fitted on the training rows."""

    X: Array  # (N, D) encoded features
    y: Array  # (N,) or (N, K) the targets as given
    codes: Array  # class codes (N,), or the (standardized) regression targets
    classes: Array | None  # (C,) class labels; None for regression
    rows: dict[str, Array]  # "train", "validation", "test" -> row indices
    feature_names: tuple[str, ...]
    encoding: Encoding | None  # a table's columns -> numbers
    scaler: Standardizer | None  # input standardization
    target_scaler: Standardizer | None  # regression: (y - mean) / std of the train rows
    reason: str  # why this task, in words
    constants: dict[int, float] = field(default_factory=dict)  # features of one training value


def prepare(X: Any, y: Any, recipe: Recipe, feature_names: tuple[str, ...]) -> Prepared:
    """Settle the task, split the rows (stratified for classification) and fit the column
    encoding, the input scaling and, for regression, the target scaling on the train rows."""
    n = X.n_rows if isinstance(X, Frame) else as_features(X).shape[0]
    y = as_targets(y, n)
    task, reason = settle_task(y, recipe)  # --task, a built-in data set's, or the targets'
    classes, codes = target_codes(y, task, recipe.task != "auto")
    rng = np.random.default_rng(recipe.seed)
    rows = split_rows(n, recipe, rng, codes if classes is not None else None)
    encoding, frame = None, X if isinstance(X, Frame) else None
    if isinstance(X, Frame):
        encoding = fit_encoding(X, rows=rows["train"])
        warn_record_numbers(X, [c.name for c in encoding.columns if c.kind == "numeric"])
        encoded = encoding.transform(X)
        warn_held_out_cells(encoded)
        X, feature_names = encoded.X, encoding.feature_names()
    X = as_features(X)
    check_left(recipe, rows)  # once the data are read without error: one row left, refused
    if classes is not None:
        check_classes(classes, codes, rows["train"])  # one class left: refused
        warn_similar_labels(classes)  # once the data are read without error
    target_scaler = None
    if classes is None:
        if recipe.standardize_target:
            target_scaler = fit_target_scaler(codes, rows["train"])  # per column
            codes = scaled_targets(target_scaler, codes)
    scaler = fit_standardizer(X, rows["train"]) if recipe.standardize else None
    constants = {}  # a table's columns of one training value: standardized, 0 in every row
    if frame is not None and scaler is not None:
        constants = constant_features(X, rows["train"])
    warn_constant_columns(constants, feature_names, encoding, frame)
    if len(rows.get("validation", ())) == 1:  # said once the data are read without error
        print(f"warning: --val-fraction {recipe.val_size:g} holds out 1 validation row of {n}: "
              "the validation scores, and early stopping on them, rest on that one row (the "
              "estimators refuse fewer than 2); give more rows, or --val-fraction 0 to train "
              "on every row", file=sys.stderr)  # fmt: skip
    return Prepared(
        X, y, codes, classes, rows, feature_names, encoding, scaler, target_scaler, reason,
        constants,
    )  # fmt: skip


def network(data: Prepared, recipe: Recipe) -> Network:
    """The MLP for ``data``: softmax head for classes, identity for regression targets."""
    classes, y = data.classes, data.y
    n_out = len(classes) if classes is not None else (1 if y.ndim == 1 else y.shape[1])
    return Network.mlp(
        [data.X.shape[1], *recipe.hidden, n_out],
        recipe.activation,
        "softmax" if classes is not None else "identity",
        recipe.reduction,
    )


def init_params(
    net: Network, rng: np.random.Generator, dtype: np.dtype[Any], scale: float | None
) -> list[dict[str, Array]]:
    """Glorot/He initialization, or ``W ~ N(0, scale^2)`` with zero biases."""
    if scale is None:
        return net.init(rng, dtype)
    return [
        {
            "W": (rng.standard_normal((d.n_in, d.n_out)) * scale).astype(dtype),
            "b": np.zeros((1, d.n_out), dtype=dtype),
        }
        for d in net.layers
    ]


def train_config(recipe: Recipe, dtype: np.dtype[Any]) -> TrainConfig:
    """The loop's configuration for ``recipe``; no early stopping keeps the last epoch."""
    from glassnet.core.schedules import Constant

    hyper: dict[str, float] = {"learning_rate": recipe.learning_rate}
    if recipe.optimizer in ("momentum", "nesterov"):
        hyper["momentum"] = recipe.momentum
    return TrainConfig(
        epochs=recipe.epochs,
        batch_size=recipe.batch_size,
        optimizer=get_optimizer(recipe.optimizer, **hyper),
        schedule=recipe.schedule or Constant(),
        weight_decay=recipe.weight_decay,
        patience=recipe.patience,
        restore_best=recipe.patience is not None,  # no early stopping: keep the last epoch
        seed=recipe.seed if recipe.init_seed is None else recipe.init_seed,  # minibatch order
        dtype=dtype,
    )
