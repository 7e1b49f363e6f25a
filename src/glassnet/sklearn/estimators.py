"""scikit-learn estimators on glassnet's core: :class:`MLPClassifier` and :class:`MLPRegressor`.

The names and defaults follow :mod:`sklearn.neural_network` where they mean the same thing;
the training loop is :func:`glassnet.train.loop.fit` and the network glassnet's own. The
objective is scikit-learn's: the (sample-weighted) mean loss of a minibatch plus
``alpha / (2 S) * sum ||W||^2``. Every constructor parameter of scikit-learn's
MLP is accepted with its meaning and checked against scikit-learn's ranges
(:mod:`glassnet.sklearn.settings`). Scores in the estimators' docs and ``glassnet evaluate``:
``score`` is accuracy (classifier) or R^2 (regressor); :mod:`glassnet.views.metrics` gives
per-class precision, recall, F1 and support, and RMSE, MAE and R^2. Differences from
scikit-learn's MLP:

* ``early_stopping`` monitors the validation *loss* (``validation_loss_curve_``) and keeps
  the best epoch's parameters; without early stopping ``validation_loss_curve_`` is None.
  As in scikit-learn, ``solver="lbfgs"`` ignores ``early_stopping`` (all rows are trained on)
  and has no ``partial_fit`` (``hasattr`` is False; calling it raises AttributeError).
  ``best_loss_`` is the best monitored loss: validation with early stopping, training without.
  The ``adaptive`` learning rate watches the same loss.
* ``solver="lbfgs"`` runs ``scipy.optimize.minimize`` (L-BFGS-B, ``max_iter``, ``max_fun``,
  ``gtol=tol``) on glassnet's loss and gradient (:mod:`glassnet.train.lbfgs`).
* Sparse ``X`` (CSR, CSC) is accepted and made dense. A 0/1 indicator matrix ``y`` trains
  one logistic unit per label (multilabel); ``predict`` returns the indicator matrix.
* ``MLPRegressor(loss="poisson")`` is refused (only the squared error is available).
* Reaching ``max_iter`` is not warned about; ``n_iter_`` and ``stop_reason_`` tell, in the
  words of the CLI's record (:data:`glassnet.train.history.STOP_REASONS`): ``"completed"``
  (every iteration ran), ``"early stopping"`` (``n_iter_no_change`` epochs without a ``tol``
  improvement), ``"converged"`` and ``"max_fun"`` (L-BFGS), ``"diverged"``. ``history_``
  is that record: epoch 0 with ``score_initial``, ``kept_epoch`` (whose parameters are
  kept: the best validation epoch with ``early_stopping``) and, with ``score_initial``,
  ``final`` (the kept parameters' loss and accuracy on the training and validation rows;
  empty by default, which saves a forward pass over every row).
* glassnet extras: ``loss_reduction`` (``"mean"`` or the tutorial's ``"sum"``), ``schedule``
  (glassnet's schedules, instead of ``learning_rate``), ``dtype`` (default: float32 for
  float32 inputs, else float64), ``standardize`` (scale the inputs with weighted training
  statistics, stored with the model), ``score_initial`` (True: ``history_`` starts with
  epoch 0, the initialization scored on the training and validation rows, a forward pass
  before training, and ends with ``final``, the kept parameters scored the same way; the
  default False skips both passes, as scikit-learn does: ``history_.initial`` is None
  and ``history_.final`` empty; ``loss_curve_`` never holds epoch 0),
  ``MLPRegressor(standardize_target=True)`` (the default: train on standardized targets,
  predict and report losses in their units; see
  :class:`~glassnet.sklearn.regressor.MLPRegressor`), :meth:`hidden_activations`,
  :meth:`save` and :meth:`from_model`. Constructor arguments are stored in the model file
  exactly; one that would need pickle (a ``RandomState``, a callable) is refused by
  :meth:`save`.
"""

from __future__ import annotations

from glassnet.sklearn.classifier import MLPClassifier
from glassnet.sklearn.regressor import MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor"]
