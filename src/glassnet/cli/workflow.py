"""From a data table to a trained, saved model: what ``glassnet train`` does.

:func:`train_model` encodes the targets, splits off validation and test rows
(stratified for classification), fits the column encoding (a table's categories, medians
and missing-value indicators), the input scaling and, for regression, the target scaling
on the training rows only, builds and trains the network, and scores every split (losses
in the targets' own units). The CLI only parses arguments
and prints; everything here is usable from Python too.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from glassnet.core._types import Array
from glassnet.core.network import Network
from glassnet.core.optimizers import get_optimizer
from glassnet.core.schedules import Schedule
from glassnet.core.validation import as_features, as_targets, check_class_labels
from glassnet.data.batching import Score, evaluate
from glassnet.data.encoding import fit_encoding
from glassnet.data.frames import Frame
from glassnet.data.preprocessing import fit_standardizer
from glassnet.data.tables import DataError, encode_labels, split_indices
from glassnet.files.checkpoint import load_checkpoint, save_checkpoint
from glassnet.files.modelfile import Model
from glassnet.train.history import EpochRecord
from glassnet.train.loop import (
    Callback,
    LoopState,
    TrainConfig,
    TrainingDiverged,
    TrainingInterrupted,
    TrainResult,
    fit,
)
from glassnet.views.run_report import Observer, probe

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
    init_seed: int | None = None  # defaults to seed
    init_scale: float | None = None  # W ~ N(0, init_scale^2), zero biases; None: Glorot/He

    def settings(self) -> dict[str, Any]:
        """The recipe as JSON-ready settings, stored in the model file."""
        out = {k: v for k, v in self.__dict__.items() if k != "schedule"}
        out["hidden"] = list(self.hidden)
        out["schedule"] = type(self.schedule).__name__ if self.schedule else "Constant"
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


@dataclass
class Outcome:
    model: Model
    result: TrainResult
    scores: dict[str, Score] = field(default_factory=dict)  # "train", "validation", "test"
    rows: dict[str, Array] = field(default_factory=dict)
    codes: Array | None = None  # the targets as trained on (class codes for a classifier)
    observer: Observer | None = None  # diagnostics and snapshots, when asked for
    X: Any = None  # the features as trained on (a table's columns encoded)
    task_reason: str = ""


def max_classes(n: int) -> int:
    """The most distinct whole-number targets read as classes: max(10, min(100, sqrt(n)))."""
    return max(10, min(100, int(np.sqrt(n))))


def task_reason(y: Array) -> tuple[Literal["classification", "regression"], str]:
    """The task for targets ``y`` and why, in words.

    Classification for text or boolean targets, and for whole numbers with at most
    :func:`max_classes` distinct values; regression for every other number (and for
    several target columns).
    """
    y = np.asarray(y)
    if y.ndim != 1:
        return "regression", f"the target has {y.shape[1]} columns"
    if y.dtype.kind in "USOb":
        return "classification", "the target holds class names"
    whole = y.dtype.kind in "iu" or bool(np.all(np.mod(y, 1) == 0))
    if not whole:
        return "regression", "the target holds fractional numbers"
    k, limit = len(np.unique(y)), max_classes(len(y))
    if k <= limit:
        return "classification", f"the target holds {k} distinct whole numbers (<= {limit})"
    return "regression", (
        f"the target holds {k} distinct whole numbers in {len(y)} rows (more than {limit} "
        "= max(10, min(100, sqrt(rows))) reads as a quantity, not classes)"
    )


def infer_task(y: Array) -> Literal["classification", "regression"]:
    """``task_reason(y)[0]``: the task the targets suggest."""
    return task_reason(y)[0]


class RunStopped(Exception):
    """Training stopped before its end (Ctrl-C, divergence); ``model`` holds the parameters
    worth keeping and ``cause`` the original exception."""

    def __init__(self, message: str, model: Model, cause: BaseException) -> None:
        super().__init__(message)
        self.model, self.cause = model, cause


def fingerprint(recipe: Recipe, X: Any, y: Array) -> str:
    """What a checkpoint must match to be resumed: the recipe (but ``epochs``, which a resumed
    run may raise), the data's shape and targets."""
    h = hashlib.sha256(json.dumps(_resumable(recipe), sort_keys=True).encode())
    h.update(repr(recipe.schedule).encode())
    h.update(repr(tuple(X.shape)).encode())
    h.update(np.ascontiguousarray(y).tobytes())
    return h.hexdigest()


