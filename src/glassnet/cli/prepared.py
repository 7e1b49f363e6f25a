"""The data and settings a population command (``sweep``, ``train --ensemble``) trains on,
prepared exactly as ``glassnet train`` prepares them, and the model file of its result."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from glassnet.cli import run_setup
from glassnet.cli.recipe import Recipe
from glassnet.core.network import Network
from glassnet.files.modelfile import Model
from glassnet.train.state import TrainConfig


def prepare(X: Any, y: Any, recipe: Recipe) -> dict[str, Any]:
    """:func:`glassnet.cli.run_setup.prepare` (targets encoded, rows split, table columns
    encoded, inputs and regression targets scaled on the training rows, exactly as
    ``glassnet train`` does), laid out for a population: the training rows, the validation
    set (None without one: ``--val-fraction 0``), and everything a model file needs."""
    data = run_setup.prepare(X, y, recipe, ())
    X, codes, rows = np.asarray(data.X), data.codes, data.rows
    train, val = rows["train"], rows.get("validation")
    return {
        "X": X[train], "y": codes[train],
        "validation": None if val is None else (X[val], codes[val]),
        "scaler": data.scaler, "classes": data.classes, "n_features": X.shape[1], "rows": rows,
        "all": (X, codes), "encoding": data.encoding, "target_scaler": data.target_scaler,
        "names": data.feature_names if data.encoding is not None else None, "prepared": data,
    }  # fmt: skip


def model_of(
    data: dict[str, Any], net: Network, params: Any, names: tuple[str, ...], settings: dict
) -> Model:
    """A model file's contents for ``params`` trained on prepared ``data``."""
    names = tuple(data["names"]) if data["names"] is not None else names
    return Model(net, params, data["classes"], data["scaler"], names, settings,
                 data["encoding"], data["target_scaler"], data["prepared"].constants)  # fmt: skip


def network(data: dict[str, Any], recipe: Recipe) -> Network:
    """The MLP for prepared ``data``, as ``glassnet train`` builds it."""
    return run_setup.network(data["prepared"], recipe)


def population_config(recipe: Recipe) -> TrainConfig:
    """The members' settings: ``glassnet train``'s (:func:`glassnet.cli.run_setup.train_config`,
    weight decay included), but every member keeps its best validation epoch and the training
    rows are not scored each epoch; the recipe's schedule and patience act on each member alone
    (:func:`fit_population`)."""
    config = run_setup.train_config(recipe, np.dtype(recipe.dtype))
    return dataclasses.replace(config, restore_best=True, train_metrics=False)
