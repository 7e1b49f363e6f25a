"""Fitted estimators to and from glassnet model files.

:func:`model_of` turns a fitted :class:`~glassnet.sklearn.estimator_base.BaseMLP` into a
:class:`~glassnet.files.modelfile.Model` (its settings record the estimator's class and
constructor arguments as JSON); :func:`estimator_from` makes a fitted estimator of a
model again, from ``glassnet.load(path)``, whether the file came from ``est.save`` or
from ``glassnet train``.

``est.save`` keeps the run's record as ``glassnet train`` does: ``settings["run"]`` (the
summary), ``settings["history"]`` (what ``history.json`` holds: ``glassnet report`` reads
it) and ``settings["fitted"]`` (:data:`FITTED`: ``n_iter_``, ``loss_curve_``, ...), which
:func:`estimator_from` gives back.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from typing import Any, TypeVar

import numpy as np
from sklearn.utils.validation import check_is_fitted

from glassnet.core.schedules import SCHEDULES
from glassnet.files.modelfile import Model, save_model
from glassnet.files.overwrites import check_model_destination
from glassnet.sklearn.estimator_base import BaseMLP
from glassnet.sklearn.recipe_params import (
    is_recipe,
    recipe_params,
    recipe_record,
    unmatched_warning,
)
from glassnet.train.history import History
from glassnet.train.summary import run_summary

E = TypeVar("E", bound=BaseMLP)

FITTED = (
    "n_iter_", "t_", "loss_curve_", "validation_loss_curve_", "best_loss_",
    "validation_scores_", "best_validation_score_", "stop_reason_",
)  # fmt: skip


class ModelFiles:
    """``to_model`` and ``save`` for the estimators (mixed in beside :class:`BaseMLP`)."""

    def to_model(self) -> Model:
        """The fitted network as a glassnet :class:`~glassnet.files.modelfile.Model`."""
        assert isinstance(self, BaseMLP)
        return model_of(self)

    def save(self, path: str | os.PathLike[str]) -> os.PathLike[str]:
        """Write the fitted network to a glassnet model file (atomically); returns the path.

        Over an existing file only when it is a glassnet model: anything else (a table, a
        history, a checkpoint, a report) raises
        :class:`~glassnet.files.overwrites.FileOfAnotherKind` (a ``FileExistsError``) naming
        it, and a ``glassnet train`` run's model is replaced with a ``UserWarning`` naming
        the files beside it that described it."""
        check_model_destination(path)
        return save_model(self.to_model(), path)


def model_of(est: BaseMLP) -> Model:
    """The fitted network, scaling, classes and constructor arguments of ``est`` (and the
    table encoding of the ``glassnet train`` model it was made from, if so)."""
    check_is_fitted(est)
    classes = getattr(est, "classes_", None)
    if classes is not None and classes.dtype.kind == "O":
        classes = classes.astype(str)  # model files hold plain arrays, never pickles
    names = getattr(est, "feature_names_in_", None)
    settings = {"estimator": type(est).__name__, "params": _json_params(est.get_params())}
    settings.update(run_record(est))
    targets = getattr(est, "_target_names", None)  # a regressor's y columns, when named
    if classes is None and targets is not None and len(targets) == est.network_.sizes[-1]:
        settings["targets"] = list(targets)  # as glassnet train stores them
    feature_names = tuple(str(n) for n in names) if names is not None else ()
    target_scaler = getattr(est, "target_scaler_", None)  # a regressor's, when standardized
    return Model(
        est.network_, est.params_, classes, est.scaler_, feature_names, settings,
        encoding=est._table_encoding, target_scaler=target_scaler,
    )  # fmt: skip


def check_model(cls: type[BaseMLP], model: Any) -> Model:
    """``model`` when it is a glassnet :class:`~glassnet.files.modelfile.Model`.

    Raises
    ------
    TypeError
        Naming what was given, and ``from_model(glassnet.load(path))`` for a file.
    """
    if not isinstance(model, Model):
        raise TypeError(
            f"{cls.__name__}.from_model takes a glassnet Model, got {type(model).__name__} "
            f"{model!r:.60}; for a model file: {cls.__name__}.from_model(glassnet.load(path))"
        )
    return model


def estimator_from(cls: type[E], model: Model) -> E:
    """An estimator of ``cls`` holding ``model``'s network, scaling and constructor arguments."""
    stored = (
        model.settings.get("params", {}) if model.settings.get("estimator") == cls.__name__ else {}
    )
    names = cls().get_params()
    kwargs = {
        k: _decode(v) for k, v in stored.items() if k in names and not _is_repr(k, v, names)
    }
    sizes = kwargs.get("hidden_layer_sizes")
    if isinstance(sizes, list) and not isinstance(stored["hidden_layer_sizes"], dict):
        kwargs["hidden_layer_sizes"] = tuple(sizes)  # files before 0.2 stored tuples as lists
    if is_recipe(model.settings):  # a file glassnet train wrote: its recipe, as arguments
        kwargs, differs = recipe_params(model.settings, model.net, names)
        if differs:
            warnings.warn(unmatched_warning(cls.__name__, differs), UserWarning, stacklevel=3)
    est = cls(**kwargs)
    net = model.net
    est.network_, est.scaler_ = net, model.scaler
    est._table_encoding = model.encoding  # a glassnet train model's: to_model and save keep it
    est._output = net.head.name
    est._store(model.params)
    est.n_features_in_ = net.sizes[0]
    if model.feature_names:
        est.feature_names_in_ = np.asarray(model.feature_names, dtype=object)
    if isinstance(model.settings.get("targets"), list):
        est._target_names = tuple(str(n) for n in model.settings["targets"])
    est.n_layers_, est.n_outputs_, est.out_activation_ = (
        len(net.sizes),
        net.sizes[-1],
        net.head.name,
    )
    est.loss_curve_, est.validation_loss_curve_, est.n_iter_ = [], None, 0
    if stored:  # the record est.save kept (files before 0.2 have none)
        restore_record(est, model.settings)
    if is_recipe(model.settings):  # a CLI file's run summary (est.save's: restore_record)
        for name, value in recipe_record(model.settings).items():
            setattr(est, name, value)
    est._opt_state = None  # a continued fit starts its optimizer afresh
    check_is_fitted(est)
    return est


