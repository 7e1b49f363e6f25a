"""What ``glassnet sweep`` does, given parsed arguments: train (:mod:`glassnet.cli.sweep`),
print the ranking, write ``results.csv``, ``best.npz`` and ``report.html``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from glassnet.cli.replacing import Replaced, folder_prefix
from glassnet.cli.sweep import COLUMNS, Grid, SweepOutcome, _cell, results_csv, run_sweep
from glassnet.cli.workflow import Recipe
from glassnet.train.progress import loss_text


def sweep(args: argparse.Namespace) -> int:
    """Run ``glassnet sweep``: train, print the ranking, write the table, model and report."""
    from glassnet.cli.checks import UsageError
    from glassnet.cli.commands import training_data
    from glassnet.files.fileio import write_text
    from glassnet.files.modelfile import save_model

    if args.data is not None and args.target is None:
        raise UsageError("--target COLUMN is needed with --data")
    X, y, names, source = training_data(args)
    from glassnet.core.schedules import get_schedule

    recipe = Recipe(
        activation=args.activation, optimizer=args.optimizer, epochs=args.epochs,
        batch_size=args.batch_size or None, val_size=args.val_fraction, seed=args.seed,
        dtype=args.dtype, patience=args.patience or None, task=args.task,
        schedule=get_schedule(args.schedule), standardize=not args.no_standardize,
    )  # fmt: skip
    grid = Grid(args.lr, args.weight_decay, args.momentum, args.seeds, args.hidden)
    client = _client(args.dask)
    count = len(grid.hidden) * len(
        grid.members(args.seed, args.optimizer in ("momentum", "nesterov"))
    )
    rows = X.n_rows if hasattr(X, "n_rows") else X.shape[0]
    networks = f"{count} network{'s' if count != 1 else ''}"
    stopping = f"; each stops after {args.patience} epochs without a better validation loss"
    print(f"sweep on {source}: {rows} samples; {networks}, {args.epochs} epochs each"
          + (stopping if args.patience else ""))  # fmt: skip
    outcome = run_sweep(X, y, recipe, grid, names, client)
    out = Path(args.out)
    before = Replaced.in_folder(out)
    at = folder_prefix(out, ("results.csv", "best.npz", "report.html"), "sweep")
    written = [
        write_text(out / f"{at}results.csv", results_csv(outcome.rows)),
        save_model(outcome.best, out / f"{at}best.npz"),
        write_text(out / f"{at}report.html", sweep_report(outcome, source)),
    ]
    for line in ranking_lines(outcome.rows):
        print(line)
    before.note(written)
    print("wrote " + ", ".join(map(str, written)))
    return 0


def _client(address: str | None) -> Any:
    if address is None:
        return None
    from distributed import Client

    return Client(address)


def ranking_lines(rows: Sequence[dict[str, Any]], top: int = 10) -> list[str]:
    """The best ``top`` members as aligned text lines."""
    lines = ["rank  hidden      lr          decay       momentum  seed  epoch  val_loss  val_acc"]
    for r in rows[:top]:
        acc = f"{r['val_accuracy']:.4f}" if r["val_accuracy"] != "" else "-"
        mom = f"{r['momentum']:g}" if r["momentum"] != "" else "-"
        lines.append(
            f"{r['rank']:>4}  {r['hidden']:<10}  {r['learning_rate']:<10.4g}  "
            f"{r['weight_decay']:<10.4g}  {mom:<8}  {r['seed']:>4}  {r['best_epoch']:>5}  "
            f"{loss_text(r['val_loss']):>8}  {acc}"
        )
    if len(rows) > top:
        lines.append(f"... and {len(rows) - top} more in results.csv")
    return lines


def sweep_report(outcome: SweepOutcome, source: str) -> str:
    """The report page: the ranked table and every member's validation curve."""
    from glassnet.views import report_html as h
    from glassnet.views.population import plot_member_curves

    header = [c.replace("_", " ") for c in COLUMNS]
    table = h.table(header, [[_cell(r[c]) for c in COLUMNS] for r in outcome.rows], text_cols=2)
    sections = [("results", "Results, best first", h.paragraph(
        f"{len(outcome.rows)} networks trained on {source}, ranked by the validation loss of "
        "each member's best epoch (the parameters it keeps).") + table)]  # fmt: skip
    best = outcome.rows[0]
    for hidden, result in outcome.curves.items():
        assert result.val_loss is not None
        m = result.members
        labels = [f"lr {m.learning_rate[k] if m.learning_rate else ''}, seed {m.seeds[k]}"
                  for k in range(len(m))]  # fmt: skip
        bold = best["member"] if best["arch"] == hidden else None
        fig = plot_member_curves(
            result.val_loss, labels, f"hidden {hidden}", "validation loss", bold
        )
        anchor = "curves-" + "-".join(map(str, hidden))
        caption = "Validation loss of every member, per epoch (the best member in bold)"
        sections.append((anchor, f"Curves: hidden {hidden}", h.image(h.png_bytes(fig), caption)))
    return h.page("glassnet sweep", [(a, t, h.section(a, t, [body])) for a, t, body in sections])
