"""A regressor's scores summed over row blocks, for ``glassnet evaluate`` and ``glassnet
report`` (the classifier's are in :mod:`glassnet.cli.block_scores`).

Every score is a sum over blocks, divided once at the end: the squared and absolute errors
per target and the targets' spread, merged block by block with Chan, Golub and LeVeque's
pairwise update (``M2 = M2_a + M2_b + delta^2 n_a n_b / n``; "Updating formulae and a
pairwise algorithm for computing sample variances", 1979) on the targets less their first
value (so targets of 1e9 keep their small deviations' precision), so ``R^2`` needs no
second pass and no ``sum t^2 - (sum t)^2 / n`` cancellation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.wording import counted
from glassnet.data.columns import numeric_targets
from glassnet.data.preprocessing import LOSS_IN_UNITS, predictions_loss_name, unit
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model
from glassnet.train.progress import loss_text

if TYPE_CHECKING:
    from glassnet.cli.block_scores import Locate


class RegressionSums:
    """A regressor's errors summed over blocks, per target: squared and absolute errors,
    and the targets' count, mean and sum of squared deviations (merged pairwise)."""

    def __init__(self, model: Model, target: str) -> None:
        from glassnet.data.targets import check_order, target_names

        check_order(model.settings.get("targets", ()), target_names(target))  # as trained
        self.model, self.target, self.n = model, target, 0
        self.loss: Any = 0.0  # half squared error (mean over the columns) summed over samples
        self.ensemble_loss = 0.0  # an ensemble's mean output's, summed over samples
        self.sq = self.abs = self.mean = self.m2 = self.shift = np.zeros(model.net.sizes[-1])
        scaler = model.target_scaler
        scale = np.ones(1) if scaler is None else np.asarray(scaler.scale, dtype=np.float64)
        self.unit = unit(scale.reshape(1, -1))  # (K,) a power of two: sums of 1e300s stay finite
        # the loss in the targets' units (any scales; an ensemble's and its members' alike)
        # or standardized (a scale out of float range)
        self.loss_name = predictions_loss_name(scaler)
        self.divisor = np.ones_like(scale) if self.loss_name == LOSS_IN_UNITS else scale

    def add(self, X: Array, targets: Array, locate: Locate | None = None) -> Array:
        """Add a block of ``X (B, D)`` and its targets; returns them as float64."""
        model, n = self.model, len(X)
        width = 1 if np.ndim(targets) == 1 else np.shape(targets)[1]
        if width != model.net.sizes[-1]:
            raise DataError(
                f"the model predicts {counted(model.net.sizes[-1], 'target')}, the data has {width}"
            )
        y = numeric_targets(targets, f"target {self.target!r}", "this model is a regressor")
        T = y.reshape(n, -1)
        err = np.asarray(model.predict(X), dtype=np.float64).reshape(n, -1) - T  # one pass
        if model.members is not None:
            from glassnet.cli.ensemble import spread

            s = spread(model, X, y, "data")  # in the targets' units, as the loss below
            self.loss = self.loss + s.member_loss * n
            self.ensemble_loss += s.ensemble_loss * n
        else:  # the half squared error in the targets' units, from the same predictions
            Z = err / self.divisor  # (B, K)
            self.loss += 0.5 * float(np.mean(Z * Z, axis=1).sum())  # the mean over the columns
        E, T = err / self.unit, T / self.unit  # exact: powers of two
        self.sq = self.sq + np.sum(E**2, axis=0)
        self.abs = self.abs + np.sum(np.abs(E), axis=0)
        if self.n == 0:
            self.shift = T[0].copy()  # deviations from a first value: no 1e9-sized means
        T = T - self.shift
        mean, m2 = T.mean(axis=0), np.sum((T - T.mean(axis=0)) ** 2, axis=0)
        total = self.n + n
        delta = mean - self.mean
        self.m2 = self.m2 + m2 + delta**2 * (self.n * n / total)
        self.mean = self.mean + delta * (n / total)
        self.n = total
        return y

    def add_all(self, blocks: Any) -> list[str]:
        """Add every ``(X, targets)`` block; the lines ``glassnet evaluate`` prints."""

        for X, targets, _ in blocks:
            self.add(X, targets)
        if self.n == 0:
            raise DataError("no labelled rows to evaluate")
        model, n = self.model, self.n
        squared = "(half squared error, in the targets' units squared)"
        unit = squared if self.loss_name == LOSS_IN_UNITS else f"({self.loss_name})"
        if model.members is not None:
            head = [f"samples {n}  ensemble of {model.members}", f"{self.spread().line()} {unit}"]
        else:
            head = [f"samples {n}  mean loss {loss_text(self.loss / n)} {unit}"]
        scores = self.scores()
        names = target_labels(self.model, self.target, len(self.sq))
        return [*head, *scores.lines(names)]

    def scores(self) -> Any:
        """RMSE, MAE and R^2 per target of the rows added, in the targets' units."""
        from glassnet.views.metrics import RegressionScores

        return RegressionScores.from_sums(self.n, self.sq, self.abs, self.m2, self.unit)

    def spread(self) -> Any:
        """An ensemble's :class:`~glassnet.cli.ensemble.Spread` on the rows added (member
        losses in the targets' units squared, or standardized: ``loss_name``)."""
        from glassnet.cli.ensemble import Spread

        n = self.n
        return Spread("data", None, np.asarray(self.loss) / n, None, self.ensemble_loss / n, n)


def target_labels(model: Model, target: str | None, k: int) -> list[str] | None:
    """The names of a regressor's ``k`` targets: the ``--target`` columns (``a,b``) when
    they are ``k``, else those the model was trained on (``settings["targets"]``), else
    None (numbered)."""
    from glassnet.data.targets import target_names

    for names in (target_names(target) if target is not None else (),
                  tuple(model.settings.get("targets", ()))):  # fmt: skip
        if len(names) == k:
            return [str(n) for n in names]
    return None
