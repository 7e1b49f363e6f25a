"""What ``glassnet sweep`` does, given parsed arguments: train (:mod:`glassnet.cli.sweep`),
print the ranking and the ``glassnet train`` command that reproduces ``best.npz``, write
``results.csv``, ``best.npz`` with its ``history.json`` and ``loss.png`` (the record of
:mod:`glassnet.cli.sweep_record`) and ``report.html``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.cli.replacing import Replaced, folder_prefix
from glassnet.cli.sweep import COLUMNS, Grid, SweepOutcome, _cell, results_csv, run_sweep
from glassnet.cli.workflow import Recipe
from glassnet.train.progress import loss_text


def sweep(args: argparse.Namespace) -> int:
    """Run ``glassnet sweep``: train, print the ranking, write the table, model and report."""
    from glassnet.cli.checks import UsageError
    from glassnet.cli.commands import training_data
    from glassnet.cli.run_outputs import loss_figure
    from glassnet.cli.stops import exit_code, received, signal_name
    from glassnet.cli.sweep_record import reproduces, train_command
    from glassnet.files.fileio import save_figure, write_json, write_text
    from glassnet.files.modelfile import save_model
    from glassnet.files.signals import signals_deferred

    if args.data is not None and args.target is None:
        raise UsageError("--target COLUMN is needed with --data")
    try:
        X, y, names, source = training_data(args)
    except KeyboardInterrupt:  # while the data is read
        print(f"\ninterrupted by {signal_name()} before training began; nothing was written",
              file=sys.stderr)  # fmt: skip
        return exit_code()
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
          + (stopping if args.patience else "") + f"; the split of --seed {args.seed}")  # fmt: skip
    try:
        outcome = run_sweep(X, y, recipe, grid, names, client)
    except KeyboardInterrupt:
        print(f"\ninterrupted by {signal_name()} before any member's record was kept; "
              "nothing was written", file=sys.stderr)  # fmt: skip
        return exit_code()
    out = Path(args.out)
    command = train_command(args, outcome.rows[0])
    outcome.best.settings["sweep"]["train"] = command  # the run that reproduces best.npz
    what = reproduces(args, outcome.rows[0])
    if what != "the run":  # interrupted: what the command gives, and which signal
        outcome.best.settings["sweep"]["train_reproduces"] = what
        outcome.best.settings["run"]["signal"] = signal_name()
    before = Replaced.in_folder(out)
    at = folder_prefix(out, FILES, "sweep")
    record = {"model": f"{at}best.npz", "sweep": outcome.best.settings["sweep"]}
    signal = {"signal": signal_name()} if what != "the run" else {}  # as train's record
    history = {**record, **outcome.history.as_dict(), **signal}
    said = command if what == "the run" else f"{command} ({what.rstrip(',')})"
    written: list[Path] = []
    try:
        with signals_deferred():  # a stop signal now acts once every file is written
            written += [
                write_text(out / f"{at}results.csv", results_csv(outcome.rows)),
                save_model(outcome.best, out / f"{at}best.npz"),
                write_json(out / f"{at}history.json", history),
                save_figure(loss_figure(outcome.history), out / f"{at}loss.png"),
                write_text(out / f"{at}report.html", sweep_report(outcome, source, said)),
            ]
    except KeyboardInterrupt:  # it acted once every file was written: said below
        if len(written) < len(FILES):
            raise
    for line in ranking_lines(outcome.rows):
        print(line)
    cut = outcome.planned > len(outcome.rows) or any(
        r["stop_reason"] == "interrupted" for r in outcome.rows)  # fmt: skip
    print(f"{at}best.npz (rank 1) is {what} of: {command}")
    before.note(written)
    print("wrote " + ", ".join(map(str, written)))
    if cut:  # a stop signal: what was done is written, each member's best so far
        print(f"\ninterrupted by {signal_name()}: wrote the {len(outcome.rows)} members begun of "
              f"{outcome.planned} (each at its best epoch so far; stop_reason interrupted for "
              f"those still training) to {out}", file=sys.stderr)  # fmt: skip
        return exit_code()
    if received():  # after training, as the files were written
        print(f"\n{signal_name()} came after the last epoch, as the files were written: the "
              "sweep had completed (its record says so) and every file is written",
              file=sys.stderr)  # fmt: skip
        return exit_code()
    return 0


FILES = ("results.csv", "best.npz", "history.json", "loss.png", "report.html")


def _client(address: str | None) -> Any:
    if address is None:
        return None
    from distributed import Client

    return Client(address)


def ranking_lines(rows: Sequence[dict[str, Any]], top: int = 10) -> list[str]:
    """The best ``top`` members as aligned text lines (``init``: the member's init seed; its
    split is that of ``--seed``)."""
    lines = ["rank  hidden      lr          decay       momentum  init  kept  val_loss  val_acc"]
    for r in rows[:top]:
        acc = f"{r['val_accuracy']:.4f}" if r["val_accuracy"] != "" else "-"
        mom = f"{r['momentum']:g}" if r["momentum"] != "" else "-"
        lines.append(
            f"{r['rank']:>4}  {r['hidden']:<10}  {r['learning_rate']:<10.4g}  "
            f"{r['weight_decay']:<10.4g}  {mom:<8}  {r['init_seed']:>4}  {r['kept_epoch']:>4}  "
            f"{loss_text(r['val_loss']):>8}  {acc}"
        )
    if len(rows) > top:
        lines.append(f"... and {len(rows) - top} more in results.csv")
    return lines


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
        f"{len(outcome.rows)} networks trained on {source}, ranked by the validation loss of "
        "each member's kept epoch (its best; the parameters it keeps). Every member has the "
        "train/validation split of the split seed; its init seed gives its initialization "
        "and minibatch order.") + table)]  # fmt: skip
    history, images = outcome.history, {}  # type: ignore[var-annotated]
    best = h.table(["", "value"], best_rows(outcome, command), text_cols=2)
    best += h.figure(images, "loss.png", loss_figure(history), "Loss of best.npz's member per "
                     "epoch from epoch 0 (the initial parameters), its kept epoch marked")
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
        caption = ("Validation loss of every member per epoch from epoch 0 (the initial "
                   "parameters); dots: each member's kept epoch; the best member in bold")
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
        rows.append(("initial training loss (epoch 0)", loss_text(first.loss)))
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
