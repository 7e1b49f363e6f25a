"""Fitted estimators to and from glassnet model files.

:func:`model_of` turns a fitted :class:`~glassnet.sklearn.estimator_base.BaseMLP` into a
:class:`~glassnet.files.modelfile.Model` (its settings record the estimator's class and
constructor arguments as JSON); :func:`estimator_from` makes a fitted estimator of a
model again, from ``glassnet.load(path)``, whether the file came from ``est.save`` or
from ``glassnet train``.
"""

from __future__ import annotations

import os
from typing import Any, TypeVar

import numpy as np
from sklearn.utils.validation import check_is_fitted

from glassnet.core.schedules import SCHEDULES
from glassnet.files.modelfile import Model, save_model
from glassnet.sklearn.estimator_base import BaseMLP

E = TypeVar("E", bound=BaseMLP)


class ModelFiles:
    """``to_model`` and ``save`` for the estimators (mixed in beside :class:`BaseMLP`)."""

    def to_model(self) -> Model:
        """The fitted network as a glassnet :class:`~glassnet.files.modelfile.Model`."""
        assert isinstance(self, BaseMLP)
        return model_of(self)

    def save(self, path: str | os.PathLike[str]) -> os.PathLike[str]:
        """Write the fitted network to a glassnet model file (atomically); returns the path."""
        return save_model(self.to_model(), path)


def model_of(est: BaseMLP) -> Model:
    """The fitted network, scaling, classes and constructor arguments of ``est``."""
    check_is_fitted(est)
    classes = getattr(est, "classes_", None)
    if classes is not None and classes.dtype.kind == "O":
        classes = classes.astype(str)  # model files hold plain arrays, never pickles
    names = getattr(est, "feature_names_in_", None)
    settings = {"estimator": type(est).__name__, "params": _json_params(est.get_params())}
    feature_names = tuple(str(n) for n in names) if names is not None else ()
    return Model(est.network_, est.params_, classes, est.scaler_, feature_names, settings)


def estimator_from(cls: type[E], model: Model) -> E:
    """An estimator of ``cls`` holding ``model``'s network, scaling and constructor arguments."""
    stored = (
        model.settings.get("params", {}) if model.settings.get("estimator") == cls.__name__ else {}
    )
    names = cls().get_params()
    kwargs = {k: v for k, v in stored.items() if k in names and not _is_repr(k, v, names)}
    sizes = kwargs.get("hidden_layer_sizes")
    if isinstance(sizes, list):
        kwargs["hidden_layer_sizes"] = tuple(sizes)
    est = cls(**kwargs)
    net = model.net
    est.network_, est.scaler_ = net, model.scaler
    est._output = net.head.name
    est._store(model.params)
    est.n_features_in_ = net.sizes[0]
    if model.feature_names:
        est.feature_names_in_ = np.asarray(model.feature_names, dtype=object)
    est.n_layers_, est.n_outputs_, est.out_activation_ = (
        len(net.sizes),
        net.sizes[-1],
        net.head.name,
    )
    est.loss_curve_, est.validation_loss_curve_, est.n_iter_ = [], None, 0
    est._opt_state = None  # a continued fit starts its optimizer afresh
    check_is_fitted(est)
    return est


def _is_repr(key: str, value: Any, defaults: dict[str, Any]) -> bool:
    """A value stored as its repr (a schedule object, a RandomState): not restorable."""
    if key == "schedule":
        return isinstance(value, str) and value not in SCHEDULES
    if key == "random_state":  # an int or None restores; a RandomState was stored as text
        return not (value is None or isinstance(value, int))
    return isinstance(value, str) and not isinstance(defaults[key], str | type(None))


def _json_params(params: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments as JSON values (tuples as lists, anything else as its repr)."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, np.integer | np.floating):
            value = value.item()
        if isinstance(value, tuple | list):
            value = [int(v) for v in value]
        elif not isinstance(value, str | int | float | bool | type(None)):
            value = repr(value)
        out[key] = value
    return out
