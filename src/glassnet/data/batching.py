"""Reading minibatches from any row-sliceable array, and scoring a network batch by batch.

``X`` and ``y`` may be NumPy arrays or anything with ``shape`` and row indexing by an
increasing integer array (a ``numpy.memmap``, an HDF5 dataset, a zarr array): each batch
is read on its own, so nothing is copied whole. Batch indices are sorted before reading
(HDF5 needs that), which does not change a batch's summed or mean gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.losses import IdentitySquaredError, LogisticBinaryCrossEntropy
from glassnet.core.network import Network
from glassnet.data.preprocessing import Standardizer


def read_rows(A: Any, rows: Array, out: Array | None = None) -> Array:
    """``A[rows]`` as an ndarray; ``rows`` is an increasing index array.

    ``out``, when given, receives the rows of a NumPy array of its dtype and shape (they are
    gathered straight into it, a copy less; returned); otherwise it is left alone.
    """
    if isinstance(A, np.ndarray):
        if out is not None and out.dtype == A.dtype and out.shape == (len(rows), *A.shape[1:]):
            return np.take(A, rows, axis=0, out=out, mode="clip")  # (in range: no buffering)
        return A[rows]
    oindex = getattr(A, "oindex", None)  # zarr's orthogonal selection
    if oindex is not None:
        return np.asarray(oindex[rows])
    return np.asarray(A[rows])


def targets_for(net: Network, y: Array, dtype: Any) -> Array:
    """The target matrix ``T (B, C)`` the head expects, from labels or values ``y``.

    Softmax: one-hot rows from integer class codes. Logistic: a 0/1 column (or matrix).
    Identity: the values as a (B, k) matrix.
    """
    if isinstance(net.head, IdentitySquaredError | LogisticBinaryCrossEntropy):
        y = np.asarray(y, dtype=dtype)
        return y.reshape(len(y), -1)
    n_classes = net.layers[-1].n_out
    T = np.zeros((len(y), n_classes), dtype=dtype)
    T[np.arange(len(y)), np.asarray(y, dtype=np.intp)] = 1
    return T


class Batch(NamedTuple):
    X: Array  # (B, D), standardized and in the training dtype
    T: Array  # (B, C) what the head is scored against
    w: Array | None  # (B,) sample weights in the training dtype, or None


def batches(
    net: Network,
    X: Any,
    y: Any,
    order: Array,
    batch_size: int,
    dtype: Any,
    scaler: Standardizer | None = None,
    sample_weight: Array | None = None,
    inputs: Callable[[int], Array] | None = None,
) -> Iterator[Batch]:
    """Batches of the rows ``order`` (in that order, sorted within each batch).

    ``sample_weight (N,)`` holds one weight per row of ``X``; each batch carries its rows'.
    ``inputs(n)``, when given, is the ``(n, D)`` buffer a batch of ``n`` rows is read into
    when nothing transforms it (no ``scaler``; ``X`` a NumPy array of ``dtype``): the
    compiled step's own (:meth:`glassnet.core.workspace.Workspace.inputs`), which it then
    need not copy. Each batch's ``X`` is then valid until the next is drawn.
    """
    for start in range(0, len(order), batch_size):
        rows = np.sort(order[start : start + batch_size])
        into = inputs(len(rows)) if inputs is not None and scaler is None else None
        Xb = read_rows(X, rows, into if into is not None and into.dtype == dtype else None)
        Xb = scaler.transform(Xb, dtype) if scaler is not None else np.asarray(Xb, dtype=dtype)
        T = targets_for(net, np.asarray(read_rows(y, rows)), dtype)
        w = None if sample_weight is None else np.asarray(sample_weight[rows], dtype=dtype)
        yield Batch(Xb, T, w)


class Score(NamedTuple):
    loss: float  # the mean reduction's loss (per sample; per output element for regression)
    accuracy: float | None  # fraction classified right; None for regression


def per_sample(net: Network, loss: Any, n: int) -> Any:
    """A batch loss of ``n`` samples as the ``"mean"`` reduction gives it, whatever the
    head's reduction: per sample, and per output element for a head that averages over its
    columns (the identity head's squared error, :mod:`glassnet.core.reduction`)."""
    if net.head.reduction != "sum":
        return loss
    return loss / (n * net.sizes[-1]) if net.head.per_element else loss / n


def evaluate(
    net: Network,
    params: ParamList,
    X: Any,
    y: Any,
    rows: Array | None = None,
    scaler: Standardizer | None = None,
    dtype: Any = np.float64,
    batch_size: int = 8192,
) -> Score:
    """Mean loss and accuracy of ``params`` on ``rows`` of ``(X, y)``, batch by batch.
    Raises ``ValueError`` on zero rows."""
    rows = _scored_rows(X, rows)
    return _score(net, params, batches(net, X, y, rows, batch_size, dtype, scaler), len(rows))


def evaluate_columns(
    net: Network,
    params: ParamList,
    X: Any,
    y: Any,
    rows: Array | None = None,
    scaler: Standardizer | None = None,
    dtype: Any = np.float64,
    batch_size: int = 8192,
) -> tuple[Score, Array | None]:
    """:func:`evaluate`'s score and, for an identity head of ``k > 1`` columns, each
    column's mean loss ``L_k = sum_i 1/2 (y_ik - t_ik)**2 / N`` (``(k,)`` float64, summed
    from the head's own per-sample terms in the same pass; their mean over ``k`` is the
    score's loss); ``None`` for every other head and for one column. Raises
    ``ValueError`` on zero rows."""
    rows = _scored_rows(X, rows)
    by_column = isinstance(net.head, IdentitySquaredError) and net.sizes[-1] > 1
    columns = np.zeros(net.sizes[-1]) if by_column else None
    stream = batches(net, X, y, rows, batch_size, dtype, scaler)
    score = _score(net, params, stream, len(rows), columns)
    return score, None if columns is None else columns / len(rows)


def _scored_rows(X: Any, rows: Array | None) -> Array:
    """The rows to score (``None``: all of ``X``'s); ``ValueError`` when there are none."""
    rows = np.arange(X.shape[0]) if rows is None else rows
    if len(rows) == 0:
        raise ValueError("cannot evaluate on zero samples")
    return rows


def _score(
    net: Network, params: ParamList, stream: Iterator[Batch], n: int, columns: Array | None = None
) -> Score:
    """The mean loss and accuracy of ``params`` over the ``n`` rows of ``stream``; with
    ``columns (k,)`` (an identity head's), each batch's per-column sums of the head's terms
    ``1/2 (y - t)**2`` are added into it (the other heads: left alone)."""
    total, right = 0.0, 0
    classify = not isinstance(net.head, IdentitySquaredError)
    for b in stream:
        Zo = net._logits(params, b.X)  # unchecked: the rows were checked when read in
        total += per_sample(net, net.head.loss(Zo, b.T), len(b.X)) * len(b.X)
        if classify:
            right += count_correct(net, Zo, b.T)
        elif columns is not None:  # the head's terms 1/2 (y - t)**2 (B, k), summed per column
            columns += np.sum(net.head.per_sample(Zo, b.T)[0], axis=0, dtype=np.float64)
    return Score(total / n, right / n if classify else None)


def count_correct(net: Network, Zo: Array, T: Array) -> Any:
    """Samples whose prediction from the logits ``Zo`` matches the targets ``T``.

    Softmax: argmax of the logits equals the target class (ties go to the first class, as
    in :meth:`Network.predict`). Logistic: every unit on the right side of 0.5. A
    population's logits ``Zo (K, N, C)`` give a ``(K,)`` array of counts, else an ``int``.
    """
    if isinstance(net.head, LogisticBinaryCrossEntropy):
        right = np.all((Zo >= 0) == (T >= 0.5), axis=-1)
    else:
        right = np.argmax(Zo, axis=-1) == np.argmax(T, axis=-1)
    total = np.sum(right, axis=-1)
    return int(total) if total.ndim == 0 else total
