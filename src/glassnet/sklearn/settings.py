"""scikit-learn's MLP hyperparameters, checked with scikit-learn's own ranges and turned into
glassnet's values: the optimizer, the learning-rate schedule, the stopping rule.

Every constructor parameter of :class:`sklearn.neural_network.MLPClassifier` and
``MLPRegressor`` is accepted with its meaning; :data:`CONSTRAINTS` is scikit-learn's table
(``_parameter_constraints``) plus glassnet's extras, so an out-of-range value is refused
with scikit-learn's message naming the parameter. Values scikit-learn takes but that have no
meaning here are refused with a clear message (``alpha=inf``).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from sklearn.neural_network import MLPClassifier as _SkMLP
from sklearn.utils._param_validation import (
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)

from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov, Optimizer
from glassnet.core.schedules import SCHEDULES, Adaptive, Constant, InverseScaling, Schedule
from glassnet.train.divergence import DIVERGED_ADVICE, INPUTS_ADVICE  # the loop's words
from glassnet.train.history import EpochRecord

CONSTRAINTS: dict[str, list[Any]] = {
    **_SkMLP._parameter_constraints,
    "solver": [StrOptions({"adam", "sgd", "lbfgs"})],
    "loss": [StrOptions({"squared_error", "poisson"})],  # MLPRegressor's
    "loss_reduction": [StrOptions({"mean", "sum"})],
    "schedule": [None, StrOptions(set(SCHEDULES)), *{type(s()) for s in SCHEDULES.values()}],
    "dtype": [None, StrOptions({"float32", "float64"}), type],
    "standardize": ["boolean"],
    "standardize_target": ["boolean"],  # MLPRegressor's
    "score_initial": ["boolean"],
}
_LOSSES = ("squared_error", "poisson")
PORTED_LOSS = (
    "(scikit-learn 1.9's MLPRegressor takes loss first, glassnet's takes hidden_layer_sizes "
    "first and loss by keyword only: give loss=... by keyword)"
)
MIN_LEARNING_RATE = 1e-6  # scikit-learn's "adaptive" stops below this


def check_settings(est: Any) -> None:
    """Raise ``ValueError`` (scikit-learn's ``InvalidParameterError``) naming the first
    setting of ``est`` out of its range.

    Settings once found valid are remembered (by the type and value of every parameter,
    when all are hashable; at most ``_REMEMBERED`` of them), so refitting with the same
    settings skips the checks: they depend on nothing else."""
    cls: Any = type(est)
    params = {name: getattr(est, name) for name in _param_names(cls)}
    key = _settings_key(params)
    if key is not None and key in _VALID:
        return
    _check(est, params)
    if key is not None:
        if len(_VALID) >= _REMEMBERED:
            _VALID.clear()
        _VALID.add(key)


_REMEMBERED = 256
_VALID: set[Any] = set()  # settings that passed _check


@functools.cache
def _param_names(cls: Any) -> tuple[str, ...]:
    """The constructor's parameter names (what ``get_params(deep=False)`` reads; scikit-learn
    inspects the signature at every call)."""
    return tuple(cls._get_param_names())


def _settings_key(params: dict[str, Any]) -> Any:
    """``params`` as a hashable key that tells ``1`` from ``1.0`` and ``True`` (the type
    of every value, inside tuples too); None when a value is not hashable."""

    def typed(value: Any) -> Any:
        if type(value) is tuple:
            return tuple, tuple(typed(v) for v in value)
        return type(value), value

    key = tuple((name, typed(value)) for name, value in params.items())
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _check(est: Any, params: dict[str, Any]) -> None:
    try:
        validate_parameter_constraints(CONSTRAINTS, params, caller_name=type(est).__name__)
    except InvalidParameterError as e:
        sizes = params["hidden_layer_sizes"]
        if "loss" in params and isinstance(sizes, str) and sizes in _LOSSES:
            raise InvalidParameterError(f"{e} {PORTED_LOSS}") from None
        raise
    if getattr(est, "loss", "squared_error") != "squared_error":
        raise ValueError(
            f"loss={est.loss!r} is not available in glassnet: its regressor trains the squared "
            "error (identity output); use loss='squared_error'"
        )
    if not math.isfinite(float(est.alpha)):
        raise ValueError(f"alpha must be finite (an L2 penalty), got {est.alpha!r}")
    if est.dtype not in (None, "float32", "float64", np.float32, np.float64):
        raise ValueError(f"dtype must be None, 'float32' or 'float64', got {est.dtype!r}")
    if est.solver == "sgd" and float(est.momentum) >= 1:  # the core's Momentum: [0, 1)
        raise ValueError(
            f"The 'momentum' parameter of {type(est).__name__} is {est.momentum!r}: glassnet's "
            "momentum SGD needs it below 1 (at 1 past gradients never fade; scikit-learn "
            "takes 1.0, glassnet does not): use e.g. 0.99"
        )
    if est.schedule is not None and est.learning_rate != "constant":
        raise ValueError(
            f"give either learning_rate={est.learning_rate!r} (scikit-learn's) or schedule="
            f"{est.schedule!r} (glassnet's), not both"
        )



def diverged_message(est: Any, message: str, params: Any, batch: int) -> str:
    """The loop's :class:`~glassnet.train.loop.TrainingDiverged` message with its advice
    in the estimator's own parameters: ``learning_rate_init`` (its value), and ``alpha``
    too when the L2 penalty alone explains the blow-up: ``alpha * sum ||W||^2`` at the
    kept parameters ``params`` overflows (``sum ||W||^2`` itself does not), or (SGD, with
    ``alpha >= 1``: a penalty that outweighs the data) its step ``learning_rate_init *
    alpha / batch`` (``batch``: the minibatch size) is at least 2, which makes the weights
    oscillate with a growing amplitude."""
    lr, alpha = float(est.learning_rate_init), float(est.alpha)
    with np.errstate(over="ignore"):  # weights near the float range: inf, no alpha to blame
        squares = sum(float(np.sum(np.square(p["W"], dtype=np.float64))) for p in params)
    advice = f"try a smaller learning_rate_init (now {lr:g})"
    overflows = math.isfinite(squares) and not math.isfinite(alpha * squares)
    oscillates = est.solver == "sgd" and alpha >= 1 and lr * alpha / batch >= 2
    if overflows or oscillates:
        advice += f" or alpha (now {alpha:g}, a strong L2 penalty)"
    if DIVERGED_ADVICE in message:
        message = message.replace(DIVERGED_ADVICE, advice)
    elif INPUTS_ADVICE not in message:  # (the inputs alone named: the rate cannot help)
        message = f"{message}; {advice}"
    return message.replace(INPUTS_ADVICE, "scale the inputs (standardize=True)")


def patience(est: Any) -> int | None:
    """The loop's patience for ``n_iter_no_change`` (``np.inf``: never stop early). Training
    stops when the no-improvement count *exceeds* ``n_iter_no_change``; with the
    ``adaptive`` schedule the count lowers the rate instead (see :class:`AdaptiveStop`)."""
    if math.isinf(est.n_iter_no_change) or uses_adaptive(est):
        return None
    return int(est.n_iter_no_change) + 1


def uses_adaptive(est: Any) -> bool:
    return bool(est.solver == "sgd" and est.learning_rate == "adaptive")


def optimizer(est: Any) -> Optimizer:
    """Adam with ``beta_1, beta_2, epsilon``, or SGD with ``momentum`` (Nesterov's with
    ``nesterovs_momentum``), at ``learning_rate_init``; plain SGD for ``lbfgs``, which
    steps by its own line search (its ``momentum``, unused, is not checked)."""
    lr = float(est.learning_rate_init)
    if est.solver == "adam":
        return Adam(lr, float(est.beta_1), float(est.beta_2), float(est.epsilon))
    if est.momentum == 0 or est.solver == "lbfgs":
        return SGD(lr)
    cls = Nesterov if est.nesterovs_momentum else Momentum
    return cls(lr, float(est.momentum))


def schedule(est: Any, n_train: int) -> Schedule:
    """glassnet's ``schedule`` when given; else scikit-learn's ``learning_rate``, which (as in
    scikit-learn) applies to ``solver="sgd"`` only: ``invscaling`` is
    ``lr0 / (t + 1) ** power_t`` with ``t`` the samples seen, set after every epoch;
    ``adaptive`` divides the rate by 5 where scikit-learn would stop early."""
    if est.schedule is not None:
        return SCHEDULES[est.schedule]() if isinstance(est.schedule, str) else est.schedule
    if est.solver != "sgd" or est.learning_rate == "constant":
        return Constant()
    if est.learning_rate == "invscaling":
        return InverseScaling(power=float(est.power_t), per=n_train)
    return Adaptive(patience=_count(est), tol=float(est.tol))


def _count(est: Any) -> int:
    return 10**9 if math.isinf(est.n_iter_no_change) else int(est.n_iter_no_change)


class AdaptiveStop:
    """scikit-learn's end of an ``adaptive`` run, as a training callback: the same
    no-improvement count as :class:`~glassnet.core.schedules.Adaptive`; when it runs out
    while the epoch's rate was already at most 1e-6, training stops."""

    def __init__(self, n_iter_no_change: int, tol: float, validated: bool) -> None:
        self.limit, self.tol, self.validated = n_iter_no_change, tol, validated
        self.best, self.count = math.inf, 0
        self.fired = False  # it stopped the run: "learning rate too small"

    def __call__(self, record: EpochRecord) -> bool:
        watched = record.val_loss if self.validated and record.val_loss is not None else None
        loss = record.loss if watched is None else watched
        self.count = self.count + 1 if loss > self.best - self.tol else 0
        self.best = min(self.best, loss)
        if self.count <= self.limit:
            return False
        self.count = 0
        self.fired = record.learning_rate <= MIN_LEARNING_RATE
        return self.fired


def adaptive_stop(est: Any, validated: bool) -> AdaptiveStop:
    return AdaptiveStop(_count(est), float(est.tol), validated)
