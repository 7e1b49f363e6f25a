"""An ensemble's scores on some rows: the saved model's (its mean output's loss and
accuracy) and each member's, for the record's ``final``, the console and the reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.data.batching import evaluate
from glassnet.files.modelfile import Model
from glassnet.train.progress import loss_text


@dataclass
class Spread:
    """An ensemble's scores on some rows and its members' ``(K,)`` scores there."""

    name: str
    ensemble_accuracy: float | None  # None for a regressor
    member_loss: Array
    member_accuracy: Array | None
    ensemble_loss: float = float("nan")  # the averaged output's loss (as the members')
    samples: int = 0

    def scores(self) -> dict[str, Any]:
        """As the record's ``final`` holds them: the model's ``loss`` and ``accuracy``, and
        each member's ``member_loss`` and ``member_accuracy`` ``(K,)``."""
        return {
            "loss": self.ensemble_loss,
            "accuracy": self.ensemble_accuracy,
            "member_loss": self.member_loss,
            "member_accuracy": self.member_accuracy,
        }

    def line(self) -> str:
        loss = self.member_loss
        text = f"{self.name:<10} ensemble loss {loss_text(self.ensemble_loss)};"
        if self.ensemble_accuracy is not None and self.member_accuracy is not None:
            acc = self.member_accuracy
            text += (
                f" accuracy {self.ensemble_accuracy:.4f};  members {acc.min():.4f}"
                f" .. {acc.max():.4f} (mean {acc.mean():.4f});"
            )
        low, high, mean = (loss_text(v) for v in (loss.min(), loss.max(), loss.mean()))
        return text + f"  member loss {low} .. {high} (mean {mean})"


def spread(model: Model, X: Array, targets: Array, name: str) -> Spread:
    """The ensemble's accuracy and every member's loss and accuracy on ``(X, targets)``:
    class codes, or a regressor's targets in their own units, its losses then those of its
    predictions by a single run's rules (:func:`glassnet.cli.model_data.score`: the half
    squared error in the targets' units, averaged over the columns whatever their scales;
    standardized where a scale's square is out of float range)."""
    if model.classes is None and model.target_scaler is not None:
        from glassnet.cli.model_data import score

        K = int(model.members or 1)
        member_loss = np.array([score(model.member(k), X, targets).loss for k in range(K)])
        return Spread(name, None, member_loss, None, score(model, X, targets).loss, len(X))
    dtype = model.params[0]["W"].dtype
    result = evaluate(model.net, model.params, X, targets, None, model.scaler, dtype)
    member_loss = np.atleast_1d(np.asarray(result.loss, dtype=float))
    Y = model.outputs(X)  # (N, C): the members' mean output
    loss = averaged_loss(model, Y, targets)
    if model.classes is None:
        return Spread(name, None, member_loss, None, loss, len(Y))
    right = model.net.decide(Y) == np.asarray(targets)
    member_acc = np.atleast_1d(np.asarray(result.accuracy, dtype=float))
    return Spread(name, float(np.mean(right)), member_loss, member_acc, loss, len(Y))


def averaged_loss(model: Model, Y: Array, codes: Array) -> float:
    """The loss per sample of an ensemble's mean output ``Y (N, C)`` against ``codes``, by
    the members' own head: ``Y`` taken back to logits (softmax: ``log Y``; logistic:
    ``log Y - log(1 - Y)``; identity: ``Y``), so that the head's output of them is ``Y``."""
    from glassnet.core.losses import LogisticBinaryCrossEntropy, SoftmaxCrossEntropy
    from glassnet.data.batching import per_sample, targets_for

    head, tiny = model.net.head, np.finfo(np.float64).tiny
    Y = np.asarray(Y, dtype=np.float64)
    if isinstance(head, SoftmaxCrossEntropy):
        Z = np.log(np.maximum(Y, tiny))
    elif isinstance(head, LogisticBinaryCrossEntropy):
        Z = np.log(np.maximum(Y, tiny)) - np.log(np.maximum(1.0 - Y, tiny))
    else:
        Z = Y
    T = targets_for(model.net, np.asarray(codes), np.float64)
    return float(per_sample(model.net, head.loss(Z, T), len(Y)))
