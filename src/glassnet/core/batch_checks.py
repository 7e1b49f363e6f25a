"""What the network checks of a batch before it computes: every failure a clear message.

:meth:`glassnet.core.network.Network.check_inputs` runs these: parameters that fit the
layers, ``X (N, D)``, ``T (N, C)`` and ``sample_weight (N,)`` of the network's shapes with
finite values (any array of the array API), and parameters without NaN or infinity
(:func:`check_finite_params`). Each raises :class:`~glassnet.core.validation.DataError` (a
``ValueError``; :class:`~glassnet.core.validation.NonFinite` for NaN and infinity), except
a parameter list that does not fit the layers (a plain ``ValueError``: the caller's
mistake, not the data's).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.core._backend import namespace
from glassnet.core._types import ParamList
from glassnet.core.layers import Dense
from glassnet.core.validation import (
    DataError,
    NonFinite,
    check_finite,
    check_kind,
    finite_sum,
    reshape_hint,
)
from glassnet.core.wording import counted


def check_params(layers: Sequence[Dense], params: ParamList) -> None:
    """One ``{"W" (n_in, n_out), "b" (1, n_out)}`` dict per layer (or a population's
    ``(K, ...)`` stacks of them, :mod:`glassnet.core.population`)."""
    if len(params) != len(layers):
        raise ValueError(f"expected parameters for {len(layers)} layers, got {len(params)}")
    for i, (layer, p) in enumerate(zip(layers, params, strict=True)):
        W, b = p.get("W"), p.get("b")
        want = ((layer.n_in, layer.n_out), (1, layer.n_out))
        if W is None or b is None or not _fits(tuple(W.shape), tuple(b.shape), want):
            got = tuple(getattr(v, "shape", None) for v in (W, b))
            raise ValueError(f"layer {i + 1} needs W {want[0]} and b {want[1]}, got {got}")


def check_finite_params(params: ParamList) -> None:
    """Raise :class:`~glassnet.core.validation.NonFinite` naming the layer, the parameter
    and the element of the first NaN or infinity in ``params`` (a damaged file, a diverged
    run): "layer 1's W[0, 3] is NaN". Without it a NaN weight makes every prediction class
    0 and every loss NaN. Parameters are scanned by their sum (no temporary array) and only
    a sum that is not finite is searched element by element."""
    with np.errstate(over="ignore", invalid="ignore"):  # a huge sum is searched below
        bad = [(i, n) for i, p in enumerate(params) for n in ("W", "b") if not _finite(p[n])]
    if not bad:
        return
    i, name = bad[0]
    A = np.asarray(params[i][name])
    index = tuple(int(j) for j in np.argwhere(~np.isfinite(A))[0])
    value = float(A[index])
    text = "NaN" if value != value else ("inf" if value > 0 else "-inf")
    member = f"member {index[0]}: " if A.ndim == 3 else ""
    where = ", ".join(str(j) for j in index[A.ndim - 2 :])
    raise NonFinite(
        f"the parameters hold a non-finite value: {member}layer {i + 1}'s {name}[{where}] "
        f"is {text} (a damaged model file or a diverged run)"
    )


_add = np.add.reduce  # np.sum without its Python wrapper (tiny networks: half the time)


def _finite(A: Any) -> bool:
    if isinstance(A, np.ndarray):
        if A.dtype.kind != "f" or math.isfinite(_add(A, axis=None)):
            return True
        return bool(np.isfinite(A).all())  # the sum overflowed, or there is a NaN or inf
    xp = namespace(A)
    return bool(xp.all(xp.isfinite(A)))


def _fits(W: tuple[int, ...], b: tuple[int, ...], want: tuple[tuple[int, ...], ...]) -> bool:
    """``W``, ``b`` shaped as ``want``, or stacked members of it: ``(K, ...)`` both
    (a population, :mod:`glassnet.core.population`)."""
    members = W[:-2]
    return (W[-2:], b[-2:]) == want and b[:-2] == members and len(members) <= 1


def check_batch(X: Any, n_features: int, where: str = "X") -> None:
    """A batch the network can take: 2-D ``(N, n_features)``, real, finite (any array type
    of the array API; the scan runs in ``X``'s own namespace, the row and column of a bad
    value are found only when there is one)."""
    _check_is_array(X, where)
    shape = tuple(X.shape)
    if len(shape) != 2:
        hint = reshape_hint(shape, n_features).replace("X.", f"{where}.")
        raise DataError(f"{where} must be 2-D (samples, features), got shape {shape}{hint}")
    if shape[1] != n_features:
        raise DataError(
            f"{where} has {counted(shape[1], 'feature')} (columns), the network takes {n_features}"
        )
    if shape[0] == 0:
        raise DataError(f"{where} has no data (shape {shape}): need at least one sample")
    _check_finite_any(X, where)


def _check_is_array(X: Any, where: str) -> None:
    """An array (NumPy's or the array API's), not a list or another sequence."""
    if not hasattr(X, "shape"):
        raise DataError(
            f"{where} must be an array, got {type(X).__name__}; use np.asarray({where}, "
            "dtype=float) first"
        )


def check_target_batch(T: Any, n_samples: int, n_outputs: int, where: str = "T") -> None:
    """Targets ``T (n_samples, n_outputs)``, finite."""
    _check_is_array(T, where)
    shape = tuple(T.shape)
    if shape != (n_samples, n_outputs):
        raise DataError(
            f"{where} must have shape ({n_samples}, {n_outputs}) (one row per sample, one "
            f"column per output unit), got {shape}"
        )
    _check_finite_any(T, where)


def check_sample_weight(w: Any, n_samples: int, where: str = "sample_weight") -> None:
    """Weights ``(n_samples,)``, finite and non-negative."""
    shape = tuple(getattr(w, "shape", ()))
    if shape != (n_samples,):
        raise DataError(f"{where} must have shape ({n_samples},), got {shape}")
    _check_finite_any(w, where)
    if bool(np.any(np.asarray(w) < 0)):
        raise DataError(f"{where} holds negative values")


def _check_numbers(A: np.ndarray, where: str) -> None:
    """Numbers only (the checks of :func:`~glassnet.core.validation.as_features`, which
    here cannot convert): dates, byte strings, records, complex numbers, text and object
    arrays (which NumPy's math functions do not take, numbers or not) are refused."""
    check_kind(A, where)
    if A.dtype.kind not in "fiub":
        try:
            np.asarray(A, dtype=np.float64)
            what = "values of a non-numeric dtype"
        except (TypeError, ValueError):
            what = "non-numeric values"
        raise DataError(
            f"{where} holds {what} (dtype {A.dtype}); glassnet needs real numbers"
            + (" (convert with astype(float))" if what.startswith("values") else "")
        )


def _check_finite_any(A: Any, where: str) -> None:
    if isinstance(A, np.ndarray):
        _check_numbers(A, where)
        if A.dtype.kind == "f" and not finite_sum(A):
            check_finite(A, where)  # finds and names the row and column
        return
    xp = namespace(A)
    if not bool(xp.all(xp.isfinite(A))):
        check_finite(np.asarray(A), where)
