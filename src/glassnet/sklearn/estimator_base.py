"""The shared machinery of :class:`~glassnet.MLPClassifier` and :class:`~glassnet.MLPRegressor`.

:class:`BaseMLP` turns scikit-learn's hyperparameters into glassnet's values (a
:class:`~glassnet.core.network.Network`, an optimizer, a :class:`~glassnet.train.loop.TrainConfig`)
and runs :func:`glassnet.train.loop.fit`, the loop every entry point uses, with the sample
weights, scikit-learn's L2 penalty ``alpha / (2 S) ||W||^2`` (``S``: the batch's summed
weights; ``TrainConfig.alpha``) and scikit-learn's stopping rule (``tol``,
``n_iter_no_change``; :mod:`glassnet.train.stopping`). The subclasses say how targets
become the codes the output head trains on; :mod:`glassnet.sklearn.fitting` trains.

Importing this module imports scikit-learn; ``import glassnet`` does not.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from glassnet.core._types import Array
from glassnet.core.optimizers import OptState
from glassnet.core.schedules import Schedule
from glassnet.data.encoding import Encoding
from glassnet.sklearn import fitting, settings
from glassnet.sklearn.fitted import FittedMLP
from glassnet.sklearn.predicting import checked_dense, dense

__all__ = ["ACTIVATIONS", "BaseMLP", "checked_dense", "dense"]

ACTIVATIONS = ("identity", "logistic", "tanh", "relu")


class BaseMLP(FittedMLP, BaseEstimator):
    """Hyperparameters and training shared by the classifier and the regressor (the fitted
    state and what uses it: :class:`~glassnet.sklearn.fitted.FittedMLP`)."""

    _output: str = "identity"  # the output head, set per fit by the subclasses
    _opt_state: OptState | None  # the optimizer state after the last fit, for warm starts
    _first_loss: float | None  # the first fit's first batch loss: the divergence bound's base
    _table_encoding: Encoding | None = None  # a glassnet train model's (from_model): its table
    _target_names: tuple[str, ...] | None  # y's column names at the first fit (model files)

    def __init__(
        self,
        hidden_layer_sizes: tuple[int, ...] | list[int] | int = (100,),
        activation: str = "relu",
        *,
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
        score_initial: bool = False,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.loss_reduction = loss_reduction
        self.schedule = schedule
        self.dtype = dtype
        self.standardize = standardize
        self.score_initial = score_initial

    # ---- hyperparameters -> glassnet values ------------------------------------------------
    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, int | np.integer) else list(sizes)
        if not all(isinstance(s, int | np.integer) and not isinstance(s, bool) for s in sizes):
            raise TypeError(  # scikit-learn's type: "'float' object cannot be interpreted ..."
                f"hidden_layer_sizes must hold integers (numbers of units), got "
                f"{self.hidden_layer_sizes!r}"
            )
        if any(int(s) < 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive, got {self.hidden_layer_sizes}")
        return [int(s) for s in sizes]

    def _check_solver(self) -> bool:
        """scikit-learn's guard on ``partial_fit`` (through ``available_if``).

        Raises
        ------
        AttributeError
            With ``solver="lbfgs"``, which is not stochastic (``hasattr`` then says False).
        """
        if self.solver == "lbfgs":
            raise AttributeError(
                f"partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    def _optimizer(self) -> Any:
        """The glassnet optimizer for ``solver``, ``learning_rate_init`` and its settings."""
        return settings.optimizer(self)

    def _check_params(self) -> None:
        settings.check_settings(self)
        self._hidden_sizes()

    def _batch_size(self, n: int) -> int:
        """The minibatch size for ``n`` training rows: ``"auto"`` is ``min(200, n)``; a
        larger ``batch_size`` is clipped to ``n`` with scikit-learn's warning (UserWarning;
        stochastic solvers only, in fit and partial_fit, as scikit-learn's MLP)."""
        if self.batch_size == "auto":
            return min(200, n)
        if int(self.batch_size) > n and self.solver != "lbfgs":
            warnings.warn(
                "Got `batch_size` less than 1 or larger than sample size. "
                "It is going to be clipped", UserWarning, stacklevel=6,
            )  # fmt: skip
        return min(int(self.batch_size), n)  # clipped to the sample count, as scikit-learn does

    def _train_dtype(self, X: Array) -> np.dtype[Any]:
        if self.dtype is not None:
            return np.dtype(self.dtype)
        return np.dtype(np.float32) if X.dtype == np.float32 else np.dtype(np.float64)

    # ---- training --------------------------------------------------------------------------
    def _validate(self, X: Any, y: Any, reset: bool) -> tuple[Array, Array]:
        raise NotImplementedError

    def _targets(self, y: Array, first: bool, classes: Any) -> tuple[Array, int]:
        """Training codes for the head, and the number of output units."""
        raise NotImplementedError

    def _fit(
        self,
        X: Any,
        y: Any,
        sample_weight: Any = None,
        incremental: bool = False,
        classes: Any = None,
    ) -> BaseMLP:
        fitting.fit_estimator(self, X, y, sample_weight, incremental, classes)
        return self

    def _scaled_targets(self, codes: Array, w: Array | None, first: bool) -> Array:
        """The targets as the head trains on them (the regressor may standardize them)."""
        return codes

    def _loss_unit(self) -> float:
        """The factor from the losses as trained to the reported ones (1: the same)."""
        return 1.0

    def _loss_name(self) -> str:
        """What the reported losses measure, when not the head's own loss ("")."""
        return ""

    def _check_weighted_targets(self, codes: Array, w: Array | None) -> None:
        if w is not None and not np.any(w > 0):
            raise ValueError("sample_weight must have at least one positive entry")

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # CSR and CSC, made dense (see dense)
        return tags
