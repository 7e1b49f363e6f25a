"""The fitted state of :class:`~glassnet.MLPClassifier` and :class:`~glassnet.MLPRegressor`.

:class:`FittedMLP` holds what a fit leaves behind (``coefs_``, ``intercepts_``, the
loss curves, ``n_iter_``, ...) and what uses it (``params_``, ``hidden_activations``);
:class:`~glassnet.sklearn.estimator_base.BaseMLP` mixes it in beside scikit-learn's
``BaseEstimator``.

Importing this module imports scikit-learn; ``import glassnet`` does not.
"""

from __future__ import annotations

from typing import Any

from sklearn.utils.validation import check_is_fitted

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.data.preprocessing import Standardizer
from glassnet.sklearn import predicting

__all__ = ["FittedMLP"]


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
        ValueError
            When the network has no hidden layers.
        IndexError
            When ``layer`` is out of range.
        """
        Xs = self._inputs(X)
        hidden = self.network_.hidden_activations(self.params_, Xs)
        if not hidden:
            raise ValueError("this network has no hidden layers")
        if not -len(hidden) <= layer < len(hidden):
            raise IndexError(f"layer {layer} out of range for {len(hidden)} hidden layers")
        return hidden[layer]
