"""What a model file keeps of the run that made it, in its settings: the summary
(``settings["run"]``, :func:`glassnet.train.summary.run_summary`) and the record of every
epoch (``settings["history"]``, :meth:`glassnet.train.history.History.as_dict`, what
``history.json`` holds), as an estimator's ``save`` keeps them; so that the file alone gives
the curves back (``MLPClassifier.from_model``'s ``loss_curve_``, ``glassnet report``);
and the run's diagnostics, summarized (``settings["diagnostics"]``), for a report made later.

A record too long for the file's metadata (:data:`HISTORY_BUDGET` characters of JSON, a
quarter of the :data:`~glassnet.files.safenpz.MAX_META_BYTES` cap, about 10,000 epochs) is
left out, as in files made before it was kept: the summary stays, and ``history.json``
beside the model holds every epoch.
"""

from __future__ import annotations

import json
from typing import Any

from glassnet.files.safenpz import MAX_META_BYTES
from glassnet.train.history import History
from glassnet.train.summary import run_summary

HISTORY_BUDGET = MAX_META_BYTES // 4 // 4  # characters: the cap is in bytes, 4 a character

__all__ = ["HISTORY_BUDGET", "keep_run"]


def keep_run(
    settings: dict[str, Any],
    history: History,
    diagnostics: dict[str, Any] | None = None,
    train_rows: int | None = None,
) -> None:
    """Write ``history``'s summary (``"run"``; with ``"train_rows"``, the number of rows
    each epoch trained on, when given: an estimator's ``t_`` is epochs times rows) and
    record (``"history"``, when it fits in :data:`HISTORY_BUDGET` characters of JSON, else
    none: an earlier one is removed) into a model's ``settings``, in place; and
    ``diagnostics`` (``"diagnostics"``, plain JSON values of bounded size: the run's
    diagnostics summarized by
    :class:`glassnet.views.diagnostics_summary.DiagnosticsSummary`) when given, else none."""
    settings["run"] = run_summary(history)
    if train_rows is not None:
        settings["run"]["train_rows"] = int(train_rows)
    record = history.as_dict()
    if len(json.dumps(record)) <= HISTORY_BUDGET:
        settings["history"] = record
    else:
        settings.pop("history", None)
    if diagnostics is not None:
        settings["diagnostics"] = diagnostics
    else:
        settings.pop("diagnostics", None)
