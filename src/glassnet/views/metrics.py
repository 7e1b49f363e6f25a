"""What a practitioner reads after training: per-class scores, the confusion matrix, and the
regression errors. NumPy only; the same numbers as :mod:`sklearn.metrics` (tested against it).

Classification (``C[i, j]``: samples of class ``i`` predicted as ``j``)::

    precision_c = C[c, c] / sum_i C[i, c]      recall_c = C[c, c] / sum_j C[c, j]
    F1_c = 2 precision_c recall_c / (precision_c + recall_c)      support_c = sum_j C[c, j]

(0 where a denominator is 0, as scikit-learn's ``zero_division=0``). Regression, per target
column: ``RMSE = sqrt(mean (y - t)^2)``, ``MAE = mean |y - t|``,
``R^2 = 1 - sum (y - t)^2 / sum (t - mean t)^2`` (1 for a perfect fit of a constant target,
0 for an imperfect one, as scikit-learn).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glassnet.core._types import Array
from glassnet.core.wording import display_width, pad
from glassnet.views.labels import name_key, shorten_all


def confusion_matrix(true: Array, predicted: Array, n_classes: int) -> Array:
    """``C (n_classes, n_classes)`` int64: ``C[i, j]`` samples of class ``i`` predicted as ``j``."""
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(C, (np.asarray(true), np.asarray(predicted)), 1)
    return C


@dataclass(frozen=True)
class ClassScores:
    """Per-class precision, recall, F1 and support (each ``(n_classes,)``) from ``C``."""

    confusion: Array  # (C, C)
    precision: Array
    recall: Array
    f1: Array
    support: Array

    @classmethod
    def from_confusion(cls, C: Array) -> ClassScores:
        right = np.diag(C).astype(np.float64)
        predicted, support = C.sum(axis=0), C.sum(axis=1)
        precision = np.divide(right, predicted, out=np.zeros_like(right), where=predicted > 0)
        recall = np.divide(right, support, out=np.zeros_like(right), where=support > 0)
        both = precision + recall
        f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(right), where=both > 0)
        return cls(C, precision, recall, f1, support)

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / max(self.confusion.sum(), 1))

    def averages(self) -> list[tuple[str, float, float, float, int]]:
        """``(name, precision, recall, F1, support)`` of the ``"macro avg"`` (the classes'
        plain mean) and the ``"weighted avg"`` (weighted by support), as scikit-learn's
        ``classification_report`` names and computes them."""
        n = int(self.support.sum())
        w = self.support / max(n, 1)
        macro = (float(self.precision.mean()), float(self.recall.mean()), float(self.f1.mean()))
        weighted = (float(self.precision @ w), float(self.recall @ w), float(self.f1 @ w))
        return [("macro avg", *macro, n), ("weighted avg", *weighted, n)]

    def table(self, names: list[str]) -> str:
        """Per-class rows, then the macro and support-weighted averages; class names are
        shortened to 24 characters, look-alikes quoted or keyed (:mod:`glassnet.views.labels`)."""
        full, names = names, shorten_all(names)
        width = max(12, *(display_width(n) for n in names))
        lines = [f"{pad('class', width)}  precision     recall         F1    support"]
        for i, name in enumerate(names):
            lines.append(
                _row(
                    name, width, self.precision[i], self.recall[i], self.f1[i], int(self.support[i])
                )
            )
        for name, p, r, f, n in self.averages():
            lines.append(_row(name, width, p, r, f, n))
        key = name_key(full, names)  # which ~N is which class, when names had to be tagged
        undefined = self.undefined(full)
        return "\n".join([*lines, *([key] if key else []), *([undefined] if undefined else [])])

    def undefined(self, names: list[str]) -> str:
        """A note naming the classes whose precision (never predicted) or recall (no sample)
        has a zero denominator and is shown as 0, as scikit-learn's ``zero_division=0`` does
        (where scikit-learn warns); "" when there are none."""
        notes = []
        zeros = (("precision", self.confusion.sum(axis=0), "never predicted"),
                 ("recall", self.support, "without a sample"))  # fmt: skip
        for score, counts, why in zeros:
            empty = [names[i] for i in np.flatnonzero(counts == 0)]
            if empty:
                notes.append(f"the {score} of {', '.join(map(repr, empty))} ({why}) is "
                             "undefined, shown as 0")  # fmt: skip
        return f"note: {'; '.join(notes)}" if notes else ""


def _row(name: str, width: int, p: float, r: float, f: float, n: int) -> str:
    return f"{pad(name, width)}  {p:9.4f}  {r:9.4f}  {f:9.4f}  {n:9d}"


def confusion_table(C: Array, names: list[str]) -> str:
    """The confusion matrix as text, rows the true class, columns the predicted one; class
    names are shortened to 16 characters, look-alikes quoted or keyed
    (:mod:`glassnet.views.labels`)."""
    full, names = names, shorten_all(names, 16)
    width = max(6, *(display_width(n) for n in names), len(str(C.max())))
    lines = [
        "confusion matrix (rows: true class, columns: predicted class)",
        " " * width + " " + " ".join(pad(n, width) for n in names),
    ]
    for name, row in zip(names, C, strict=True):
        lines.append(f"{pad(name, width)} " + " ".join(f"{v:>{width}}" for v in row))
    key = name_key(full, names)
    return "\n".join([*lines, *([key] if key else [])])


@dataclass(frozen=True)
class RegressionScores:
    """Per target column: ``rmse``, ``mae``, ``r2`` (each ``(K,)``), in the targets' units."""

    rmse: Array
    mae: Array
    r2: Array

    @classmethod
    def of(cls, predicted: Array, true: Array) -> RegressionScores:
        """From predictions and true values, both ``(N,)`` or ``(N, K)``. The sums are taken
        in units of a power of two per column (exact), so targets of 1e300 or 1e-300 score
        without overflow or underflow."""
        from glassnet.data.preprocessing import unit

        Y = np.asarray(predicted, dtype=np.float64).reshape(len(predicted), -1)
        T = np.asarray(true, dtype=np.float64).reshape(len(true), -1)
        if Y.shape != T.shape:
            raise ValueError(f"predictions {Y.shape} and targets {T.shape} differ in shape")
        u = unit(np.vstack([Y, T]))  # (K,) every |value| / u <= 2
        err, T = Y / u - T / u, T / u
        ss_tot = np.sum((T - T.mean(axis=0)) ** 2, axis=0)
        ss_res, sum_abs = np.sum(err**2, axis=0), np.sum(np.abs(err), axis=0)
        return cls.from_sums(len(T), ss_res, sum_abs, ss_tot, u)

    @classmethod
    def from_sums(
        cls, n: int, ss_res: Array, sum_abs: Array, ss_tot: Array, unit: Array | float = 1.0
    ) -> RegressionScores:
        """From ``n`` samples' sums per target ``(K,)``: squared errors, absolute errors and
        the targets' squared deviations from their mean (sums gathered block by block), each
        of the values divided by ``unit`` (``(K,)`` or a number; RMSE and MAE are scaled
        back by it, R^2 has no unit)."""
        r2 = np.where(
            ss_tot > 0,
            1 - ss_res / np.where(ss_tot > 0, ss_tot, 1),
            np.where(ss_res == 0, 1.0, 0.0),
        )
        return cls(np.sqrt(ss_res / n) * unit, sum_abs / n * unit, r2)

    def lines(self, names: list[str] | None = None) -> list[str]:
        """One line per target: ``target  RMSE 0.1234  MAE 0.0987  R^2 0.9512``."""
        names = shorten_all(names) if names else [f"target {k}" for k in range(len(self.rmse))]
        return [
            f"{name}: RMSE {r:.6g}  MAE {m:.6g}  R^2 {q:.4f}"
            for name, r, m, q in zip(names, self.rmse, self.mae, self.r2, strict=True)
        ]
