"""``solver="lbfgs"``: the whole-batch loss minimized by ``scipy.optimize.minimize``
(L-BFGS-B, Nocedal and Wright, *Numerical Optimization*, ch. 7), as scikit-learn's MLP does.

scipy runs its own loop and line search; glassnet gives it the one seam,
``net.loss_and_grad(params, X, T, sample_weight)`` plus the L2 term
``alpha / (2 S) * sum ||W||^2`` (:func:`glassnet.core.regularization.l2_penalty`), on the
parameters flattened into one float64 vector. Each L-BFGS iteration is recorded as an
epoch of the same :class:`~glassnet.train.history.History` the minibatch loop writes
(``loss``: the objective with the penalty, epoch 0's too; validation scores when
``val_rows`` are given).
Options as scikit-learn's: ``maxiter = config.epochs``, ``maxfun = max_fun``,
``gtol = config.min_delta``; scipy's ``ftol`` is relative to the objective. On standardized
targets (``MLPRegressor``'s default, the CLI's) both tolerances are thus unit-free, and the
targets themselves are the same numbers in any units
(:func:`glassnet.data.preprocessing.scaled_targets`): a run on ``y * 1e6`` is the run on
``y``. Importing this module does not import scipy; calling :func:`fit_lbfgs` does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import EmptyState
from glassnet.core.regularization import l2_penalty
from glassnet.data.batching import evaluate_columns, read_rows, targets_for
from glassnet.train.epochs import epoch_penalty
from glassnet.train.history import EpochRecord, History, initial_record
from glassnet.train.inputs import checked_data, checked_params, checked_weights
from glassnet.train.state import Callback, TrainConfig, TrainResult


def _flat(tree: ParamList) -> Array:
    return np.concatenate([np.ravel(p[k]).astype(np.float64) for p in tree for k in ("W", "b")])


def _tree(theta: Array, like: ParamList) -> ParamList:
    out, at = [], 0
    for p in like:
        layer = {}
        for k in ("W", "b"):
            layer[k] = theta[at : at + p[k].size].reshape(p[k].shape)
            at += p[k].size
        out.append(layer)
    return out


def fit_lbfgs(
    net: Network,
    params: ParamList,
    X: Any,
    y: Any,
    config: TrainConfig,
    *,
    sample_weight: Any = None,
    train_rows: Array | None = None,
    val_rows: Array | None = None,
    callbacks: Sequence[Callback] = (),
    max_fun: int = 15000,
) -> TrainResult:
    """Minimize the training loss over all ``train_rows`` at once; see the module docstring.

    Returns the final parameters (in ``config.dtype``) and one record per iteration;
    ``stop_reason`` (:data:`glassnet.train.history.STOP_REASONS`) is ``"converged"``
    (scipy's tolerance met), ``"completed"`` (every iteration of ``config.epochs`` ran)
    or ``"max_fun"`` (the budget of function evaluations spent).
    Raises ``ImportError`` without scipy.
    """
    from scipy.optimize import minimize

    X, y = checked_data(net, X, y, "X", "y")
    checked_params(net, params)
    rows = np.arange(X.shape[0]) if train_rows is None else np.asarray(train_rows)
    objective = _objective(net, params, X, y, rows, sample_weight=sample_weight, config=config)
    validation = None if val_rows is None else (X, y, val_rows)
    initial = None
    if config.score_initial:  # epoch 0, the initialization
        w = None if sample_weight is None else checked_weights(sample_weight, len(X))
        penalty = epoch_penalty(net, params, config, None if w is None else w[rows], len(rows),
                                len(rows))  # one batch: the objective's penalty  # fmt: skip
        initial = initial_record(net, params, (X, y, rows), validation, accuracy=False,
                                 penalty=penalty)  # fmt: skip
    history = History(initial=initial)
    record = _Recorder(net, params, validation, callbacks, history)
    options = {"maxiter": config.epochs, "maxfun": max_fun, "gtol": config.min_delta}
    with np.errstate(under="ignore"):
        res = minimize(objective, _flat(params), jac=True, method="L-BFGS-B", options=options,
                       callback=record)  # fmt: skip
    history.best_epoch = len(history.records)
    history.stop_reason = _reason(res, config.epochs)
    kept = [{k: v.astype(config.dtype) for k, v in p.items()} for p in _tree(res.x, params)]
    return TrainResult(kept, history, EmptyState())


def _objective(
    net: Network, like: ParamList, X: Any, y: Any, rows: Array, sample_weight: Any,
    config: TrainConfig,
) -> Callable[[Array], tuple[float, Array]]:  # fmt: skip
    """``theta -> (loss + penalty, gradient)`` on the whole batch of ``rows``, in float64:
    the seam plus the L2 term ``(weight_decay + alpha / S) / 2 * sum ||W||^2``."""
    w_all = checked_weights(sample_weight, X.shape[0])
    Xt = np.asarray(read_rows(X, rows), dtype=np.float64)  # (N, D)
    T = targets_for(net, np.asarray(y)[rows], np.float64)  # (N, C)
    w = None if w_all is None else w_all[rows]
    S = 1.0 if net.head.reduction == "sum" else float(len(rows) if w is None else np.sum(w))
    scale = config.weight_decay + config.alpha / S

    def objective(theta: Array) -> tuple[float, Array]:
        p = _tree(theta, like)
        loss, grads = net._loss_and_grad(p, Xt, T, sample_weight=w)  # checked once, above
        penalty, grads = l2_penalty(p, grads, scale)
        return float(loss) + penalty, _flat(grads)

    return objective


class _Recorder:
    """scipy's callback: each iteration an epoch of ``history`` (validation scores when
    there are validation rows); a callback that returns True stops the run."""

    def __init__(
        self, net: Network, like: ParamList, validation: tuple[Any, Any, Array] | None,
        callbacks: Sequence[Callback], history: History,
    ) -> None:  # fmt: skip
        self.net, self.like, self.validation = net, like, validation
        self.callbacks, self.history = callbacks, history
        self.t0 = time.perf_counter()

    def __call__(self, intermediate_result: Any) -> None:
        val_loss = val_acc = columns = None
        if self.validation is not None:  # (a regressor's per-column losses: the same pass)
            params = _tree(intermediate_result.x, self.like)
            (val_loss, val_acc), columns = evaluate_columns(self.net, params, *self.validation)
        record = EpochRecord(
            epoch=len(self.history.records) + 1, loss=float(intermediate_result.fun),
            val_loss=val_loss, accuracy=None, val_accuracy=val_acc, learning_rate=float("nan"),
            seconds=time.perf_counter() - self.t0,
            val_losses=None if columns is None else tuple(columns.tolist()),
        )  # fmt: skip
        self.history.records.append(record)
        self.t0 = time.perf_counter()
        if any([cb(record) is True for cb in self.callbacks]):
            raise StopIteration


def _reason(res: Any, max_iter: int) -> str:
    """How scipy's run ended, in the record's words (``history.STOP_REASONS``)."""
    if res.nit >= max_iter:
        return "completed"  # every iteration ran, as a loop that ran every epoch
    message = str(res.message)
    return "max_fun" if "EVALUATIONS EXCEEDS" in message.upper() else "converged"
