"""The data and settings a population command (``sweep``, ``train --ensemble``) trains on,
prepared exactly as ``glassnet train`` prepares them, and the model file of its result."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.cli.run_setup import task_reason, warn_held_out_cells, warn_similar_labels
from glassnet.cli.workflow import Recipe, _split
from glassnet.core.network import Network
from glassnet.core.validation import as_features, as_targets, check_class_labels
from glassnet.data.columns import CLASSES_HINT, numeric_targets
from glassnet.data.preprocessing import fit_standardizer, fit_target_scaler
from glassnet.data.tables import encode_labels
from glassnet.files.modelfile import Model
from glassnet.train.state import TrainConfig


def prepare(X: Any, y: Any, recipe: Recipe) -> dict[str, Any]:
    """Targets encoded, rows split, table columns encoded and inputs (and regression
    targets) scaled on the training rows, exactly as ``glassnet train`` does."""
    from glassnet.data.encoding import fit_encoding
    from glassnet.data.frames import Frame

    n = X.n_rows if isinstance(X, Frame) else as_features(X).shape[0]
    y = as_targets(y, n)
    task, reason = task_reason(y) if recipe.task == "auto" else (recipe.task, "as asked")
    if task == "classification":
        check_class_labels(y)
    classes, codes = encode_labels(y) if task == "classification" else (None, y)
    if classes is not None:
        warn_similar_labels(classes)
    rows = _split(n, recipe, np.random.default_rng(recipe.seed), None if classes is None else codes)
    encoding, names = None, None
    if isinstance(X, Frame):
        encoding = fit_encoding(X, rows=rows["train"])
        encoded = encoding.transform(X)
        warn_held_out_cells(encoded)
        X, names = encoded.X, encoding.feature_names()
    X = np.asarray(as_features(X))
    target_scaler = None
    if classes is None:
        codes = numeric_targets(y, "the target", CLASSES_HINT)
        if recipe.standardize_target:
            target_scaler = fit_target_scaler(codes.reshape(n, -1), rows["train"])
            codes = target_scaler.transform(codes.reshape(n, -1), np.float64).reshape(y.shape)
    scaler = fit_standardizer(X, rows["train"]) if recipe.standardize else None
    train, val = rows["train"], rows["validation"]
    return {
        "X": X[train], "y": codes[train], "validation": (X[val], codes[val]),
        "scaler": scaler, "classes": classes, "n_features": X.shape[1], "rows": rows,
        "all": (X, codes), "encoding": encoding, "names": names, "target_scaler": target_scaler,
        "task_reason": reason,
        "n_out": len(classes) if classes is not None else (1 if y.ndim == 1 else y.shape[1]),
    }  # fmt: skip


def model_of(
    data: dict[str, Any], net: Network, params: Any, names: tuple[str, ...], settings: dict
) -> Model:
    """A model file's contents for ``params`` trained on prepared ``data``."""
    names = tuple(data["names"]) if data["names"] is not None else names
    return Model(net, params, data["classes"], data["scaler"], names, settings,
                 data["encoding"], data["target_scaler"])  # fmt: skip


def network(data: dict[str, Any], recipe: Recipe) -> Network:
    output = "softmax" if data["classes"] is not None else "identity"
    sizes = [data["n_features"], *recipe.hidden, data["n_out"]]
    return Network.mlp(sizes, recipe.activation, output, recipe.reduction)


def population_config(recipe: Recipe) -> TrainConfig:
    """The members' settings: every member keeps its best validation epoch; the recipe's
    schedule and patience act on each member alone (:func:`fit_population`)."""
    from glassnet.core.optimizers import get_optimizer
    from glassnet.core.schedules import Constant

    hyper = {"learning_rate": recipe.learning_rate}
    if recipe.optimizer in ("momentum", "nesterov"):
        hyper["momentum"] = recipe.momentum
    return TrainConfig(
        epochs=recipe.epochs, batch_size=recipe.batch_size, restore_best=True,
        optimizer=get_optimizer(recipe.optimizer, **hyper), dtype=np.dtype(recipe.dtype),
        train_metrics=False, schedule=recipe.schedule or Constant(), patience=recipe.patience,
    )  # fmt: skip
