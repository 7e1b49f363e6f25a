"""Input standardization, ``x' = (x - mean) / scale``, fitted in chunks.

The scaling is a value (:class:`Standardizer`) stored with the model and applied at
prediction. It is fitted by streaming over row blocks, so it works on arrays that do
not fit in memory (a ``numpy.memmap``, an HDF5 or zarr array) without copying them whole.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from glassnet.core._types import Array


class Standardizer(NamedTuple):
    mean: Array  # (D,)
    scale: Array  # (D,), the standard deviation, 1 where a feature is constant

    def transform(self, X: Array, dtype: Any = None) -> Array:
        """``(X - mean) / scale`` computed in float64, then cast to ``dtype`` (default: the
        input's float type). Subtracting first keeps the spread of a column whose mean is
        large (Unix timestamps: float32 would round 1.7e9 to steps of 128)."""
        dtype = dtype or np.result_type(X.dtype, np.float32)
        X = np.asarray(X, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            Z = (X - self.mean) / self.scale
        if not np.all(np.isfinite(Z) | ~np.isfinite(X)):  # x - mean beyond 1.8e308
            Z = np.where(np.isfinite(Z), Z, X / self.scale - self.mean / self.scale)
        return Z.astype(dtype, copy=False)

    def inverse(self, Xs: Array) -> Array:
        """``Xs * scale + mean`` in float64 (back in the original units)."""
        return np.asarray(Xs, dtype=np.float64) * self.scale + self.mean


def row_blocks(n: int, block: int) -> list[slice]:
    return [slice(i, min(i + block, n)) for i in range(0, n, block)]


def fit_standardizer(X: Any, rows: Array | None = None, block: int = 65536) -> Standardizer:
    """Mean and standard deviation of each column of ``X`` over ``rows`` (default: all).

    Chan et al.'s pairwise update merges block statistics, so one pass in float64 is
    accurate even when the mean is large compared with the spread. Each column is summed
    in units of a power of two at least its largest magnitude so far (:func:`unit`; exact,
    so ordinary columns get the same bits), so columns of any finite scale (1e300, 1e-300)
    neither overflow nor underflow in the squares.
    """
    n_rows = X.shape[0] if rows is None else len(rows)
    if n_rows == 0:
        raise ValueError("cannot standardize zero samples")
    count, mean, m2 = 0, np.zeros(X.shape[1]), np.zeros(X.shape[1])
    u = np.ones(X.shape[1])  # (D,) the unit of mean and sqrt(m2)
    for sl in row_blocks(n_rows, block):
        chunk = X[sl] if rows is None else X[np.sort(rows[sl])]
        chunk = np.asarray(chunk, dtype=np.float64)
        grown = np.maximum(u, unit(chunk)) if count else unit(chunk)
        with np.errstate(under="ignore"):  # old statistics in the new unit (ratio <= 1)
            ratio = u / grown if count else np.ones_like(u)
            mean, m2, u, chunk = mean * ratio, m2 * ratio**2, grown, chunk / grown
        k = chunk.shape[0]
        c_mean = chunk.mean(axis=0)
        c_m2 = ((chunk - c_mean) ** 2).sum(axis=0)
        delta = c_mean - mean
        total = count + k
        mean = mean + delta * (k / total)
        m2 = m2 + c_m2 + delta**2 * (count * k / total)
        count = total
    std = np.sqrt(m2 / count) * u
    scale = np.where(std > 0, std, 1.0)
    return Standardizer(mean * u, scale)


def unit(A: Array) -> Array:
    """``(D,)`` per column of ``A (N, D)``: the power of two ``2**e`` with ``2**e <= max|a|
    < 2**(e+1)`` (1 for a column of zeros or of non-finite values). Dividing by it is exact
    and brings every value into ``[-2, 2]``."""
    with np.errstate(invalid="ignore"):
        top = np.max(np.where(np.isfinite(A), np.abs(A), 0.0), axis=0, initial=0.0)
    _, e = np.frexp(top)
    return np.where(top > 0, np.ldexp(1.0, e - 1), 1.0)


def fit_target_scaler(
    y: Any, rows: Array | None = None, sample_weight: Array | None = None
) -> Standardizer:
    """The standardization of regression targets ``y (N, k)`` for training.

    Each column is centred on its (weighted) mean and divided by its own (weighted)
    standard deviation (1 for a constant column), as scikit-learn's ``StandardScaler``
    would (``ddof=0``), so a column of 1e9 and one of 0.01 train alike and each weighs
    the same in the loss. With one column, or columns of one scale, every loss converts
    back exactly: ``loss_in_target_units = scale**2 * loss_as_trained`` (:func:`loss_unit`);
    with columns of different scales the losses stay those of the standardized targets
    (:func:`loss_name` says which). The statistics are computed in float64, each column in
    units of a power of two (no overflow at 1e300).
    """
    Y = np.asarray(y, dtype=np.float64)
    Y = Y.reshape(len(Y), -1)
    w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if rows is not None:
        Y, w = Y[rows], None if w is None else w[rows]
    if len(Y) == 0:
        raise ValueError("cannot standardize zero samples")
    if w is None or not np.any(w > 0):
        w = np.ones(len(Y))
    u = unit(Y)  # (k,) a power of two per column: no overflow (1e300)
    Y = Y / u
    mean = np.average(Y, axis=0, weights=w)
    std = np.sqrt(np.average((Y - mean) ** 2, axis=0, weights=w)) * u
    scale = np.where((std > 0) & np.isfinite(std), std, 1.0)
    return Standardizer(mean * u, scale)


TARGET_GRID = 2.0**-32  # standardized targets are rounded to this step (of a standard deviation)


def scaled_targets(target_scaler: Standardizer, y: Any) -> Array:
    """``y (N,) or (N, k)`` standardized for training, in float64: ``(y - mean) / scale``
    rounded to a multiple of :data:`TARGET_GRID` (2**-32 standard deviations, far below
    any measurement's precision). Targets in other units (``y * 1e6``) standardize to the
    same numbers up to rounding error (1e-16), which a long run (300 L-BFGS iterations of an
    overfitting network) amplifies into a different fit; on the grid they are the same
    numbers (unless one lies within 1e-16 of a step's midpoint), so the same run follows and
    the predictions differ only by the change of units."""
    Y = np.asarray(y, dtype=np.float64)
    Z = target_scaler.transform(Y.reshape(len(Y), -1), np.float64)
    return (np.round(Z / TARGET_GRID) * TARGET_GRID).reshape(Y.shape)


LOSS_IN_UNITS = "half squared error (target units²)"
LOSS_STANDARDIZED = "half squared error averaged over the standardized target columns"
LOSS_STANDARDIZED_SCALE = (
    "half squared error of the standardized targets (their scale squared is out of float range)"
)
LOSS_SPLIT = (
    "training loss: half squared error averaged over the standardized target columns; "
    "validation and final losses: half squared error (target units²)"
)
UNIT_SCALES = (2.0**-128, 2.0**128)  # scales whose square (2**±256) converts any loss safely


def _common_scale(target_scaler: Standardizer) -> float | None:
    """The one scale of every target column, or None when the columns differ."""
    scale = np.asarray(target_scaler.scale, dtype=np.float64)
    return float(scale[0]) if np.all(scale == scale[0]) else None


def loss_unit(target_scaler: Standardizer | None) -> float:
    """The factor that turns a squared-error loss of standardized targets into the targets'
    own units: ``scale**2`` of :func:`fit_target_scaler` (1 without a scaler) when every
    column has the same scale (always with one column) and that scale lies in
    :data:`UNIT_SCALES` (about 3e-39 to 3e38, so ``loss * scale**2`` neither overflows nor
    underflows for any loss a run reports). Otherwise there is no safe single factor: 1,
    the losses stay as trained (:func:`loss_name` says so)."""
    if target_scaler is None:
        return 1.0
    s = _common_scale(target_scaler)
    if s is None or not UNIT_SCALES[0] <= s <= UNIT_SCALES[1]:
        return 1.0
    return s * s


def loss_name(target_scaler: Standardizer | None) -> str:
    """What a regressor's reported losses measure: :data:`LOSS_IN_UNITS` (times
    :func:`loss_unit`); :data:`LOSS_STANDARDIZED` when the target columns were scaled
    differently: half the squared error of each column over its variance, averaged over the
    columns (so it is ``(1 - mean_k R^2_k) / 2`` on the training rows); or
    :data:`LOSS_STANDARDIZED_SCALE` when their one scale lies outside :data:`UNIT_SCALES`
    (targets spread over 1e300 or 1e-300 train, their losses stay standardized)."""
    if target_scaler is None:
        return LOSS_IN_UNITS
    s = _common_scale(target_scaler)
    if s is None:
        return LOSS_STANDARDIZED
    return LOSS_IN_UNITS if UNIT_SCALES[0] <= s <= UNIT_SCALES[1] else LOSS_STANDARDIZED_SCALE


def loss_factors(target_scaler: Standardizer | None) -> Array | None:
    """One factor per target column, ``scale_k**2`` (float64 ``(k,)``), that turns each
    column's squared-error loss of standardized targets into its own units, so that the
    loss in the targets' units is ``mean_k scale_k**2 L_k`` (the identity head's mean over
    the columns); ``[1.]`` without a scaler. None when a scale lies outside
    :data:`UNIT_SCALES` (no safe factor). With columns of different scales a record's
    validation and final losses convert this way, its training losses stay as trained
    (:data:`LOSS_SPLIT`)."""
    if target_scaler is None:
        return np.ones(1)
    scale = np.asarray(target_scaler.scale, dtype=np.float64).reshape(-1)
    if not np.all((UNIT_SCALES[0] <= scale) & (scale <= UNIT_SCALES[1])):
        return None
    return scale * scale


def predictions_loss_name(target_scaler: Standardizer | None) -> str:
    """What the loss of a model's predictions measures (``glassnet evaluate``, the final
    scores): :data:`LOSS_IN_UNITS` whenever :func:`loss_factors` converts every column,
    whatever their scales; else as :func:`loss_name` says."""
    return LOSS_IN_UNITS if loss_factors(target_scaler) is not None else loss_name(target_scaler)
