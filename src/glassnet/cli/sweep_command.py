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

from glassnet.cli.replacing import Replaced, folder_prefix
from glassnet.cli.sweep import Grid, results_csv, run_sweep
from glassnet.cli.workflow import Recipe

__all__ = ["FILES", "member_labels", "ranking_lines", "sweep", "sweep_report"]
from glassnet.cli.sweep_page import member_labels, sweep_report
from glassnet.core.wording import counted
from glassnet.train.progress import loss_text


def sweep(args: argparse.Namespace) -> int:
    """Run ``glassnet sweep``: train, print the ranking, write the table, model and report."""
    from glassnet.cli.checks import UsageError
    from glassnet.cli.commands import training_data
    from glassnet.cli.run_outputs import loss_figure
    from glassnet.cli.schedule_options import schedule_from_args
    from glassnet.cli.stops import after_last_epoch, exit_code, received, signal_name
    from glassnet.cli.sweep_record import reproduces, train_command
    from glassnet.cli.train_inputs import known_task, table_targets
    from glassnet.files.fileio import save_figure, write_json, write_text
    from glassnet.files.modelfile import save_model
    from glassnet.files.signals import signals_deferred

    if args.data is not None and args.target is None:
        raise UsageError("--target COLUMN is needed with --data")
    schedule = schedule_from_args(args, args.lr)  # refused before the data are read
    client = _client(args.dask)  # a missing extra or cluster: said before the data are read
    try:
        X, y, names, source = training_data(args)
    except KeyboardInterrupt:  # while the data is read
        print(f"\ninterrupted by {signal_name()} before training began; nothing was written",
              file=sys.stderr)  # fmt: skip
        return exit_code()
    recipe = Recipe(
        activation=args.activation, optimizer=args.optimizer, epochs=args.epochs,
        batch_size=args.batch_size or None, val_size=args.val_fraction, seed=args.seed,
        dtype=args.dtype, patience=args.patience or None, task=args.task,
        schedule=schedule, standardize=not args.no_standardize,
        known_task=known_task(args.dataset) if args.dataset else None,
        targets=table_targets(args),  # (best.npz names its target columns, as train's model)
    )  # fmt: skip
    grid = Grid(args.lr, args.weight_decay, args.momentum, args.seeds, args.hidden)
    count = len(grid.hidden) * len(
        grid.members(args.seed, args.optimizer in ("momentum", "nesterov"))
    )
    rows = X.n_rows if hasattr(X, "n_rows") else X.shape[0]
    networks = counted(count, "network")
    patience, epochs = counted(args.patience or 0, "epoch"), counted(args.epochs, "epoch")
    stopping = f"; each stops after {patience} without a better validation loss"
    print(f"sweep on {source}: {counted(rows, 'sample')}; {networks}, {epochs} each"
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
    penalized = bool(outcome.history.loss_penalty)  # the training curve says so
    said = command if what == "the run" else f"{command} ({what.rstrip(',')})"
    written: list[Path] = []
    try:
        with signals_deferred():  # a stop signal now acts once every file is written
            written += [
                write_text(out / f"{at}results.csv", results_csv(outcome.rows)),
                save_model(outcome.best, out / f"{at}best.npz"),
                write_json(out / f"{at}history.json", history),
                save_figure(loss_figure(outcome.history, penalized), out / f"{at}loss.png"),
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
        begun = counted(len(outcome.rows), "member")
        print(f"\ninterrupted by {signal_name()}: wrote the {begun} begun of "
              f"{outcome.planned} (each at its best epoch so far; stop_reason interrupted for "
              f"those still training) to {out}", file=sys.stderr)  # fmt: skip
        return exit_code()
    if received():  # after training, as the files were written
        reasons = [r["stop_reason"] for r in outcome.rows]
        print("\n" + after_last_epoch("every member", reasons), file=sys.stderr)
        return exit_code()
    return 0


FILES = ("results.csv", "best.npz", "history.json", "loss.png", "report.html")


def _client(address: str | None) -> Any:
    if address is None:
        return None
    try:
        from distributed import Client
    except ImportError as exc:  # (said before the data are read)
        raise ImportError(f"--dask needs its extra: pip install 'glassnet[dask]' ({exc})") from None
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
