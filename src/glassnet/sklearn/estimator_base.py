"""The shared machinery of :class:`~glassnet.MLPClassifier` and :class:`~glassnet.MLPRegressor`.

:class:`BaseMLP` turns scikit-learn's hyperparameters into glassnet's values (a
:class:`~glassnet.core.network.Network`, an optimizer, a :class:`~glassnet.train.loop.TrainConfig`)
and runs :func:`glassnet.train.loop.fit`, the loop every entry point uses, with the sample
weights, scikit-learn's L2 penalty ``alpha / (2 S) ||W||^2`` (``S``: the batch's summed
weights; ``TrainConfig.alpha``) and scikit-learn's stopping rule (``tol``,
``n_iter_no_change``; :mod:`glassnet.train.stopping`). The subclasses say how targets
become the codes the output head trains on.

Importing this module imports scikit-learn; ``import glassnet`` does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import OptState
from glassnet.core.schedules import Schedule
from glassnet.core.validation import check_finite
from glassnet.data.preprocessing import Standardizer
from glassnet.sklearn import settings
from glassnet.train.history import History, continued
from glassnet.train.lbfgs import fit_lbfgs
from glassnet.train.loop import TrainConfig, TrainingDiverged, fit

ACTIVATIONS = ("identity", "logistic", "tanh", "relu")


class BaseMLP(BaseEstimator):
    """Hyperparameters and training shared by the classifier and the regressor."""

    _output: str = "identity"  # the output head, set per fit by the subclasses
    _opt_state: OptState | None  # the optimizer state after the last fit, for warm starts

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

    # ---- hyperparameters -> glassnet values ------------------------------------------------
    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, int | np.integer) else list(sizes)
        if any(int(s) < 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive, got {self.hidden_layer_sizes}")
        return [int(s) for s in sizes]

    def _optimizer(self) -> Any:
        """The glassnet optimizer for ``solver``, ``learning_rate_init`` and its settings."""
        return settings.optimizer(self)

    def _check_params(self) -> None:
        settings.check_settings(self)
        self._hidden_sizes()

    def _batch_size(self, n: int) -> int:
        if self.batch_size == "auto":
            return min(200, n)
        return min(int(self.batch_size), n)  # clipped to the sample count, as scikit-learn does

    def _train_dtype(self, X: Array) -> np.dtype[Any]:
        if self.dtype is not None:
            return np.dtype(self.dtype)
        return np.dtype(np.float32) if X.dtype == np.float32 else np.dtype(np.float64)

    # ---- fitted state ----------------------------------------------------------------------
    @property
    def params_(self) -> ParamList:
        """The parameters as glassnet's list of ``{"W", "b"}`` dicts (views, not copies)."""
        check_is_fitted(self)
        return [
            {"W": W, "b": b[None, :]} for W, b in zip(self.coefs_, self.intercepts_, strict=True)
        ]

    def _store(self, params: ParamList) -> None:
        self.coefs_ = [p["W"] for p in params]
        self.intercepts_ = [p["b"][0] for p in params]

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
        self._check_params()
        first = not hasattr(self, "coefs_") or not (self.warm_start or incremental)
        X, y = self._validate(X, y, reset=first)
        dtype = self._train_dtype(X) if first else self.coefs_[0].dtype  # continue as fitted
        w = (
            None
            if sample_weight is None
            else _check_sample_weight(sample_weight, X, dtype=np.float64)
        )
        codes, n_out = self._targets(y, first, classes)
        self._check_weighted_targets(codes, w)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        if first:
            self._start(X, n_out, dtype, seed, w)
        assert self.network_ is not None
        Xs = self.scaler_.transform(X, dtype) if self.scaler_ is not None else X
        train_rows, val_rows = self._split(len(codes), codes, seed, incremental)
        config = TrainConfig(
            epochs=1 if incremental else int(self.max_iter),
            batch_size=self._batch_size(len(train_rows)),
            optimizer=settings.optimizer(self),
            schedule=settings.schedule(self, len(train_rows)),
            alpha=float(self.alpha),
            patience=None if incremental else settings.patience(self),
            min_delta=float(self.tol),
            restore_best=True,  # with early_stopping's validation split only
            seed=seed if first else seed + self.n_iter_,  # a fresh shuffle when continuing
            shuffle=bool(self.shuffle),
            dtype=dtype,
            train_metrics=False,
        )
        callbacks: list[Any] = [self._report] if self.verbose else []
        if settings.uses_adaptive(self) and not incremental:
            callbacks.append(settings.adaptive_stop(self, val_rows is not None))
        data: dict[str, Any] = {"sample_weight": w, "train_rows": train_rows, "val_rows": val_rows}
        try:
            if self.solver == "lbfgs":  # scipy's own loop and line search, on the one seam
                result = fit_lbfgs(
                    self.network_, self.params_, Xs, codes, config, **data,
                    callbacks=callbacks, max_fun=int(self.max_fun),
                )  # fmt: skip
            else:
                result = fit(
                    self.network_, self.params_, Xs, codes, config, **data,
                    callbacks=callbacks, opt_state=None if first else self._opt_state,
                )  # fmt: skip
        except TrainingDiverged as exc:  # keep the last finite parameters, then say so
            self._store(exc.result.params)
            self._record(exc.result.history, val_rows is not None)
            raise
        self._store(result.params)
        self._opt_state = result.opt_state
        self._record(result.history, val_rows is not None)
        return self

    def _check_weighted_targets(self, codes: Array, w: Array | None) -> None:
        if w is not None and not np.any(w > 0):
            raise ValueError("sample_weight must have at least one positive entry")

    def _start(
        self, X: Array, n_out: int, dtype: np.dtype[Any], seed: int, w: Array | None
    ) -> None:
        output = self._output
        sizes = [X.shape[1], *self._hidden_sizes(), n_out]
        self.network_ = Network.mlp(sizes, self.activation, output, self.loss_reduction)  # type: ignore[arg-type]
        self.scaler_ = _weighted_standardizer(X, w) if self.standardize else None
        self._store(self.network_.init(np.random.default_rng(seed), dtype))
        self.n_layers_ = len(sizes)
        self.n_outputs_ = n_out
        self.out_activation_ = output
        self.loss_curve_: list[float] = []
        self.history_ = History()  # the run's record, epoch 0 (the initialization) first
        self.validation_loss_curve_: list[float] | None = [] if self.early_stopping else None
        self.n_iter_ = 0

    def _split(
        self, n: int, codes: Array, seed: int, incremental: bool
    ) -> tuple[Array, Array | None]:
        rows = np.arange(n)
        if not self.early_stopping or incremental:
            return rows, None
        stratify = codes if self._output != "identity" and codes.ndim == 1 else None
        train, val = train_test_split(
            rows, test_size=self.validation_fraction, random_state=seed, stratify=stratify
        )
        return np.sort(train), np.sort(val)

    def _record(self, history: Any, validated: bool) -> None:
        self.history_ = continued(getattr(self, "history_", History()), history)
        losses = [float(v) for v in history.column("loss")]
        self.loss_curve_ = [*self.loss_curve_, *losses]
        if validated:
            val = [float(v) for v in history.column("val_loss")]
            self.validation_loss_curve_ = [*(self.validation_loss_curve_ or []), *val]
            self.best_loss_ = float(min(self.validation_loss_curve_, default=np.inf))
        else:
            self.best_loss_ = float(min(self.loss_curve_, default=np.inf))
        self.n_iter_ += len(losses)
        stopped = history.stop_reason == "early stopping"
        self.stop_reason_ = "no improvement" if stopped else history.stop_reason

    def _report(self, record: Any) -> None:
        val = f", validation loss = {record.val_loss:.8f}" if record.val_loss is not None else ""
        print(f"Iteration {self.n_iter_ + record.epoch}, loss = {record.loss:.8f}{val}")

    # ---- using the network -----------------------------------------------------------------
    def _inputs(self, X: Any) -> Array:
        check_is_fitted(self)
        X = dense(
            validate_data(
                self, X, reset=False, dtype=(np.float64, np.float32),
                accept_sparse=["csr", "csc"], ensure_all_finite=False,
            )
        )  # fmt: skip
        check_finite(X, "X")  # NaN or infinity named by row and column
        dtype = self.coefs_[0].dtype
        return (
            self.scaler_.transform(X, dtype)
            if self.scaler_ is not None
            else X.astype(dtype, copy=False)
        )

    def _output_values(self, X: Any) -> Array:
        """The network output ``Y (N, C)``: probabilities or regression values, computed in
        row blocks so the hidden layers never hold more than about 0.5M numbers each."""
        from glassnet.files.modelfile import BLOCK_ELEMENTS

        Xs = self._inputs(X)  # checks that the estimator is fitted
        step = max(1, BLOCK_ELEMENTS // max(self.network_.sizes))
        parts = [
            self.network_.predict_proba(self.params_, Xs[i : i + step])
            for i in range(0, Xs.shape[0], step)
        ]
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def hidden_activations(self, X: Any, layer: int = -1) -> Array:
        """The activations ``A_l (N, H_l)`` of hidden layer ``layer`` (0-based; -1: the last).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        layer : int
            Index into ``hidden_layer_sizes``; negative values count from the end.

        Returns
        -------
        ndarray of shape (n_samples, hidden_layer_sizes[layer])
        """
        Xs = self._inputs(X)
        hidden = self.network_.hidden_activations(self.params_, Xs)
        if not hidden:
            raise ValueError("this network has no hidden layers")
        if not -len(hidden) <= layer < len(hidden):
            raise IndexError(f"layer {layer} out of range for {len(hidden)} hidden layers")
        return hidden[layer]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # CSR and CSC, made dense (see dense)
        return tags


def dense(X: Any) -> Array:
    """``X`` as a NumPy array: a SciPy sparse matrix (CSR or CSC, as scikit-learn's MLP takes)
    is made dense, since the network's products need every entry; others pass through."""
    return X.toarray() if hasattr(X, "toarray") else X


def checked_dense(X: Any) -> Array:
    """:func:`dense`, then NaN or infinity named by row and column."""
    X = dense(X)
    check_finite(X, "X")
    return X


def _weighted_standardizer(X: Array, w: Array | None) -> Standardizer:
    """Weighted column means and standard deviations (1 where a column is constant)."""
    weights = np.ones(X.shape[0]) if w is None else w
    mean = np.average(X, axis=0, weights=weights).astype(np.float64)
    std = np.sqrt(np.average((X - mean) ** 2, axis=0, weights=weights))
    return Standardizer(mean, np.where(std > 0, std, 1.0))
