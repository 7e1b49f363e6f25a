"""The fitted state of :class:`~glassnet.MLPClassifier` and :class:`~glassnet.MLPRegressor`.

:class:`FittedMLP` holds what a fit leaves behind (``coefs_``, ``intercepts_``, the
loss curves, ``n_iter_``, ...) and what uses it (``params_``, ``hidden_activations``);
:class:`~glassnet.sklearn.estimator_base.BaseMLP` mixes it in beside scikit-learn's
``BaseEstimator``.

Importing this module imports scikit-learn; ``import glassnet`` does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.data.preprocessing import Standardizer
from glassnet.sklearn import predicting

__all__ = ["FittedMLP", "record_scores"]


class FittedMLP:
    """Fitted attributes of the estimators, and the methods that use the fitted network."""

    # fitted attributes (set by glassnet.sklearn.fitting)
    network_: Network
    scaler_: Standardizer | None
    coefs_: list[Array]
    intercepts_: list[Array]
    loss_curve_: list[float]
    validation_loss_curve_: list[float] | None
    best_loss_: float
    n_iter_: int
    n_layers_: int
    n_outputs_: int
    out_activation_: str
    stop_reason_: str
    t_: int  # scikit-learn's: training samples seen by the solver (0 for lbfgs)
    validation_scores_: list[float] | None  # accuracy or R^2 per epoch (early_stopping)
    best_validation_score_: float | None

    @property
    def loss_(self) -> float:
        """scikit-learn's ``loss_``: the last epoch's training loss, ``loss_curve_[-1]``
        (with the L2 term, in the reported units). ``AttributeError`` before a fit or for a
        model rebuilt from a file without its record."""
        curve = getattr(self, "loss_curve_", None)
        if not curve:
            raise AttributeError("loss_: no epoch has been recorded (fit the estimator first)")
        return float(curve[-1])

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

    def _inputs(self, X: Any) -> Array:
        """``X`` checked, scaled and cast as the fitted network takes it."""
        return predicting.inputs(self, X)  # type: ignore[arg-type]

    def _output_values(self, X: Any) -> Array:
        """The network output ``Y (N, C)`` (:func:`glassnet.sklearn.predicting.output_values`)."""
        return predicting.output_values(self, X)  # type: ignore[arg-type]

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

        Raises
        ------
        TypeError
            When ``layer`` is not an integer.
        ValueError
            When the network has no hidden layers.
        IndexError
            When ``layer`` is out of range.
        """
        if isinstance(layer, bool) or not isinstance(layer, int | np.integer):
            raise TypeError(
                f"layer must be an integer (a hidden layer's index; -1: the last), got {layer!r}"
            )
        Xs = self._inputs(X)
        hidden = self.network_.hidden_activations(self.params_, Xs)
        if not hidden:
            raise ValueError("this network has no hidden layers")
        if not -len(hidden) <= layer < len(hidden):
            raise IndexError(f"layer {layer} out of range for {len(hidden)} hidden layers")
        return hidden[layer]


def record_scores(
    est: Any, history: Any, codes: Array, train_rows: Array, val_rows: Array | None, first: bool
) -> None:
    """Set scikit-learn's ``t_``, ``validation_scores_`` and ``best_validation_score_``
    after a run whose record (as trained, before any change of units) is ``history``.

    As in scikit-learn's ``_fit_stochastic``: ``t_`` grows by the training rows every
    epoch (``lbfgs`` leaves it 0); with ``early_stopping`` (which ``lbfgs`` ignores) the
    score of every epoch on the
    validation rows is appended (a classifier's accuracy, a regressor's R^2), and
    ``best_validation_score_`` is their maximum; without it both are ``None``. The scores
    are unweighted (as glassnet's validation losses are) and come from the record:
    accuracy as recorded, R^2 as ``1 - L / L_0`` with ``L`` the epoch's validation loss
    and ``L_0`` the loss of the validation targets' mean (``1/2 mean_c var_c``); for
    several targets that is the variance-weighted R^2 of the targets as trained.
    """
    if first or not hasattr(est, "t_"):
        est.t_ = 0
        est.validation_scores_ = [] if est.early_stopping and est.solver != "lbfgs" else None
        est.best_validation_score_ = -np.inf if est.validation_scores_ is not None else None
    if est.solver != "lbfgs":
        est.t_ += len(history.records) * len(train_rows)
    if val_rows is None or est.validation_scores_ is None or not len(val_rows):
        return
    if est._output == "identity":
        T = codes[val_rows].reshape(len(val_rows), -1)
        baseline = 0.5 * float(np.mean(np.var(T.astype(np.float64), axis=0)))
        scores = [1.0 - r.val_loss / baseline if baseline > 0 else float("nan")
                  for r in history.records]  # fmt: skip
    else:
        scores = [float(r.val_accuracy) for r in history.records]
    est.validation_scores_ = [*est.validation_scores_, *scores]
    finite = [v for v in est.validation_scores_ if np.isfinite(v)]
    est.best_validation_score_ = max(finite, default=est.best_validation_score_)
