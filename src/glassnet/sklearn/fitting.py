"""How :class:`~glassnet.sklearn.estimator_base.BaseMLP` trains: from validated data to the
fitted attributes of scikit-learn's MLP.

:func:`fit_estimator` validates the data, starts the network (first fit) or continues it
(``warm_start``, ``partial_fit``), and runs :func:`glassnet.train.loop.fit` (or
:func:`glassnet.train.lbfgs.fit_lbfgs`) with the sample weights, scikit-learn's L2 penalty
and stopping rule (:mod:`glassnet.sklearn.settings`);
:func:`~glassnet.sklearn.fit_record.record` turns the run's history into ``loss_curve_``,
``validation_loss_curve_``, ``best_loss_`` and ``n_iter_``.
As in scikit-learn, ``n_iter_`` counts the epochs of the last ``fit``/``partial_fit`` call
only, while ``loss_curve_``, ``validation_loss_curve_``, ``best_loss_``, ``t_`` and
``validation_scores_`` (and glassnet's ``history_``) run on across ``warm_start`` fits and
``partial_fit`` calls, until a fit starts afresh.
"""

from __future__ import annotations

import functools
import numbers
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight

from glassnet.core._types import Array
from glassnet.core.network import Network
from glassnet.core.validation import known_finite
from glassnet.data.preprocessing import Standardizer
from glassnet.sklearn import settings
from glassnet.sklearn.fit_record import _verbose
from glassnet.sklearn.fit_record import final_scores as final_scores
from glassnet.sklearn.fit_record import record as record
from glassnet.sklearn.fitted import record_scores
from glassnet.sklearn.initialization import initial_params
from glassnet.sklearn.validation_split import split_rows as split_rows
from glassnet.sklearn.validation_split import stops_early as stops_early
from glassnet.train.history import LEARNING_RATE_TOO_SMALL, History
from glassnet.train.lbfgs import fit_lbfgs
from glassnet.train.loop import TrainConfig, TrainingDiverged, TrainingInterrupted, fit
from glassnet.train.state import TrainResult

if TYPE_CHECKING:
    from glassnet.sklearn.estimator_base import BaseMLP


def fit_estimator(
    est: BaseMLP, X: Any, y: Any, sample_weight: Any, incremental: bool, classes: Any
) -> None:
    """Fit ``est`` on ``(X, y)``: from scratch, or one epoch on (``incremental``) or from
    (``warm_start``) the current parameters. Raises :class:`TrainingDiverged` after
    keeping the last finite parameters."""
    est._check_params()
    if incremental and stops_early(est):
        warnings.warn(  # scikit-learn's MLP raises ValueError; glassnet's always went on
            f"{type(est).__name__}.partial_fit ignores early_stopping=True: it trains one "
            "epoch on every row given and validates none (scikit-learn's MLP refuses "
            "partial_fit with early_stopping=True)", UserWarning, stacklevel=4,
        )  # fmt: skip
    first = not hasattr(est, "coefs_") or not (est.warm_start or incremental)
    if first:  # the names of y's columns (a DataFrame's, a Series'), for the model file
        est._target_names = target_names_of(y)
    X, y = est._validate(X, y, reset=first)
    dtype = est._train_dtype(X) if first else est.coefs_[0].dtype  # continue as fitted
    w = None if sample_weight is None else _check_sample_weight(sample_weight, X, dtype=np.float64)
    codes, n_out = est._targets(y, first, classes)
    est._check_weighted_targets(codes, w)
    codes = est._scaled_targets(codes, w, first)
    seed = run_seed(est.random_state)
    train_rows, val_rows = split_rows(est, len(codes), codes, seed, incremental)  # may refuse
    if first:
        start(est, X, n_out, dtype, seed, w)
    Xs = est.scaler_.transform(X, dtype) if est.scaler_ is not None else X
    seed_now = seed if first else seed + len(est.loss_curve_)  # a fresh shuffle when continuing
    est.n_iter_ = 0  # scikit-learn's: this call's epochs (loss_curve_, t_, history_: all)
    config = _config(est, len(train_rows), dtype, seed_now, incremental)
    callbacks: list[Any] = [_verbose(est)] if est.verbose else []
    if settings.uses_adaptive(est) and not incremental:
        callbacks.append(settings.adaptive_stop(est, val_rows is not None))
    data: dict[str, Any] = {"sample_weight": w, "train_rows": train_rows, "val_rows": val_rows}
    try:
        with known_finite(X):  # checked by _validate: the loop need not scan it again
            result = _train(est, Xs, codes, config, data, callbacks=callbacks, first=first)
    except TrainingDiverged as exc:  # keep the last finite parameters, then say so
        est._store(exc.result.params)
        record(est, exc.result.history, val_rows is not None)
        record_scores(est, exc.result.history, codes, train_rows, val_rows, first)
        params, batch = exc.result.params, config.batch_size or len(train_rows)
        message = settings.diverged_message(est, str(exc), params, batch)  # the estimator's words
        raise TrainingDiverged(message, exc.result) from None
    est._store(result.params)
    est._opt_state, est._first_loss = result.opt_state, result.first_loss
    record(est, result.history, val_rows is not None)
    record_scores(est, result.history, codes, train_rows, val_rows, first)  # t_, scores
    if any(getattr(c, "fired", False) for c in callbacks):  # scikit-learn's words for it
        est.stop_reason_ = est.history_.stop_reason = LEARNING_RATE_TOO_SMALL
    if est.score_initial:  # the whole record: a forward pass over all rows at each end
        rows = {"train": train_rows, "validation": val_rows}
        est.history_.final = final_scores(est, Xs, codes, rows)