def run_record(est: BaseMLP) -> dict[str, Any]:
    """``settings["run"]``, ``["history"]`` and ``["fitted"]`` of a fitted ``est`` (none
    when it has no record, as after ``from_model`` of a file without one)."""
    history = getattr(est, "history_", None)
    if history is None:
        return {}
    fitted = {name: _plain(getattr(est, name, None)) for name in FITTED}
    return {"run": run_summary(history), "history": history.as_dict(), "fitted": fitted}


def restore_record(est: BaseMLP, settings: dict[str, Any]) -> None:
    """The fitted attributes and ``history_`` that :func:`run_record` stored."""
    fitted, history = settings.get("fitted"), settings.get("history")
    if isinstance(fitted, dict):
        for name in FITTED:
            if name in fitted:
                setattr(est, name, fitted[name])
    if isinstance(history, dict):
        est.history_ = History.from_dict(history)


def _plain(value: Any) -> Any:
    """A fitted attribute as a JSON value (lists of floats, a float, an int, text)."""
    if isinstance(value, list | tuple):
        return [float(v) for v in value]
    if isinstance(value, np.integer | np.floating):
        return value.item()
    return value


def _is_repr(key: str, value: Any, defaults: dict[str, Any]) -> bool:
    """A value that files written before 0.2 stored as its repr (a schedule object, a
    RandomState, a dtype): not restorable, so the default is used."""
    if isinstance(value, dict):
        return False  # 0.2's tagged values, decoded by _decode
    if key == "schedule":
        return isinstance(value, str) and value not in SCHEDULES
    if key == "random_state":  # an int or None restores; a RandomState was stored as text
        return not (value is None or isinstance(value, int))
    return isinstance(value, str) and not isinstance(defaults[key], str | type(None))


def _json_params(params: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments as JSON values that :func:`_decode` turns back into equal
    values of the same type; one that cannot be stored without pickle (a RandomState, a
    callable, any other object) is a ``ValueError`` naming the parameter."""
    return {key: _encode(key, value) for key, value in params.items()}


def _encode(key: str, value: Any) -> Any:
    if isinstance(value, np.integer | np.floating | np.bool_):
        value = value.item()
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, tuple | list) and all(_is_number(v) for v in value):
        return {"tuple" if isinstance(value, tuple) else "list": [v.item() if
                isinstance(v, np.generic) else v for v in value]}  # fmt: skip
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "iuf":
        return {"array": value.tolist(), "dtype": value.dtype.name}  # np.array([16, 8])
    if isinstance(value, type) and value in (np.float32, np.float64):
        return {"dtype": np.dtype(value).name}
    if type(value) in SCHEDULES.values() and not isinstance(value, type):
        return {"schedule": type(value).__name__, "fields": dataclasses.asdict(value)}
    raise ValueError(
        f"cannot store {key}={value!r} in a model file (it holds plain values, never pickles); "
        f"pass {_HINTS.get(key, f'{key} as a number, a string or a tuple of numbers')} "
        "and save again"
    )


_HINTS = {
    "random_state": "random_state as an int seed or None",
    "schedule": "schedule as a name or one of glassnet's schedules (glassnet.core.schedules)",
}


def _is_number(value: Any) -> bool:
    """An int or float (a Python or NumPy one), not a bool."""
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "tuple" in value:
        return tuple(value["tuple"])
    if "list" in value:
        return list(value["list"])
    if "array" in value:
        return np.asarray(value["array"], dtype=value["dtype"])
    if "dtype" in value:
        return np.dtype(value["dtype"]).type
    if "schedule" in value:
        classes = {cls.__name__: cls for cls in SCHEDULES.values()}
        return classes[value["schedule"]](**value["fields"])
    raise ValueError(f"unknown stored value {value!r}")
