"""scikit-learn's :class:`~sklearn.neural_network.MLPRegressor` on glassnet's core (see
:mod:`glassnet.sklearn.estimators` for what differs from scikit-learn)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import validate_data

from glassnet.core._types import Array
from glassnet.core.schedules import Schedule
from glassnet.core.validation import check_finite
from glassnet.files.modelfile import Model
from glassnet.sklearn.estimator_base import BaseMLP, checked_dense
from glassnet.sklearn.estimator_files import ModelFiles, estimator_from


class MLPRegressor(RegressorMixin, ModelFiles, BaseMLP):
    """A multilayer perceptron regressor with identity output and squared error.

    Parameters are those of :class:`sklearn.neural_network.MLPRegressor` (``loss`` is
    keyword-only here, so glassnet's ``MLPRegressor((64,))`` keeps working) plus
    ``loss_reduction``, ``schedule``, ``dtype`` and ``standardize``; see
    :mod:`glassnet.sklearn.estimators`. Fitted attributes as for :class:`MLPClassifier`,
    without ``classes_``. ``y`` may have several columns.
    """

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
    ) -> None:
        self.loss = loss
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            loss_reduction=loss_reduction,
            schedule=schedule,
            dtype=dtype,
            standardize=standardize,
        )

    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """One epoch over ``(X, y)``, from the current parameters when fitted."""
        self._fit(X, y, sample_weight, incremental=True)
        return self

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """Train from scratch (or from the current parameters with ``warm_start``)."""
        self._fit(X, y, sample_weight)
        return self

    def _validate(self, X: Any, y: Any, reset: bool) -> tuple[Array, Array]:
        X, y = validate_data(
            self, X, y, reset=reset, dtype=(np.float64, np.float32), multi_output=True,
            y_numeric=True, accept_sparse=["csr", "csc"], ensure_all_finite=False,
        )  # fmt: skip
        check_finite(np.asarray(y), "y")
        return checked_dense(X), y

    def _targets(self, y: Array, first: bool, classes: Any) -> tuple[Array, int]:
        n_out = 1 if y.ndim == 1 else y.shape[1]
        if not first and n_out != self.n_outputs_:
            raise ValueError(
                f"y has {n_out} columns, the network was fitted with {self.n_outputs_}"
            )
        return y, n_out

    def predict(self, X: Any) -> Array:
        """Predicted values: (n_samples,) for one target, (n_samples, n_targets) for several."""
        Y = self._output_values(X)
        return Y[:, 0] if Y.shape[1] == 1 else Y

    @classmethod
    def from_model(cls, model: Model) -> MLPRegressor:
        """A fitted regressor from a glassnet model (``glassnet.load(path)``)."""
        if model.classes is not None:
            raise ValueError("the model is a classifier; use MLPClassifier.from_model")
        return estimator_from(cls, model)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
