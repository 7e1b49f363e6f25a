"""What a training run's results show of themselves at a Python prompt (``repr``): counts
and the run's outcome in one line, never the arrays or every epoch's record; those are in
the fields (``result.params``, ``history.records``) and ``_repr_html_`` tabulates them."""

from __future__ import annotations

from typing import Any

from glassnet.core.wording import counted


def params_text(params: Any) -> str:
    """``2 layers, 34 float64 numbers`` for a parameter list (an ensemble's stacked too)."""
    arrays = [a for layer in params for a in layer.values()]
    dtypes = sorted({str(a.dtype) for a in arrays})
    size = sum(int(a.size) for a in arrays)
    return f"{counted(len(params), 'layer')}, {size} {'/'.join(dtypes)} numbers"


def history_text(history: Any) -> str:
    """``History(5 epochs, kept epoch 3, stop: early stopping; at epoch 3 loss 0.41, ...)``."""
    parts = [counted(history.epochs, "epoch"), f"kept epoch {history.kept_epoch}",
             f"stop: {history.stop_reason}"]  # fmt: skip
    kept = [r for r in history.rows() if r.epoch == history.kept_epoch]
    if kept:
        shown = [f"{name} {value:.5g}" for name in ("loss", "val_loss", "accuracy",
                 "val_accuracy") if isinstance(value := getattr(kept[0], name), float)]  # fmt: skip
        parts.append(f"at epoch {history.kept_epoch}: " + ", ".join(shown))
    return f"History({'; '.join(parts)}; .records holds every epoch)"


def result_text(result: Any) -> str:
    """``TrainResult(params: ..., history: History(...), opt_state: AdamState)``."""
    state = type(result.opt_state).__name__
    return (f"TrainResult(params: {params_text(result.params)}, history: "
            f"{history_text(result.history)}, opt_state: {state})")  # fmt: skip