def _resumable(recipe: Recipe) -> dict[str, Any]:
    """The settings a resumed run must share with its checkpoint: all but ``epochs``."""
    settings = recipe.settings()
    settings.pop("epochs")
    return settings


def train_model(
    X: Any,
    y: Any,
    recipe: Recipe,
    feature_names: tuple[str, ...] = (),
    callbacks: tuple[Callback, ...] = (),
    checkpoint: str | os.PathLike[str] | None = None,
    resume: bool = False,
    observe: bool = False,
    notify: Callable[[str], None] = lambda message: None,
) -> Outcome:
    """Train a model on ``(X, y)`` following ``recipe``; see the module docstring.

    With ``checkpoint``, the loop state is written there after every epoch; ``resume``
    continues from it. Ctrl-C or divergence raise :class:`RunStopped` with the model to keep.
    ``observe`` records per-epoch diagnostics and snapshots for the report
    (``Outcome.observer``). ``X`` may be a :class:`~glassnet.data.frames.Frame` of table
    columns: they are encoded as the training rows say (:func:`fit_encoding`). ``notify`` is
    told, in one line, that a run resumes.
    """
    n = X.n_rows if isinstance(X, Frame) else as_features(X).shape[0]
    y = as_targets(y, n)
    task, reason = task_reason(y) if recipe.task == "auto" else (recipe.task, "as asked")
    if task == "classification":
        check_class_labels(y)
    classes, codes = encode_labels(y) if task == "classification" else (None, y)
    rng = np.random.default_rng(recipe.seed)
    rows = _split(n, recipe, rng, codes if classes is not None else None)
    encoding = None
    if isinstance(X, Frame):
        encoding = fit_encoding(X, rows=rows["train"])
        X, feature_names = encoding.transform(X).X, encoding.feature_names()
    X = as_features(X)
    target_scaler = None
    if classes is None:
        codes = np.asarray(y, dtype=np.float64)
        if recipe.standardize_target:
            target_scaler = fit_standardizer(codes.reshape(n, -1), rows["train"])
            codes = target_scaler.transform(codes.reshape(n, -1), np.float64).reshape(y.shape)
    scaler = fit_standardizer(X, rows["train"]) if recipe.standardize else None
    n_out = len(classes) if classes is not None else (1 if y.ndim == 1 else y.shape[1])
    net = Network.mlp(
        [X.shape[1], *recipe.hidden, n_out],
        recipe.activation,
        "softmax" if classes is not None else "identity",
        recipe.reduction,
    )
    dtype = np.dtype(recipe.dtype)
    init_rng = np.random.default_rng(recipe.seed if recipe.init_seed is None else recipe.init_seed)
    params = _init(net, init_rng, dtype, recipe.init_scale)
    config = _config(recipe, dtype)
    key = fingerprint(recipe, X, y)
    state = None
    if resume and checkpoint:
        state = load_checkpoint(checkpoint, key, _resumable(recipe), like=params)
        notify(f"resuming from epoch {state.epoch} (of at most {recipe.epochs})")

    def save(kept: Any) -> Model:
        return Model(
            net, kept, classes, scaler, feature_names, recipe.settings(), encoding, target_scaler
        )

    initial = _initial_record(net, params, X, codes, rows, scaler, config)
    observer = None
    if observe and classes is not None:
        observer = Observer(save(params), *probe(save(params), X, codes, rows["train"]))
        observer.observe(params)  # epoch 0

    def after_epoch(loop: LoopState) -> None:
        if checkpoint is not None:
            save_checkpoint(checkpoint, loop, key, _resumable(recipe))
        if observer is not None:
            observer(loop)

    try:
        result = fit(
            net,
            params,
            X,
            codes,
            config,
            train_rows=rows["train"],
            val_rows=rows.get("validation"),
            scaler=scaler,
            callbacks=callbacks,
            resume=state,
            on_epoch_end=after_epoch,
        )
    except (TrainingInterrupted, TrainingDiverged) as exc:
        exc.result.history.initial = initial
        raise RunStopped(str(exc), save(exc.result.params), exc) from None
    model = save(result.params)
    scores = {name: score(model, X, y if classes is None else codes, r) for name, r in rows.items()}
    history = result.history
    history.initial = initial
    history.final = {name: s._asdict() for name, s in scores.items()}
    model.settings["run"] = run_summary(history)
    return Outcome(model, result, scores, rows, codes, observer, X, reason)


