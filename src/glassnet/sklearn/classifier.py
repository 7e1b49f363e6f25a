"""scikit-learn's :class:`~sklearn.neural_network.MLPClassifier` on glassnet's core (see
:mod:`glassnet.sklearn.estimators` for what differs from scikit-learn)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d

from glassnet.core._types import Array
from glassnet.core.losses import log_softmax
from glassnet.data.columns import check_target_cells
from glassnet.files.modelfile import Model
from glassnet.sklearn.arrays import check_class_labels, fit_data
from glassnet.sklearn.estimator_base import BaseMLP
from glassnet.sklearn.estimator_files import ModelFiles, check_model, estimator_from
from glassnet.sklearn.predicting import (
    check_label_kind,
    check_numbers,
    checked_dense,
    feature_names,
)


class MLPClassifier(ClassifierMixin, ModelFiles, BaseMLP):
    """A multilayer perceptron classifier: softmax output for 3+ classes, logistic for 2.

    Parameters are those of :class:`sklearn.neural_network.MLPClassifier` plus
    ``loss_reduction``, ``schedule``, ``dtype``, ``standardize`` and ``score_initial``;
    see :mod:`glassnet.sklearn.estimators`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coefs_, intercepts_ : list of ndarray
        ``coefs_[i]`` (n_in, n_out) and ``intercepts_[i]`` (n_out,) of dense layer ``i``.
    loss_curve_ : list of float
        Training loss (with the L2 term) of every epoch, over all calls with warm start.
    validation_loss_curve_ : list of float or None
    history_ : glassnet.train.history.History
        The record of the run (over all calls with warm start or ``partial_fit``): epoch 0
        (the initialization, scored before any update) first when ``score_initial``, then
        every epoch.
    best_loss_ : float
    loss_ : float
        The last epoch's training loss, ``loss_curve_[-1]`` (scikit-learn's ``loss_``).
    t_ : int
        Training samples seen: training rows times epochs (0 with ``solver="lbfgs"``).
    validation_scores_ : list of float or None
        With ``early_stopping``, each epoch's accuracy on the validation rows (unweighted);
        else None.
    best_validation_score_ : float or None
        The maximum of ``validation_scores_``; None without ``early_stopping``.
    n_iter_ : int
        The epochs of the last ``fit`` or ``partial_fit`` call (scikit-learn's meaning);
        ``loss_curve_``, ``t_`` and ``history_`` count every call since a fresh fit.
    n_features_in_ : int
    feature_names_in_ : ndarray of str, only when fitted on a table with string column names
    network_ : glassnet.core.network.Network
    scaler_ : glassnet.data.preprocessing.Standardizer or None
    """

    @available_if(lambda est: est._check_solver())
    def partial_fit(
        self, X: Any, y: Any, sample_weight: Any = None, classes: Any = None
    ) -> MLPClassifier:
        """One epoch over ``(X, y)``; ``classes`` (all labels) is required on the first call."""
        if not hasattr(self, "classes_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        if hasattr(self, "classes_") and classes is not None:
            given = np.unique(np.asarray(classes))
            if not np.array_equal(given, self.classes_):  # scikit-learn's check, every call
                raise ValueError(
                    f"`classes={given.tolist()!r}` is not the same as on the first call to "
                    f"partial_fit, was: {self.classes_.tolist()!r}"
                )
        self._fit(X, y, sample_weight, incremental=True, classes=classes)
        return self

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPClassifier:
        """Train from scratch (or from the current parameters with ``warm_start``)."""
        self._fit(X, y, sample_weight)
        return self

    def _validate(self, X: Any, y: Any, reset: bool) -> tuple[Array, Array]:
        check_numbers(X)
        check_target_cells(y)
        check_label_kind(y)
        X, y = fit_data(self, X, y, reset)  # scikit-learn's validate_data
        X = checked_dense(X, feature_names(self))  # columns by name when fitted on a table
        check_class_labels(y)  # scikit-learn's check_classification_targets
        if np.ndim(y) == 2 and type_of_target(y) != "multilabel-indicator":
            y = column_or_1d(y, warn=True)  # a column of labels, as scikit-learn takes it
        return X, y

    def _targets(self, y: Array, first: bool, classes: Any) -> tuple[Array, int]:
        if y.ndim == 2:  # multilabel indicator: one logistic unit per label
            if first:
                self.classes_, self._output = np.arange(y.shape[1]), "logistic"
            elif not getattr(self, "_multilabel", False) or y.shape[1] != len(self.classes_):
                raise ValueError(f"y has {y.shape[1]} label columns, the network was fitted "
                                 f"for {len(self.classes_)}")  # fmt: skip
            self._multilabel = True
            return y.astype(np.float64), y.shape[1]
        if not first and getattr(self, "_multilabel", False):
            raise ValueError("this classifier was fitted on a multilabel indicator matrix")
        self._multilabel = False
        if first:
            labels = _text_as_str(np.unique(y if classes is None else np.asarray(classes)))
            if len(labels) < 2:
                given = f"got 1 class ({labels.tolist()[0]!r})"
                if classes is not None:
                    given = f"partial_fit's classes={labels.tolist()!r} name 1"
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes; {given}"
                )
            self.classes_ = labels
            self._output = "softmax" if len(labels) > 2 else "logistic"
        if not first or classes is not None:  # (classes_ are y's own labels otherwise)
            unseen = np.setdiff1d(y, self.classes_)
            if len(unseen):
                raise ValueError(self._unseen_labels(unseen, first))
        codes = np.searchsorted(self.classes_, y)
        n_classes = len(self.classes_)
        return codes, n_classes if n_classes > 2 else 1

    def _unseen_labels(self, unseen: Array, first: bool) -> str:
        """Why labels of ``y`` outside ``classes_`` are refused, and what to do."""
        shown, known = unseen[:10].tolist(), self.classes_.tolist()
        if first:  # partial_fit's first call, given classes
            return f"y holds labels not in classes_: {shown} (partial_fit's classes={known})"
        return (
            f"y holds labels not in classes_: {shown} (classes_ is {known}: a warm_start fit "
            "or a partial_fit continues the fitted network, one output per class; fit with "
            "warm_start=False to start afresh with y's classes)"
        )

    def _check_weighted_targets(self, codes: Array, w: Array | None) -> None:
        super()._check_weighted_targets(codes, w)
        if w is not None and len(np.unique(codes[w > 0])) < 2:
            raise ValueError("only one class has a positive sample weight; need 2 classes")

    def predict_proba(self, X: Any) -> Array:
        """Class probabilities (n_samples, n_classes), columns in the order of ``classes_``."""
        Y = self._output_values(X)
        if getattr(self, "_multilabel", False):
            return Y  # (n_samples, n_labels): each label's probability on its own
        return np.column_stack([1 - Y[:, 0], Y[:, 0]]) if Y.shape[1] == 1 else Y

    def predict_log_proba(self, X: Any) -> Array:
        """Log class probabilities, computed stably from the logits."""
        Xs = self._inputs(X)
        Z = self.network_.logits(self.params_, Xs)
        if Z.shape[1] == 1:  # log(1 - s(z)) = -softplus(z), log(s(z)) = -softplus(-z)
            return np.column_stack([-np.logaddexp(0, Z[:, 0]), -np.logaddexp(0, -Z[:, 0])])
        return log_softmax(Z)

    def predict(self, X: Any) -> Array:
        """The predicted labels (n_samples,)."""
        if getattr(self, "_multilabel", False):  # the indicator matrix, p >= 0.5 per label
            return (self._output_values(X) >= 0.5).astype(np.int64)
        Xs = self._inputs(X)
        codes = self.network_.predict(self.params_, Xs)
        return self.classes_[codes]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True  # a 0/1 indicator y trains logistic units
        return tags

    @classmethod
    def from_model(cls, model: Model) -> MLPClassifier:
        """A fitted classifier from a glassnet model (``glassnet.load(path)``)."""
        if check_model(cls, model).classes is None:
            raise ValueError("the model is a regressor; use MLPRegressor.from_model")
        est = estimator_from(cls, model)
        est.classes_ = np.asarray(model.classes)
        est._multilabel = model.net.head.name == "logistic" and model.net.sizes[-1] > 1
        return est


def _text_as_str(labels: Array) -> Array:
    """Labels that are all text as a NumPy string array (``<U``), as scikit-learn's
    ``unique_labels`` gives them (``np.asarray`` of the sorted labels): an object array of
    ``str`` (pandas' string dtype, a list of Python strings) becomes ``<U..``; other
    labels are returned as they are."""
    if labels.dtype.kind == "O" and all(isinstance(v, str) for v in labels):
        return np.asarray(labels.tolist(), dtype=str)
    return labels
