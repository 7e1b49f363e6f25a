"""The checks every training run makes of its inputs, and the state it starts from."""

from __future__ import annotations

import functools
import math
import threading
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.batch_checks import check_finite_params, check_params
from glassnet.core.losses import LogisticBinaryCrossEntropy, SoftmaxCrossEntropy
from glassnet.core.network import Network
from glassnet.core.optimizers import Optimizer, OptState
from glassnet.core.target_checks import check_output_columns, check_unit_interval
from glassnet.core.validation import (
    DataError,
    as_features,
    as_targets,
    check_codes,
    check_is_array,
)
from glassnet.core.wording import counted
from glassnet.core.workspace import Workspace
from glassnet.train.history import History
from glassnet.train.state import LoopState, TrainConfig


def checked_data(net: Network, X: Any, y: Any, xname: str, yname: str) -> tuple[Any, Array]:
    """Validated features and targets that fit the network's input and output (checked
    here, once per fit: the steps call the unchecked seam).

    ``X`` and ``y`` are arrays (a list is refused as :meth:`Network.predict` refuses it);
    ``y`` holds class codes ``(N,)`` for a softmax output (a one-hot matrix is refused,
    naming the fix), one column per output unit otherwise, in ``[0, 1]`` for a logistic
    one. Raises :class:`~glassnet.core.validation.DataError`."""
    check_is_array(X, xname)
    check_is_array(y, yname)
    X = as_features(X, xname)
    if X.shape[1] != net.sizes[0]:
        has = counted(X.shape[1], "feature")
        raise DataError(f"{xname} has {has}, the network takes {net.sizes[0]}")
    y = as_targets(y, X.shape[0], yname)
    if isinstance(net.head, SoftmaxCrossEntropy):
        check_codes(y, net.sizes[-1], yname)
        return X, y
    check_output_columns(y, net.sizes[-1], yname)
    if isinstance(net.head, LogisticBinaryCrossEntropy) and y.dtype.kind in "fiub":
        check_unit_interval(y, yname)
    return X, y


def checked_params(net: Network, params: ParamList) -> None:
    """Parameters that fit the layers, without NaN or infinity (named by layer, parameter
    and element: :func:`glassnet.core.batch_checks.check_finite_params`)."""
    check_params(net.layers, params)
    check_finite_params(params)


def checked_rows(train_rows: Array | None, n: int) -> Array:
    """The training rows: all ``n`` rows when not given; at least one."""
    rows = np.arange(n) if train_rows is None else np.asarray(train_rows)
    if len(rows) == 0:
        raise ValueError("no training samples")
    return rows


Validation = tuple[Any, Any, Array | None]  # X, y and the rows scored (None: no validation)


def validation_set(
    net: Network, X: Any, y: Array, val_rows: Array | None, validation: tuple[Any, Any] | None
) -> Validation:
    """The validation set: ``val_rows`` of ``(X, y)``, or ``validation=(X_val, y_val)``."""
    if validation is not None and val_rows is not None:
        raise ValueError("give the validation set as val_rows or as validation, not both")
    if validation is None:
        return X, y, val_rows
    Xv, yv = checked_data(net, *validation, "X_val", "y_val")
    return Xv, yv, np.arange(Xv.shape[0])


def checked_weights(sample_weight: Any, n: int) -> Array | None:
    """Sample weights as a float64 (N,) array of finite, non-negative values, or None (an
    array, as ``X`` and ``y``: a list is refused as ``loss_and_grad`` refuses it)."""
    if sample_weight is None:
        return None
    check_is_array(sample_weight, "sample_weight")
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.shape != (n,):
        raise DataError(f"sample_weight has shape {w.shape}; expected ({n},)")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise DataError("sample_weight must hold finite, non-negative values")
    return w


def workspace_for(net: Network, cfg: TrainConfig, batch_size: int) -> Workspace | None:
    """Buffers for :mod:`glassnet.core.fast` for a plain :class:`Network` and one of the
    four optimizers (anything else takes the pure step): one a finished run gave back
    (:func:`give_back`) for an equal network, batch size and dtype, else a new one."""
    if type(net) is Network and isinstance(cfg.optimizer, Optimizer):
        with _FREE_LOCK:
            ws = _FREE.pop((net, batch_size, np.dtype(cfg.dtype)), None)
        return ws if ws is not None else Workspace(net, batch_size, cfg.dtype)
    return None


def give_back(ws: Workspace | None) -> None:
    """Keep a small workspace for the next run of an equal network, batch size and dtype,
    with its compiled steps (compiling costs a tiny network's fit about 40 of its 300
    epochs). Call it only when nothing refers to ``ws``'s buffers any more: after a run
    whose results were copied out of them (:func:`glassnet.train.loop.fit`). At most
    ``FREE_WORKSPACES`` are kept, each of at most ``FREE_BYTES``."""
    if ws is None or ws.members is not None:
        return
    numbers = 5 * ws.net.n_params + 3 * ws.batch_size * sum(ws.net.sizes)  # about
    if numbers * ws.dtype.itemsize > FREE_BYTES:
        return
    with _FREE_LOCK:
        if len(_FREE) >= FREE_WORKSPACES:
            del _FREE[next(iter(_FREE))]  # the one given back longest ago
        _FREE[(ws.net, ws.batch_size, ws.dtype)] = ws


FREE_WORKSPACES = 8
FREE_BYTES = 1 << 20
_FREE: dict[tuple[Network, int, np.dtype[Any]], Workspace] = {}  # given back, not in use
_FREE_LOCK = threading.Lock()  # (fits may run in threads)


def initial_state(cfg: TrainConfig, params: ParamList, opt_state: OptState | None) -> LoopState:
    params = [{k: np.asarray(v, dtype=cfg.dtype) for k, v in p.items()} for p in params]
    state = cfg.optimizer.init(params) if opt_state is None else opt_state
    rng_state = seeded_state(cfg.seed)
    schedule = cfg.schedule.init(cfg.optimizer.learning_rate)
    return LoopState(0, params, state, schedule, rng_state, params, math.inf, 0, History())


def seeded_state(seed: Any) -> dict[str, Any]:
    """``np.random.default_rng(seed).bit_generator.state`` (a new dict; for an int seed
    computed once)."""
    if type(seed) is not int:
        return dict(np.random.default_rng(seed).bit_generator.state)
    state = _int_seeded(seed)
    return {**state, "state": dict(state["state"])}


@functools.lru_cache(maxsize=256)
def _int_seeded(seed: int) -> dict[str, Any]:
    return dict(np.random.default_rng(seed).bit_generator.state)
