"""The page ``glassnet sweep`` writes (``report.html``): the ranked table, the best member's
record as a single run's summary says it, and every member's validation curve from
epoch 0, each labelled by the settings that vary (:func:`member_labels`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.cli.sweep import COLUMNS, SweepOutcome, _cell
from glassnet.core.wording import counted
from glassnet.train.progress import loss_text

VARIED = (("learning_rate", "lr"), ("weight_decay", "decay"), ("momentum", "momentum"),
          ("init_seed", "init seed"))  # fmt: skip


def member_labels(rows: Sequence[dict[str, Any]]) -> dict[tuple[Any, int], str]:
    """Each member's legend label, ``(arch, member) -> "lr 0.01, decay 0.001, seed 1"``:
    every setting that differs between the members (the architecture is the figure's)."""
    varied = [(key, short) for key, short in VARIED if len({r[key] for r in rows}) > 1]
    varied = varied or [("init_seed", "init seed")]
    return {(r["arch"], r["member"]): ", ".join(f"{short} {_text(r[key])}"
                                                for key, short in varied)
            for r in rows}  # fmt: skip


def _text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def sweep_report(outcome: SweepOutcome, source: str, command: str = "") -> str:
    """The report page: the ranked table, the best member's record (as a single run's
    summary) and every member's validation curve from epoch 0, each member's kept epoch
    marked."""
    from glassnet.cli.run_outputs import loss_figure
    from glassnet.views import report_html as h
    from glassnet.views.population import plot_member_curves

    header = [c.replace("_", " ") for c in COLUMNS]
    table = h.table(header, [[_cell(r[c]) for c in COLUMNS] for r in outcome.rows], text_cols=2)
    sections = [("results", "Results, best first", h.paragraph(
        f"{counted(len(outcome.rows), 'network')} trained on {source}, "
        "ranked by the validation loss of "
        "each member's kept epoch (its best; the parameters it keeps). Every member has the "
        "train/validation split of the split seed; its init seed gives its initialization "
        "and minibatch order.") + table)]  # fmt: skip
    history, images = outcome.history, {}  # type: ignore[var-annotated]
    best = h.table(["", "value"], best_rows(outcome, command), text_cols=2)
    best += h.figure(
        images,
        "loss.png",
        loss_figure(history, bool(history.loss_penalty)),
        "Loss of best.npz's member per "
        "epoch from epoch 0 (the initial parameters), its kept epoch marked",
    )
    sections.append(("best", "The best member (best.npz)", best))
    labels = member_labels(outcome.rows)
    top = outcome.rows[0]
    for hidden, result in outcome.curves.items():
        d = result.as_dict()  # epoch 0 (the initialization) first
        val = np.array(d["val_loss"], dtype=float) * outcome.unit
        fig = plot_member_curves(
            val, [labels[hidden, k] for k in range(len(result.members))],
            f"hidden {row_hidden(hidden)}",
            "validation loss", top["member"] if top["arch"] == hidden else None,
            first_epoch=d["epoch"][0], kept=result.best_epoch,
        )  # fmt: skip
        anchor = "curves-" + "-".join(map(str, hidden))
        caption = (
            "Validation loss of every member per epoch from epoch 0 (the initial "
            "parameters); dots: each member's kept epoch; the best member in bold"
        )
        title = f"Curves: hidden {row_hidden(hidden)}"
        sections.append((anchor, title, h.image(h.png_bytes(fig), caption)))
    return h.page("glassnet sweep", [(a, t, h.section(a, t, [body])) for a, t, body in sections])


def best_rows(outcome: SweepOutcome, command: str) -> list[tuple[str, object]]:
    """The best member's record, as a single run's summary says it."""
    history, row = outcome.history, outcome.rows[0]
    rows: list[tuple[str, object]] = [
        ("settings", f"hidden {row['hidden']}, lr {row['learning_rate']:g}, weight decay "
                     f"{row['weight_decay']:g}, split seed {row['split_seed']}, init seed "
                     f"{row['init_seed']}"),
        ("epochs", history.epochs), ("ending", history.stop_reason),
        ("kept epoch (the parameters saved)", history.kept_epoch),
        ("best epoch (lowest validation loss)", history.lowest_epoch()),
    ]  # fmt: skip
    first = history.initial
    if first is not None:
        penalty = ", with the L2 penalty" if history.loss_penalty else ""
        rows.append((f"initial training loss (epoch 0{penalty})", loss_text(first.loss)))
        if first.val_loss is not None:
            rows.append(("initial validation loss (epoch 0)", loss_text(first.val_loss)))
    for split, score in history.final.items():
        loss = float("nan") if score["loss"] is None else score["loss"]
        rows.append((f"final {split} loss (the saved parameters)", loss_text(loss)))
        if score.get("accuracy") is not None:
            rows.append((f"final {split} accuracy", f"{score['accuracy']:.2%}"))
    if command:
        rows.append(("the same run alone", command))
    return rows


def row_hidden(hidden: tuple[int, ...]) -> str:
    """An architecture as the options spell it: ``64,32``."""
    return ",".join(map(str, hidden))
