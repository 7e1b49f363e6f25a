"""Reports for ``glassnet train`` and ``glassnet report``: from a run or a saved model.

The report shows at most :data:`MAX_ROWS` samples (a seeded draw), in the network's input
space (standardized when the model standardizes). The gradient check runs on a few of
them, as many elements as its budget allows (:mod:`glassnet.views.report_budget`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.core._types import Array
from glassnet.core.gradcheck import GradientReport, StepTooSmall, check_network
from glassnet.data.batching import read_rows, targets_for
from glassnet.files.modelfile import Model
from glassnet.train.history import History
from glassnet.views.diagnostics_summary import stored_diagnostics
from glassnet.views.report_budget import check_plan
from glassnet.views.run_observer import MAX_ROWS as MAX_ROWS
from glassnet.views.run_observer import MAX_SNAPSHOTS as MAX_SNAPSHOTS
from glassnet.views.run_observer import Observer as Observer
from glassnet.views.run_observer import probe as probe
from glassnet.views.run_observer import sample_rows as sample_rows

# documented here; the rest in glassnet.views.run_observer
__all__ = ["gradient_check", "report_data"]


def gradient_check(model: Model, X_in: Array, codes: Array) -> GradientReport:
    """The element-by-element check at the model's parameters on the first samples of
    ``X_in``, as many samples and elements as :func:`~glassnet.views.report_budget.check_plan`
    allows (every element of a small network)."""
    plan = check_plan(model.net, len(X_in))
    X_small, c_small = X_in[: plan.rows], codes[: plan.rows]
    T_small = targets_for(model.net, c_small, np.float64)
    return check_network(model.net, model.params, X_small, T_small, max_elements=plan.elements)


def report_data(
    title: str,
    model: Model,
    X: Any,
    codes: Array,
    rows: Array,
    history: History | None = None,
    observer: Observer | None = None,
    notes: Sequence[tuple[str, str]] = (),
    splits: dict[str, Array] | None = None,
    labelled: bool = True,
    split_scores: Sequence[tuple[str, int, Any]] | None = None,
) -> Any:
    """The :class:`~glassnet.views.report.ReportData` of ``model`` on ``(X, codes)`` rows.

    ``codes`` are the targets as trained on: class codes for a classifier, the (possibly
    standardized) values for a regressor, whose report also shows predictions against
    targets in their own units and the RMSE, MAE and R^2 of each of ``splits`` (name ->
    rows; default: ``rows`` as "train"), or the given ``split_scores`` (name, samples,
    :class:`~glassnet.views.metrics.RegressionScores`; summed over a file's blocks by
    ``glassnet report``). ``labelled=False``: ``codes`` are the model's own predictions (no
    true labels), and the report shows no accuracy or scores of them. The diagnostics are
    the ``observer``'s, else the summary the model file keeps (``settings["diagnostics"]``,
    :func:`~glassnet.views.diagnostics_summary.stored_diagnostics`), else none.
    """
    from glassnet.views.report import ReportData

    shown = sample_rows(rows)
    X_in = model.inputs(read_rows(X, shown))
    t = np.asarray(codes)[shown]
    fields: dict[str, Any] = {"loss_history": []}
    if model.classes is None:
        named = {} if split_scores is not None else splits or {"train": rows}
        fields.update(_regression(model, X, codes, shown, named))
        if split_scores is not None:
            fields["split_scores"] = list(split_scores)
    if history is not None and history.rows():
        fields.update(_history_fields(history))
    classes = model.classes
    return ReportData(
        title=title, net=model.net, params=model.params, X=X_in, t=t, step_name="epoch",
        **_checked(model, X_in, t),
        diagnostics=observer.diagnostics() if observer else stored_diagnostics(model.settings),
        snapshots=observer.snapshots if observer else (),
        snapshot_epochs=observer.epochs if observer else (),
        unseen_steps=observer.unseen if observer else None,
        class_names=[str(c) for c in classes] if classes is not None else None,
        notes=_notes(model, notes, len(shown)), labelled=labelled, settings=model.settings,
        **fields,
    )  # fmt: skip


def _checked(model: Model, X_in: Array, t: Array) -> dict[str, Any]:
    """The gradient check's report, or why none was run: parameters so large that the
    check's step does not move them in float64 (:class:`StepTooSmall`)."""
    try:
        return {"gradient_report": gradient_check(model, X_in, t)}
    except StepTooSmall as exc:
        reason = str(exc).split("; try ")[0]
        note = (f"No gradient check was run: the check's {reason}. A central difference "
                "needs a step that moves every parameter: glassnet.check_network(net, "
                "params, X, T, eps=...) takes a larger one.")  # fmt: skip
        return {"gradient_note": note}


def _history_fields(history: History) -> dict[str, Any]:
    """The report's curves from a run's history (epoch 0, the initialization, first when
    measured, else epoch 1), and the kept, best and final loss."""
    rows = history.rows()
    val = [r.val_loss for r in rows]
    fields: dict[str, Any] = {
        "loss_history": [r.loss for r in rows],
        "validation_loss": val if val[-1] is not None else None,
        "accuracy_history": _present([r.accuracy for r in rows]),
        "validation_accuracy": _present([r.val_accuracy for r in rows]),
        "loss_unit": history.loss_unit,
    }
    fields["first_step"] = rows[0].epoch  # 0, or 1 for a record without epoch 0
    fields["kept_step"], fields["best_step"] = history.kept_epoch, history.lowest_epoch()
    fields["units_step"] = history.lowest_in_units()
    fields["final_loss"] = history.final.get("train", {}).get("loss")
    return fields


def _notes(
    model: Model, notes: Sequence[tuple[str, str]], n_shown: int
) -> list[tuple[str, str]]:
    """The caller's summary rows, then what the report's numbers rest on."""
    extra = list(notes)
    extra.append(("gradient check", check_plan(model.net, n_shown).describe(model.net)))
    if model.scaler is not None:
        extra.append(("inputs", "standardized as in training (figures in those units)"))
    return extra


def _regression(
    model: Model, X: Any, codes: Array, shown: Array, splits: dict[str, Array]
) -> dict[str, Any]:
    """A regressor's report fields: targets and predictions of the ``shown`` rows and the
    scores of every split, all in the targets' units."""
    from glassnet.views.metrics import RegressionScores

    def in_units(rows: Array) -> tuple[Array, Array]:
        T = np.asarray(codes, dtype=np.float64)[rows].reshape(len(rows), -1)
        actual = model.target_scaler.inverse(T) if model.target_scaler is not None else T
        predicted = np.asarray(model.predict(read_rows(X, rows)), np.float64)
        return actual, predicted.reshape(actual.shape)

    actual, predicted = in_units(shown)
    scores = [(name, len(r), RegressionScores.of(*in_units(np.sort(r))[::-1]))
              for name, r in splits.items()]  # fmt: skip
    targets = np.asarray(codes, dtype=np.float64)[shown].reshape(len(shown), -1)  # as trained
    return {"actual": actual, "predicted": predicted, "split_scores": scores, "targets": targets}


def _present(values: list[Any]) -> list[Any] | None:
    return values if values and values[-1] is not None else None