def target_names_of(y: Any) -> tuple[str, ...] | None:
    """The names of ``y``'s columns: a DataFrame's columns, a named Series' name; None
    for anything else (an array, an unnamed Series)."""
    columns = getattr(y, "columns", None)
    if columns is not None:
        return tuple(str(c) for c in columns)
    name = getattr(y, "name", None) if hasattr(y, "to_numpy") else None
    return None if name is None else (str(name),)


def _train(
    est: BaseMLP, Xs: Array, codes: Array, config: TrainConfig, data: dict[str, Any],
    callbacks: list[Any], first: bool,
) -> TrainResult:  # fmt: skip
    """The run: the one loop, from the optimizer state of the last fit when continuing (and
    its divergence bound: the first fit's first batch sets it), or scipy's L-BFGS (its own
    loop and line search) on the same seam. Ctrl-C in the loop ends it as in scikit-learn's
    ``_fit_stochastic``: a UserWarning "Training interrupted by user." and the result of the
    completed epochs; in L-BFGS it raises KeyboardInterrupt (as scikit-learn's does)."""
    if est.solver == "lbfgs":
        return fit_lbfgs(
            est.network_, est.params_, Xs, codes, config, **data,
            callbacks=callbacks, max_fun=int(est.max_fun),
        )  # fmt: skip
    try:
        return fit(
            est.network_, est.params_, Xs, codes, config, **data,
            callbacks=callbacks, opt_state=None if first else est._opt_state,
            first_loss=None if first else getattr(est, "_first_loss", None),
        )  # fmt: skip
    except TrainingInterrupted as exc:  # scikit-learn's MLP: warn, keep the completed epochs
        warnings.warn("Training interrupted by user.", UserWarning, stacklevel=5)
        return exc.result  # (the best of them with early_stopping), stop_reason_ "interrupted"


def run_seed(random_state: Any) -> int:
    """The run's seed: the first draw of ``check_random_state(random_state)`` below
    ``2**31 - 1``, as scikit-learn's MLP draws it (for an int, the same number every time:
    drawn once)."""
    if isinstance(random_state, numbers.Integral):
        return _first_draw(int(random_state))
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@functools.lru_cache(maxsize=256)
def _first_draw(seed: int) -> int:
    return int(check_random_state(seed).randint(np.iinfo(np.int32).max))


def _config(
    est: BaseMLP, n_train: int, dtype: np.dtype[Any], seed: int, incremental: bool
) -> TrainConfig:
    return TrainConfig(
        epochs=1 if incremental else int(est.max_iter),
        batch_size=est._batch_size(n_train),
        optimizer=settings.optimizer(est),
        schedule=settings.schedule(est, n_train),
        alpha=float(est.alpha),
        patience=None if incremental else settings.patience(est),
        min_delta=float(est.tol),
        restore_best=True,  # with early_stopping's validation split only
        seed=seed,
        shuffle=bool(est.shuffle),
        dtype=dtype,
        train_metrics=False,
        score_initial=bool(est.score_initial),
    )


def start(est: BaseMLP, X: Array, n_out: int, dtype: np.dtype[Any], seed: int,
          w: Array | None) -> None:  # fmt: skip
    """A fresh network (scikit-learn's initial weights and biases:
    :mod:`glassnet.sklearn.initialization`), input scaling and empty curves on ``est``."""
    output = est._output
    sizes = [X.shape[1], *est._hidden_sizes(), n_out]
    est.network_ = Network.mlp(sizes, est.activation, output, est.loss_reduction)  # type: ignore[arg-type]
    est.scaler_ = weighted_standardizer(X, w) if est.standardize else None
    est._table_encoding = None  # the features are X's own columns now
    est._store(initial_params(sizes, est.activation, est.random_state, seed, dtype))
    est.n_layers_ = len(sizes)
    est.n_outputs_ = n_out
    est.out_activation_ = output
    est.loss_curve_ = []
    est.history_ = History()  # the run's record, epoch 0 (the initialization) first
    est.validation_loss_curve_ = [] if stops_early(est) else None
    est.n_iter_ = 0


def weighted_standardizer(X: Array, w: Array | None) -> Standardizer:
    """Weighted column means and standard deviations (1 where a column is constant)."""
    from glassnet.data.preprocessing import unit

    weights = np.ones(X.shape[0]) if w is None else w
    u = unit(np.asarray(X, dtype=np.float64))  # (D,) powers of two: any finite scale
    mean = np.average(X / u, axis=0, weights=weights).astype(np.float64)
    std = np.sqrt(np.average((X / u - mean) ** 2, axis=0, weights=weights)) * u
    return Standardizer(mean * u, np.where(std > 0, std, 1.0))
