"""What ``glassnet evaluate`` does: a saved model scored on a data file a block of rows at a
time (the file is never held whole; see :func:`glassnet.data.labelled.labelled_blocks`).

Every score is a sum over blocks, divided once at the end: the confusion matrix, the loss
and the correct count; for a regressor the squared and absolute errors per target and the
targets' spread, merged block by block with Chan, Golub and LeVeque's pairwise update
(``M2 = M2_a + M2_b + delta^2 n_a n_b / n``; "Updating formulae and a pairwise algorithm
for computing sample variances", 1979) on the targets less their first value (so targets
of 1e9 keep their small deviations' precision), so ``R^2`` needs no second pass and no
``sum t^2 - (sum t)^2 / n`` cancellation.
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from glassnet.cli.model_data import TABLES, class_codes, score, warn_filled, warn_unseen
from glassnet.core._types import Array
from glassnet.data.columns import numeric_targets
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model, load_model
from glassnet.train.progress import loss_text


def evaluate(args: argparse.Namespace) -> int:
    """Accuracy, loss, per-class precision/recall/F1/support and the confusion matrix of a
    classifier; RMSE, MAE and R^2 per target of a regressor."""
    from glassnet.data.labelled import labelled_blocks

    model = load_model(args.model)
    labelled = labelled_blocks(args.data, _encoding(model, args.data), args.target,
                               numeric=model.classes is None)  # fmt: skip
    if labelled.n_unlabelled:
        print(f"left out {labelled.n_unlabelled} rows whose target {args.target!r} is empty")
    unseen: dict[str, int] = {}
    filled: dict[str, int] = {}
    blocks = _encoded(model, labelled.blocks, unseen, filled)
    if model.classes is None:
        lines = RegressionSums(model, args.target).add_all(blocks)
    else:
        lines = ClassSums(model).add_all(blocks)
    warn_unseen(unseen)
    warn_filled(filled)
    print("\n".join(lines))
    return 0


def _encoding(model: Model, data: str) -> Any:
    from glassnet.data.encoding import strict_encoding

    if model.encoding is None and str(data).lower().endswith(TABLES) and model.feature_names:
        return strict_encoding(model.feature_names)
    return model.encoding


def _encoded(
    model: Model, blocks: Any, unseen: dict[str, int], filled: dict[str, int]
) -> Any:
    """``(X (B, D), targets)`` per block, a table's block encoded as in training (its
    unseen categories and filled cells counted into ``unseen`` and ``filled``)."""
    for block, y in blocks:
        if hasattr(block, "n_rows"):
            encoded = model.encode(block, impute=True)
            for counts, tally in ((unseen, encoded.unseen), (filled, encoded.filled)):
                for name, count in tally.items():
                    counts[name] = counts.get(name, 0) + count
            block = encoded.X
        if block.shape[1] != model.n_features:
            raise DataError(
                f"the model expects {model.n_features} features, the data has {block.shape[1]}"
            )
        if len(block):
            yield block, y


class ClassSums:
    """A classifier's scores summed over blocks: the confusion matrix, the loss and the
    correct count (an ensemble's: every member's loss and correct count)."""

    def __init__(self, model: Model) -> None:
        assert model.classes is not None
        self.model, self.n = model, 0
        self.confusion = np.zeros((len(model.classes),) * 2, dtype=np.int64)
        self.loss: Any = 0.0  # sum over samples; (K,) for an ensemble
        self.right: Any = 0  # correct predictions of the members (or the model)
        self.ensemble_right = 0

    def add(self, X: Array, labels: Array) -> None:
        from glassnet.cli.ensemble import spread
        from glassnet.data.batching import evaluate as mean_score
        from glassnet.views.metrics import confusion_matrix

        model, n = self.model, len(X)
        codes = class_codes(model, labels)
        predicted = class_codes(model, model.predict(X))
        self.confusion += confusion_matrix(codes, predicted, len(self.confusion))
        if model.members is not None:
            s = spread(model, X, codes, "data")
            assert s.member_accuracy is not None and s.ensemble_accuracy is not None
            self.loss = self.loss + s.member_loss * n
            self.right = self.right + np.rint(s.member_accuracy * n)
            self.ensemble_right += round(s.ensemble_accuracy * n)
        else:
            dtype = model.params[0]["W"].dtype
            result = mean_score(model.net, model.params, X, codes, scaler=model.scaler,
                                dtype=dtype, batch_size=model.block_rows())  # fmt: skip
            self.loss += result.loss * n
            self.right += round((result.accuracy or 0.0) * n)
        self.n += n

    def add_all(self, blocks: Any) -> list[str]:
        """Add every ``(X, labels)`` block; the lines ``glassnet evaluate`` prints."""
        from glassnet.cli.ensemble import Spread
        from glassnet.views.metrics import ClassScores, confusion_table

        for X, labels in blocks:
            self.add(X, labels)
        if self.n == 0:
            raise DataError("no labelled rows to evaluate")
        model, n = self.model, self.n
        assert model.classes is not None
        names = [str(c) for c in model.classes]
        scores = ClassScores.from_confusion(self.confusion)
        if model.members is not None:
            s = Spread("data", self.ensemble_right / n, np.asarray(self.loss) / n,
                       np.asarray(self.right) / n)  # fmt: skip
            head = [f"samples {n}  ensemble of {model.members}", s.line()]
        else:
            head = [f"samples {n}  accuracy {self.right / n:.4f}  mean loss "
                    f"{loss_text(self.loss / n)}"]
        return [*head, scores.table(names), confusion_table(scores.confusion, names)]


class RegressionSums:
    """A regressor's errors summed over blocks, per target: squared and absolute errors,
    and the targets' count, mean and sum of squared deviations (merged pairwise)."""

    def __init__(self, model: Model, target: str) -> None:
        self.model, self.target, self.n = model, target, 0
        self.loss: Any = 0.0  # half squared error summed over samples; (K,) for an ensemble
        self.sq = self.abs = self.mean = self.m2 = self.shift = np.zeros(model.net.sizes[-1])

    def add(self, X: Array, targets: Array) -> None:
        model, n = self.model, len(X)
        width = 1 if np.ndim(targets) == 1 else np.shape(targets)[1]
        if width != model.net.sizes[-1]:
            raise DataError(
                f"the model predicts {model.net.sizes[-1]} target(s), the data has {width}"
            )
        y = numeric_targets(targets, f"target {self.target!r}", "this model is a regressor")
        if model.members is not None:
            from glassnet.cli.ensemble import spread

            trained = y if model.target_scaler is None else model.target_scaler.transform(
                np.reshape(y, (n, -1)), np.float64).reshape(np.shape(y))  # fmt: skip
            self.loss = self.loss + spread(model, X, trained, "data").member_loss * n
        else:
            self.loss += score(model, X, y).loss * n
        T = y.reshape(n, -1)
        err = np.asarray(model.predict(X), dtype=np.float64).reshape(n, -1) - T
        self.sq = self.sq + np.sum(err**2, axis=0)
        self.abs = self.abs + np.sum(np.abs(err), axis=0)
        if self.n == 0:
            self.shift = T[0].copy()  # deviations from a first value: no 1e9-sized means
        T = T - self.shift
        mean, m2 = T.mean(axis=0), np.sum((T - T.mean(axis=0)) ** 2, axis=0)
        total = self.n + n
        delta = mean - self.mean
        self.m2 = self.m2 + m2 + delta**2 * (self.n * n / total)
        self.mean = self.mean + delta * (n / total)
        self.n = total

    def add_all(self, blocks: Any) -> list[str]:
        """Add every ``(X, targets)`` block; the lines ``glassnet evaluate`` prints."""
        from glassnet.cli.ensemble import Spread
        from glassnet.views.metrics import RegressionScores

        for X, targets in blocks:
            self.add(X, targets)
        if self.n == 0:
            raise DataError("no labelled rows to evaluate")
        model, n = self.model, self.n
        unit = "(half squared error, in the targets' units)"
        if model.members is not None:
            spread = Spread("data", None, np.asarray(self.loss) / n, None)
            head = [f"samples {n}  ensemble of {model.members}", f"{spread.line()} {unit}"]
        else:
            head = [f"samples {n}  mean loss {loss_text(self.loss / n)} {unit}"]
        scores = RegressionScores.from_sums(n, self.sq, self.abs, self.m2)
        names = [str(self.target)] if len(self.sq) == 1 else None
        return [*head, *scores.lines(names)]
