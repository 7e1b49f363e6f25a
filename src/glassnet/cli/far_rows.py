"""Rows too far outside a model's training data to score, refused naming where they are.

A saved model standardizes each feature as in training, ``z = (x - mean) / scale``, then
runs its network. A value such as ``1e308`` makes ``z`` overflow (glassnet's check then
blamed ``X has a non-finite value inf at row 0``, a value the file does not hold), or
makes the network's output overflow (NumPy's warnings, then ``nan`` probabilities and a
label picked from them). :func:`check_reach` refuses such a row before it is scored, with
one line naming the file's row, the column, the value and how far it lies from the
training data, as a cell that holds ``inf`` is refused.

The output is bounded without a second pass over every row: with ``|act(u)| <= |u| + 1``
(ReLU, tanh, logistic, identity), ``|h_{l+1}| <= g_l (|h_l| + 1) + beta_l`` where ``g_l``
is the largest column sum of ``|W_l|`` and ``beta_l`` the largest ``|b_l|``; only rows
whose bound nears the largest float of the parameters' type are run through the network
again, to see whether their output is finite.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from glassnet.core._types import Array
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model


def check_reach(model: Model, X: Array, locate: Callable[[int], str], path: str) -> None:
    """Raise :class:`DataError` for the first row of ``X (B, D)`` (the encoded features of
    a block of ``path``; ``locate(i)`` says where row ``i`` is in the file) whose
    standardized features or network output are not finite numbers. ``X`` of another
    feature count than the model's is left to the caller's check (which names both)."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != model.n_features:
        return  # the caller's check names the feature count
    dtype = model.params[0]["W"].dtype
    limit = 1e-6 * float(np.finfo(dtype).max)
    with np.errstate(all="ignore"):
        Z = model.inputs(X)
        bad = ~np.isfinite(Z) & np.isfinite(X)
        if bad.any():
            i, j = map(int, np.argwhere(bad)[0])
            raise DataError(f"{path}: {locate(i)}, {_column(model, j)}: {X[i, j]:.6g} is too "
                            f"far outside the model's training data to score: {_scaled(model, j)}"
                            f" it is beyond the largest {dtype} number; leave the row out or "
                            "fix the value")  # fmt: skip
        a, c = _gain(model)
        far = np.flatnonzero(a * np.max(np.abs(Z), axis=1, initial=0.0) + c > limit)
        if not len(far):
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Y = model.output(Z[far])
    broken = far[~np.all(np.isfinite(Y) & (np.abs(Y) < limit), axis=1)]
    if len(broken):
        i = int(broken[0])
        j = int(np.argmax(np.abs(Z[i])))
        raise DataError(f"{path}: {locate(i)}: the network's output overflows for this row: "
                        f"{_column(model, j)} = {X[i, j]:.6g} is {abs(Z[i, j]):.3g} training "
                        "standard deviations from the training mean, too far outside the "
                        "model's training data to score; leave the row out or fix the "
                        "value")  # fmt: skip


def _gain(model: Model) -> tuple[float, float]:
    """``(a, c)`` with ``max |output| <= a * max |z| + c`` for every row (the module's
    bound; for an ensemble, the largest of its members')."""
    a, c = 1.0, 0.0
    with np.errstate(over="ignore"):
        for layer, p in enumerate(model.params):
            g = float(np.max(np.sum(np.abs(p["W"]), axis=-2)))
            beta = float(np.max(np.abs(p["b"])))
            extra = 1.0 if layer else 0.0  # the activation's +1, after the first layer
            a, c = g * a, g * (c + extra) + beta
    return a, c


def _column(model: Model, j: int) -> str:
    names = model.encoding.feature_names() if model.encoding is not None else model.feature_names
    return f"column {names[j]!r}" if j < len(names) else f"feature {j + 1}"


def _scaled(model: Model, j: int) -> str:
    if model.scaler is None:
        return "as the network's input"
    mean, scale = float(model.scaler.mean[j]), float(model.scaler.scale[j])
    return f"standardized as in training ((x - {mean:.4g}) / {scale:.4g}),"