def run_summary(history: Any) -> dict[str, Any]:
    """What the model file records of its run: epochs, the kept and best epochs, the final
    scores (of the saved parameters) and the loss at initialization."""
    initial = history.initial
    return {
        "epochs": history.epochs,
        "kept_epoch": history.kept_epoch,
        "best_epoch": history.lowest_epoch(),
        "stop_reason": history.stop_reason,
        "initial_loss": None if initial is None else initial.loss,
        "final": history.final,
    }


def _initial_record(
    net: Network,
    params: Any,
    X: Any,
    codes: Array,
    rows: dict[str, Array],
    scaler: Any,
    config: TrainConfig,
) -> EpochRecord:
    """Epoch 0: the initial parameters scored on the training and validation rows."""
    train = evaluate(net, params, X, codes, rows["train"], scaler, config.dtype)
    val = None
    if "validation" in rows:
        val = evaluate(net, params, X, codes, rows["validation"], scaler, config.dtype)
    return EpochRecord(
        0,
        train.loss,
        None if val is None else val.loss,
        train.accuracy,
        None if val is None else val.accuracy,
        config.optimizer.learning_rate,
        0.0,
    )


def score(model: Model, X: Any, y: Array, rows: Array | None = None) -> Score:
    """Mean loss per sample (and accuracy) of ``model`` on ``rows`` of ``(X, y)``: class
    codes for a classifier; for a regressor the targets in their own units, the loss the
    half squared error of the predictions in those units."""
    dtype = model.params[0]["W"].dtype
    if model.classes is not None or model.target_scaler is None:
        return evaluate(model.net, model.params, X, y, rows, model.scaler, dtype)
    rows = np.arange(X.shape[0]) if rows is None else rows
    total = 0.0
    for start in range(0, len(rows), 8192):
        r = np.sort(rows[start : start + 8192])
        D = np.asarray(model.predict(np.asarray(X[r]))).reshape(len(r), -1) - np.asarray(
            y[r], dtype=np.float64
        ).reshape(len(r), -1)
        total += 0.5 * float(np.sum(D * D))
    return Score(total / len(rows), None)


def _init(
    net: Network, rng: np.random.Generator, dtype: np.dtype[Any], scale: float | None
) -> list[dict[str, Array]]:
    if scale is None:
        return net.init(rng, dtype)
    return [
        {
            "W": (rng.standard_normal((d.n_in, d.n_out)) * scale).astype(dtype),
            "b": np.zeros((1, d.n_out), dtype=dtype),
        }
        for d in net.layers
    ]


def _config(recipe: Recipe, dtype: np.dtype[Any]) -> TrainConfig:
    hyper: dict[str, float] = {"learning_rate": recipe.learning_rate}
    if recipe.optimizer in ("momentum", "nesterov"):
        hyper["momentum"] = recipe.momentum
    from glassnet.core.schedules import Constant

    return TrainConfig(
        epochs=recipe.epochs,
        batch_size=recipe.batch_size,
        optimizer=get_optimizer(recipe.optimizer, **hyper),
        schedule=recipe.schedule or Constant(),
        weight_decay=recipe.weight_decay,
        patience=recipe.patience,
        restore_best=recipe.patience is not None,  # no early stopping: keep the last epoch
        seed=recipe.seed,
        dtype=dtype,
    )


def _split(
    n: int, recipe: Recipe, rng: np.random.Generator, stratify: Array | None
) -> dict[str, Array]:
    rows: dict[str, Array] = {}
    rest = np.arange(n)
    for name, size in (("test", recipe.test_size), ("validation", recipe.val_size)):
        if not size:
            continue
        count = int(size) if size >= 1 else max(1, round(size * n))  # fractions: of all n
        try:
            keep, held = split_indices(
                len(rest), count, rng, None if stratify is None else stratify[rest]
            )
        except ValueError:
            raise DataError(
                f"cannot split off a {name} set of {count} from the {len(rest)} remaining "
                f"samples: at least one must be left for training"
            ) from None
        rows[name], rest = rest[held], rest[keep]
    rows["train"] = rest
    return {k: rows[k] for k in ("train", "validation", "test") if k in rows}
