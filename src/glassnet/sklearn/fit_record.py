"""The run's record in scikit-learn's fitted attributes: :func:`record` turns a run's
history into ``loss_curve_``, ``validation_loss_curve_``, ``best_loss_``, ``n_iter_``,
``stop_reason_`` and glassnet's ``history_``; :func:`final_scores` scores the kept
parameters for ``history_.final``. A regressor's losses are reported in its targets'
units (:meth:`~glassnet.sklearn.estimator_base.BaseMLP._loss_name`).

Importing this module imports scikit-learn; ``import glassnet`` does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from glassnet.core._types import Array
from glassnet.data.preprocessing import Standardizer
from glassnet.train.history import History, continued
from glassnet.train.target_units import in_target_units, score_in_units

if TYPE_CHECKING:
    from glassnet.sklearn.estimator_base import BaseMLP

__all__ = ["best_loss", "final_scores", "record"]


def final_scores(
    est: BaseMLP, Xs: Array, codes: Array, rows: dict[str, Array | None]
) -> dict[str, dict[str, float | None]]:
    """``history_.final``: the kept parameters' mean loss per sample (unweighted, without
    the L2 term, in the reported units) and accuracy on each split's rows, as the CLI's
    record scores the saved model. Only with ``score_initial``: like epoch 0, it is a
    forward pass over every row that scikit-learn's MLP does not make (a third of an
    epoch's arithmetic), so the default fit skips it and leaves ``final`` empty."""
    from glassnet.data.batching import evaluate_columns

    scaler, dtype = _target_scaler(est), est.coefs_[0].dtype
    final: dict[str, dict[str, float | None]] = {}
    for split, r in rows.items():
        if r is not None and len(r):
            (loss, accuracy), columns = evaluate_columns(
                est.network_, est.params_, Xs, codes, r, None, dtype
            )
            final[split] = {"loss": score_in_units(loss, columns, scaler), "accuracy": accuracy}
    return final


def _target_scaler(est: BaseMLP) -> Standardizer | None:
    """The regressor's target scaling when its losses are reported in the targets' units
    (:meth:`BaseMLP._loss_name`), else None (the losses as trained)."""
    return getattr(est, "target_scaler_", None) if est._loss_name() else None


def record(est: BaseMLP, history: Any, validated: bool) -> None:
    """Append the run's losses to ``loss_curve_`` (and ``validation_loss_curve_``) and its
    record to ``history_`` (epoch 0 first), in the reported units
    (:meth:`BaseMLP._loss_unit`), with ``loss_penalty`` saying what the training losses
    carry of ``alpha`` (as the CLI's ``history.json`` says it); set ``best_loss_``,
    ``n_iter_`` (this call's epochs, as scikit-learn's) and ``stop_reason_``."""
    name = est._loss_name()  # what the reported losses measure ("": the head's own loss)
    seen = in_target_units(history, _target_scaler(est)) if name else history
    est.history_ = continued(getattr(est, "history_", History()), seen)
    est.history_.loss_unit = seen.loss_unit
    est.history_.loss_penalty = _penalty(est)
    losses = [float(v) for v in seen.column("loss")]
    est.loss_curve_ = [*est.loss_curve_, *losses]
    if validated:
        val = [float(v) for v in seen.column("val_loss")]
        est.validation_loss_curve_ = [*(est.validation_loss_curve_ or []), *val]
        est.best_loss_ = best_loss(est.history_, est.validation_loss_curve_)
    else:
        est.best_loss_ = float(min(est.loss_curve_, default=np.inf))
    est.n_iter_ = len(losses)  # this call's (loss_curve_ and history_ hold the whole run)
    est.stop_reason_ = history.stop_reason  # the record's words (glassnet.train.history)


def _penalty(est: BaseMLP) -> str:
    """What each training loss of the record carries of the L2 penalty ``alpha`` (epoch
    0's too), in the words of the CLI's ``history.json``; "" without one."""
    from glassnet.views.report_settings import penalty_note

    return penalty_note({"estimator": type(est).__name__, "params": {"alpha": est.alpha}})


def best_loss(history: History, validation: Sequence[float]) -> float:
    """``best_loss_`` with early stopping: the lowest of ``validation`` (the
    ``validation_loss_curve_``); where ``history`` keeps the losses early stopping compared
    apart (``monitored_loss``: target columns of different scales, the curve in the
    targets' units), the curve's loss at the epoch whose compared loss is lowest, the best
    epoch of :meth:`History.lowest_epoch` (among epochs 1..n)."""
    watched = [(r.monitored_loss, r.epoch, r.val_loss) for r in history.records
               if r.monitored_loss is not None and r.val_loss is not None]  # fmt: skip
    return float(min(watched)[2]) if watched else float(min(validation, default=np.inf))


def _verbose(est: BaseMLP) -> Any:
    def report(rec: Any) -> None:
        if est._loss_name():  # the reported units, as in loss_curve_
            rec = in_target_units(History([rec]), _target_scaler(est)).records[0]
        val = f", validation loss = {rec.val_loss:.8f}" if rec.val_loss is not None else ""
        print(f"Iteration {rec.epoch}, loss = {rec.loss:.8f}{val}")

    return report
