"""scikit-learn's :class:`~sklearn.neural_network.MLPRegressor` on glassnet's core (see
:mod:`glassnet.sklearn.estimators` for what differs from scikit-learn)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.metaestimators import available_if

from glassnet.core._types import Array
from glassnet.core.schedules import Schedule
from glassnet.core.validation import check_finite
from glassnet.data.columns import check_numeric_targets, check_target_cells
from glassnet.data.preprocessing import (
    Standardizer,
    fit_target_scaler,
    loss_name,
    loss_unit,
    scaled_targets,
)
from glassnet.files.modelfile import Model
from glassnet.sklearn.column_order import validate
from glassnet.sklearn.estimator_base import BaseMLP
from glassnet.sklearn.estimator_files import ModelFiles, check_model, estimator_from
from glassnet.sklearn.predicting import (
    check_label_kind,
    check_numbers,
    checked_dense,
    feature_names,
)
from glassnet.sklearn.scores import r2


class MLPRegressor(RegressorMixin, ModelFiles, BaseMLP):
    """A multilayer perceptron regressor with identity output and squared error.

    Parameters are those of :class:`sklearn.neural_network.MLPRegressor` (``loss`` is
    keyword-only here, so glassnet's ``MLPRegressor((64,))`` keeps working) plus
    ``loss_reduction``, ``schedule``, ``dtype``, ``standardize``, ``score_initial`` and
    ``standardize_target``; see :mod:`glassnet.sklearn.estimators`. ``y`` may have
    several columns.

    ``standardize_target=True`` (the default) trains on ``(y - mean) / scale`` per column
    (:func:`glassnet.data.preprocessing.fit_target_scaler`: each column's weighted mean and
    standard deviation, from the first ``fit``/``partial_fit`` call, as scikit-learn's
    ``TransformedTargetRegressor(regressor, transformer=StandardScaler())`` would), so
    targets of 1e9 train as targets of 1 do and columns of different scales weigh alike;
    ``predict`` returns the targets' units. ``tol`` (and the ``adaptive`` rate's tolerance)
    then compare losses of the standardized targets, and ``alpha`` weighs the penalty
    against that loss. ``standardize_target=False`` trains on ``y`` as given, with
    scikit-learn's exact meaning of ``alpha`` and ``tol``: the loss (``loss_reduction=
    "mean"``) is scikit-learn's, half the squared error averaged over every sample and
    target column plus ``alpha / (2 sum w) ||W||^2``, and the gradient is this loss's.
    (With several targets scikit-learn's own step follows ``n_targets`` times the gradient
    of the data term it reports, scikit-learn issue #8349; glassnet's pair agrees, so the
    losses are equal at equal parameters but the runs of several targets differ.)

    Attributes
    ----------
    loss_curve_ : list of float
        Each epoch's mean training loss (half squared error plus the L2 term). With one
        target column (or columns of one scale) in the targets' units: the loss as trained
        times ``scale**2`` (the L2 term scaled alike). With columns of different scales no
        single factor converts it: the loss as trained, half of each column's squared
        error over its variance, averaged over the columns (``history_.loss_unit`` says
        which).
    validation_loss_curve_ : list of float or None
        With ``early_stopping``, the validation loss of each epoch (half squared error,
        without the L2 term), in the targets' units whenever every scale's square is in
        float range: ``scale**2`` times the loss as trained for one scale,
        ``mean_k scale_k**2 L_k`` of each column's loss ``L_k`` for columns of different
        scales (then in other units than ``loss_curve_``; early stopping still compares
        the standardized loss). ``history_.final`` is in these units too.
    history_ : glassnet.train.history.History
        The record of the run (over all calls with warm start or ``partial_fit``): epoch 0
        (the initialization, scored before any update) first when ``score_initial``, then
        every epoch.
    best_loss_ : float
        The lowest of ``validation_loss_curve_`` (with early stopping) or ``loss_curve_``;
        for columns of different scales with early stopping, ``validation_loss_curve_`` at
        the best epoch, the one whose standardized validation loss (the loss early stopping
        compares, ``history_``'s ``monitored_loss``) is lowest.
    validation_scores_ : list of float or None
        With ``early_stopping``, each epoch's R^2 on the validation rows (unweighted; for
        several targets, variance-weighted over the standardized targets); else None.
    target_scaler_ : glassnet.data.preprocessing.Standardizer or None
        ``mean (k,)`` and ``scale (k,)`` of the targets as trained; None without.

    The others as for :class:`~glassnet.sklearn.classifier.MLPClassifier`, without
    ``classes_``.
    """

    target_scaler_: Standardizer | None

    def __init__(
        self,
        hidden_layer_sizes: tuple[int, ...] | list[int] | int = (100,),
        activation: str = "relu",
        *,
        loss: str = "squared_error",
        solver: str = "adam",
        alpha: float = 0.0001,
        batch_size: int | str = "auto",
        learning_rate: str = "constant",
        learning_rate_init: float = 0.001,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int | float = 10,
        max_fun: int = 15000,
        loss_reduction: str = "mean",
        schedule: str | Schedule | None = None,
        dtype: str | type | None = None,
        standardize: bool = False,
        standardize_target: bool = True,
        score_initial: bool = False,
    ) -> None:
        self.loss = loss
        self.standardize_target = standardize_target
        given = locals()  # the others are BaseMLP's, which stores each unchanged
        super().__init__(**{name: given[name] for name in BaseMLP._get_param_names()})

    @available_if(lambda est: est._check_solver())
    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """One epoch over ``(X, y)``, from the current parameters when fitted."""
        self._fit(X, y, sample_weight, incremental=True)
        return self

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """Train from scratch (or from the current parameters with ``warm_start``)."""
        self._fit(X, y, sample_weight)
        return self

    def _validate(self, X: Any, y: Any, reset: bool) -> tuple[Array, Array]:
        check_numbers(X)
        check_numeric_targets(y, "y", "MLPClassifier takes class labels")
        check_target_cells(y)
        check_label_kind(y)
        X, y = validate(
            self, X, y, scoring=False, reset=reset, dtype=(np.float64, np.float32),
            multi_output=True, y_numeric=True, accept_sparse=["csr", "csc"],
            ensure_all_finite=False,
        )  # fmt: skip
        check_finite(np.asarray(y), "y")
        return checked_dense(X, feature_names(self)), y  # columns by name for a table

    def _targets(self, y: Array, first: bool, classes: Any) -> tuple[Array, int]:
        n_out = 1 if y.ndim == 1 else y.shape[1]
        if not first and n_out != self.n_outputs_:
            raise ValueError(
                f"y has {n_out} columns, the network was fitted with {self.n_outputs_}"
            )
        return y, n_out

    def _scaled_targets(self, y: Array, w: Array | None, first: bool) -> Array:
        """The targets as trained on: standardized with ``target_scaler_`` (fitted on the
        first call) when ``standardize_target``, else as given."""
        if first:
            scaler = fit_target_scaler(y, sample_weight=w) if self.standardize_target else None
            self.target_scaler_ = scaler
        scaler = getattr(self, "target_scaler_", None)
        if scaler is None:
            return y
        return scaled_targets(scaler, y)

    def _loss_unit(self) -> float:
        return loss_unit(getattr(self, "target_scaler_", None))

    def _loss_name(self) -> str:
        scaler = getattr(self, "target_scaler_", None)
        return "" if scaler is None else loss_name(scaler)

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """R^2 of ``predict(X)`` against ``y (n,)`` or ``(n, k)``, averaged over the target
        columns, as scikit-learn's ``RegressorMixin.score``; exact for targets of any scale
        (1e300, 1e-300: :func:`glassnet.sklearn.scores.r2`)."""
        return r2(y, self.predict(X), sample_weight)

    def predict(self, X: Any) -> Array:
        """Predicted values in the targets' units (float64 when they were standardized):
        (n_samples,) for one target, (n_samples, n_targets) for several."""
        Y = self._output_values(X)
        scaler = getattr(self, "target_scaler_", None)
        if scaler is not None:
            Y = scaler.inverse(Y)
        return Y[:, 0] if Y.shape[1] == 1 else Y

    @classmethod
    def from_model(cls, model: Model) -> MLPRegressor:
        """A fitted regressor from a glassnet model (``glassnet.load(path)``)."""
        if check_model(cls, model).classes is not None:
            raise ValueError("the model is a classifier; use MLPClassifier.from_model")
        est = estimator_from(cls, model)
        est.target_scaler_ = model.target_scaler
        return est

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
