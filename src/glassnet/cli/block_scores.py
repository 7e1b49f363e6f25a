"""Scores of a saved model summed over row blocks, for ``glassnet evaluate`` and ``glassnet
report``: neither holds the data file whole.

Every score is a sum over blocks, divided once at the end: the confusion matrix, the loss
and the correct count here; a regressor's errors and the targets' spread in
:mod:`glassnet.cli.regression_sums` (:class:`RegressionSums`, also importable from here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from glassnet.cli.model_data import class_codes, count_off
from glassnet.cli.model_inputs import check_width
from glassnet.cli.regression_sums import RegressionSums as RegressionSums  # documented there
from glassnet.core._types import Array
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model
from glassnet.train.progress import loss_text

__all__ = ["ClassSums", "Locate", "encoded_blocks"]

Locate = Callable[[int], str]  # row i of a block -> where it is in the file ("line 7")


def encoded_blocks(
    model: Model, blocks: Any, unseen: dict[str, int], filled: dict[str, int], path: str = "",
    off: Any = None,
) -> Iterator[tuple[Array, Any, Locate]]:  # fmt: skip
    """``(X (B, D), targets, locate)`` per block: a table's block encoded as in training
    (its unseen categories and filled cells counted into ``unseen`` and ``filled``), and
    where each of its rows is in the file (a table's line or row; an array's data row).
    A row too far outside the training data to score is refused, naming its place in the
    file ``path`` (:func:`glassnet.cli.far_rows.check_reach`). A stop signal acts before
    each block is given and after the last (:func:`glassnet.cli.stops.stop_point`). ``off``
    (:func:`glassnet.cli.model_data.off_constants`) tallies cells off the one value their
    column held in training."""
    from glassnet.cli.far_rows import check_reach
    from glassnet.cli.stops import stop_point

    start = 0
    for block, y in blocks:
        stop_point()
        locate = data_rows(start)
        if hasattr(block, "n_rows"):
            encoded = model.encode(block, impute=True)
            for counts, tally in ((unseen, encoded.unseen), (filled, encoded.filled)):
                for name, count in tally.items():
                    counts[name] = counts.get(name, 0) + count
            locate, block = block.locate, encoded.X
        check_width(model, block, path or "--data")
        start += len(block)
        if len(block):
            count_off(off, block, model.feature_names)
            check_reach(model, block, locate, path or "--data")
            yield block, y, locate
    stop_point()


def data_rows(start: int) -> Locate:
    """Row ``i`` of a block of an array file that starts at row ``start``: ``data row N``."""
    return lambda i: f"data row {start + i + 1}"


def _decided_loss(model: Model, X: Array, codes: Array) -> tuple[Array, float]:
    """One forward pass of a single network over ``X (B, D)`` in row blocks: its predicted
    class codes ``(B,)`` (as :meth:`Model.predict` decides them) and its loss summed over
    the rows of true class ``codes (B,)``."""
    from glassnet.data.batching import per_sample, targets_for

    net, dtype, step = model.net, model.params[0]["W"].dtype, model.block_rows()
    predicted, total = np.empty(len(X), dtype=np.int64), 0.0
    for i in range(0, len(X), step):
        Zo = net._logits(model.params, model.inputs(X[i : i + step]))  # (b, C)
        T = targets_for(net, codes[i : i + step], dtype)
        total += float(per_sample(net, net.head.loss(Zo, T), len(Zo))) * len(Zo)
        predicted[i : i + step] = net.decide(net.head.output(Zo))
    return predicted, total


class ClassSums:
    """A classifier's scores summed over blocks: the confusion matrix, the loss and the
    correct count (an ensemble's: every member's loss and correct count)."""

    def __init__(self, model: Model, path: str | None = None, column: str | None = None) -> None:
        assert model.classes is not None
        self.model, self.n, self.path, self.column = model, 0, path, column
        self.confusion = np.zeros((len(model.classes),) * 2, dtype=np.int64)
        self.loss: Any = 0.0  # sum over samples; (K,) for an ensemble
        self.right: Any = 0  # correct predictions of the members (or the model)
        self.ensemble_right = 0
        self.ensemble_loss = 0.0  # an ensemble's mean output's loss, summed over samples

    def add(self, X: Array, labels: Array, locate: Locate | None = None) -> Array:
        """Add a block of ``X (B, D)`` and its labels; returns their class codes ``(B,)``.
        A label the model never saw raises :class:`DataError` naming ``locate(i)``."""
        from glassnet.cli.ensemble import spread
        from glassnet.views.metrics import confusion_matrix

        model, n = self.model, len(X)
        codes = class_codes(model, labels, self.path, self.column, locate)
        if model.members is not None:
            predicted = class_codes(model, model.predict(X))
            s = spread(model, X, codes, "data")
            assert s.member_accuracy is not None and s.ensemble_accuracy is not None
            self.loss = self.loss + s.member_loss * n
            self.ensemble_loss += s.ensemble_loss * n
            self.right = self.right + np.rint(s.member_accuracy * n)
            self.ensemble_right += round(s.ensemble_accuracy * n)
        else:
            predicted, loss = _decided_loss(model, X, codes)
            self.loss += loss
            self.right += int(np.sum(predicted == codes))
        self.confusion += confusion_matrix(codes, predicted, len(self.confusion))
        self.n += n
        return codes

    def add_all(self, blocks: Any) -> list[str]:
        """Add every ``(X, labels)`` block; the lines ``glassnet evaluate`` prints."""
        from glassnet.views.metrics import ClassScores, confusion_table

        for X, labels, locate in blocks:
            self.add(X, labels, locate)
        if self.n == 0:
            raise DataError("no labelled rows to evaluate")
        model, n = self.model, self.n
        assert model.classes is not None
        names = [str(c) for c in model.classes]
        scores = ClassScores.from_confusion(self.confusion)
        if model.members is not None:
            head = [f"samples {n}  ensemble of {model.members}", self.spread().line()]
        else:
            head = [f"samples {n}  accuracy {self.right / n:.4f}  mean loss "
                    f"{loss_text(self.loss / n)}"]
        return [*head, scores.table(names), confusion_table(scores.confusion, names)]

    def spread(self) -> Any:
        """An ensemble's :class:`~glassnet.cli.ensemble.Spread` on the rows added."""
        from glassnet.cli.ensemble import Spread

        n = self.n
        return Spread("data", self.ensemble_right / n, np.asarray(self.loss) / n,
                      np.asarray(self.right) / n, self.ensemble_loss / n, n)  # fmt: skip
