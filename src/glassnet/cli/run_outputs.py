"""What ``glassnet train`` prints and writes beside the model, all from the run's one record:
the data lines (task, target scaling, encoded columns), the console summary, and
``history.json``, ``loss.png`` and ``report.html`` (:func:`write_extras`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.cli.class_lines import class_list, classes_shown  # noqa: F401 (class_list: old home)
from glassnet.core._types import Array
from glassnet.core.wording import counted
from glassnet.data.preprocessing import (
    LOSS_IN_UNITS,
    LOSS_SPLIT,
    LOSS_STANDARDIZED_SCALE,
    loss_name,
)
from glassnet.files.fileio import save_figure, write_json
from glassnet.files.signals import second_signal_cuts
from glassnet.train.progress import loss_text
from glassnet.train.target_units import loss_axes


def data_lines(outcome: Any) -> list[str]:
    """The task and why; each encoded column (categories, missing values and their fill)."""
    return setup_lines(outcome.model, outcome.task_reason, _loss_unit(outcome))


def setup_lines(model: Any, reason: str, unit: str) -> list[str]:
    """:func:`data_lines` of ``model`` (trained or not: the lines describe its data), its
    task chosen for ``reason``, its record's losses measuring ``unit`` (a ``loss_unit``)."""
    task = "classification" if model.classes is not None else "regression"
    other = "regression" if task == "classification" else "classification"
    key = ""
    if model.classes is not None:
        shown, key = classes_shown(model.classes)
        task += f" of {counted(len(model.classes), 'class')} ({shown})"
    lines = [f"task: {task} ({reason}); --task {other} overrides it"]
    lines += [key] if key else []  # which class each ~N stands for
    if model.target_scaler is not None:
        mean, scale = model.target_scaler
        one = len(scale) > 1 and bool(np.all(scale == scale[0]))  # one scale for all columns
        scale_text = f"{scale[0]:.6g} for every column" if one else _num(scale)
        lines.append(
            f"targets standardized for training (mean {_num(mean)}, scale {scale_text}); "
            "predictions are in the targets' units, losses (half squared error) "
            + _losses_in(unit)
        )
    lines += encoding_lines(model.encoding)
    return lines


def _loss_unit(outcome: Any) -> str:
    """What the run's record measures: a single run's ``loss_unit``; an ensemble's as
    :func:`~glassnet.data.preprocessing.loss_name` says (its curves as trained)."""
    history = getattr(outcome.result, "history", None)
    return getattr(history, "loss_unit", "") or loss_name(outcome.model.target_scaler)


def _losses_in(name: str) -> str:
    """How the run's losses are measured, in the summary line's words."""
    if name == LOSS_IN_UNITS:
        return "in their square"
    if name == LOSS_SPLIT:
        return ("in their square for validation and the final scores; the training loss "
                "averaged over the standardized columns (each over its variance)")  # fmt: skip
    if name == LOSS_STANDARDIZED_SCALE:
        return "of the standardized targets (their scale squared is out of float range)"
    return "averaged over the standardized columns (each over its variance)"


def task_notes(outcome: Any) -> list[tuple[str, str]]:
    """The report's rows for the task (and the key to its tagged class names)."""
    lines = data_lines(outcome)
    notes = [("task", lines[0].removeprefix("task: "))]
    if len(lines) > 1 and lines[1].startswith("key: "):
        notes.append(("key", lines[1].removeprefix("key: ")))
    return notes


def _num(values: Array) -> str:
    return ", ".join(f"{v:.6g}" for v in np.ravel(values))


def encoding_lines(encoding: Any) -> list[str]:
    """One line per categorical column and per column with missing values."""
    if encoding is None:
        return []
    lines = []
    for c in encoding.columns:
        if c.kind == "category":
            lines.append(
                f"column {c.name!r}: {counted(len(c.categories), 'category')} one-hot encoded"
                + (f" ({len(c.pooled)} rare ones as (other))" if c.pooled else "")
            )
        if c.n_missing:
            fill = (
                "category (missing)"
                if c.kind == "category"
                else f"filled with the median {c.fill:.6g}, plus a was-missing column"
            )
            share = f"{c.n_missing} missing ({c.share_missing:.1%})"
            lines.append(f"column {c.name!r}: {share}, {fill}")
    return lines


def summary_lines(history: Any, rows: dict[str, Any]) -> list[str]:
    """The console summary, from the run's record (the same numbers as the report)."""
    best, kept, units = history.lowest_epoch(), history.kept_epoch, history.lowest_in_units()
    line = (
        f"stopped after {counted(history.epochs, 'epoch')} ({history.stop_reason}); kept the "
        f"parameters of epoch {kept}"
    )
    two_units = history.loss_unit == LOSS_SPLIT  # training standardized, validation in units
    if best == 0 and kept != 0:  # training never beat the initialization's loss
        line += (
            "; the lowest monitored loss was at epoch 0, before training (a trained epoch is kept)"
        )
    elif best is not None and best != kept:
        line += f"; the lowest monitored loss was at epoch {best}"
    if history.epochs == 0 and history.stop_reason == "completed":  # --epochs 0 asked for it
        line += ": trained 0 epochs, the model is the untrained initialization"
    if units is not None and units != best:  # the loss compared is standardized
        line += f"; the lowest validation loss in the targets' units was at epoch {units}"
    lines = [line]
    if history.initial is not None:
        initial = loss_text(history.initial.loss)
        if two_units:
            val = history.initial.val_loss
            initial += " (standardized)" + ("" if val is None else f", validation {loss_text(val)}")
        with_penalty = ", with the L2 penalty" if history.loss_penalty else ""
        lines.append(f"{'epoch 0':>10}: loss {initial} (the initial parameters{with_penalty})")
    for split, score in history.final.items():
        acc = f", accuracy {score['accuracy']:.2%}" if score.get("accuracy") is not None else ""
        lines.append(
            f"{split:>10}: {counted(len(rows[split]), 'sample')}, "
            f"loss {loss_text(score['loss'])}{acc} "
            f"(the kept parameters, epoch {kept})"
        )
    return lines


def extras_paths(out: Path) -> dict[str, Path]:
    """Where ``history.json``, ``loss.png`` and ``report.html`` of the model ``out`` go:
    beside it under those names, unless another model's files already hold them; then
    under ``<model stem>.history.json`` and so on, so that nothing is replaced silently."""
    plain = {k: out.parent / k for k in ("history.json", "loss.png", "report.html")}
    owner = _history_owner(plain["history.json"])
    if owner == out.name or not any(p.exists() for p in plain.values()):
        return plain
    stem = out.name.removesuffix(".npz")
    named = {k: out.parent / f"{stem}.{k}" for k in plain}
    held = f"the files of {owner}" if owner else "files another command wrote"
    print(
        f"note: {out.parent} holds {held} ({', '.join(k for k in plain if plain[k].exists())});"
        f" this run's go to {', '.join(p.name for p in named.values())}"
    )
    return named


def _history_owner(path: Path) -> str | None:
    try:
        owner = json.loads(path.read_text()).get("model") if path.is_file() else None
    except (ValueError, AttributeError, OSError):
        owner = None
    return owner if isinstance(owner, str) else None


def write_extras(
    outcome: Any, paths: dict[str, Path], out: Path, source: str, written: list[Path]
) -> None:
    """``history.json``, ``loss.png`` and ``report.html`` (at ``paths``, from
    :func:`extras_paths`; those of them ``paths`` holds) beside the model ``out``; each
    path is added to ``written`` once it is."""
    history, X = outcome.result.history, outcome.X
    signal = (outcome.model.settings.get("run") or {}).get("signal")  # an interrupted run's
    ending = {"signal": signal} if signal else {}
    from glassnet.views.report_settings import penalty_note

    note = penalty_note(outcome.model.settings)  # what each epoch's "loss" carries
    penalty = {"loss_penalty": note} if note else {}
    if "history.json" in paths:
        write_json(paths["history.json"], {"model": out.name, **history.as_dict(), **penalty,
                                            **ending})  # fmt: skip
        written.append(paths["history.json"])
    if "loss.png" in paths:
        save_figure(loss_figure(history, bool(note)), paths["loss.png"])
        written.append(paths["loss.png"])
    if "report.html" in paths and outcome.observer is not None and outcome.codes is not None:
        print(f"writing {paths['report.html'].name} ...", flush=True)  # it may take a while
        from glassnet.views.report import write_report
        from glassnet.views.run_report import report_data

        # how the run ended, from the record (as history.json and the model file say it)
        by = f" by {signal}" if signal else ""
        notes = [("ending", f"{history.stop_reason}{by} after {counted(history.epochs, 'epoch')}")]
        notes += [
            (f"{split} accuracy (kept parameters)", f"{score.accuracy:.2%}")
            for split, score in outcome.scores.items()
            if score.accuracy is not None
        ]
        notes += task_notes(outcome)
        notes += [_split_line(line) for line in encoding_lines(outcome.model.encoding)]
        with second_signal_cuts():  # a second Ctrl-C gives up the report
            data = report_data(
                f"glassnet train: {source}", outcome.model, X, outcome.codes,
                outcome.rows["train"], history, outcome.observer, notes,
                splits=outcome.rows,  # a regressor's report scores each split
            )  # fmt: skip
            written.append(write_report(paths["report.html"], data))


def _split_line(line: str) -> tuple[str, str]:
    """``"column 'age': 3 missing ..."`` as a report note ``("column 'age'", "3 missing ...")``."""
    name, _, text = line.partition(": ")
    return name, text


def loss_figure(history: Any, penalized: bool = False) -> Any:
    """``loss.png``: the loss of every epoch from epoch 0 (the initial parameters), with the
    best and the kept epoch marked; ``penalized``: the training curve's legend says it
    carries the L2 penalty (weight decay)."""
    from glassnet.views.plotting import plot_loss
    from glassnet.views.report_settings import WITH_PENALTY

    rows = history.rows()
    val = [r.val_loss for r in rows]
    best, kept, units = history.lowest_epoch(), history.kept_epoch, history.lowest_in_units()
    offset = rows[0].epoch if rows else 0
    both = "best and kept" if best == kept else "kept"
    marks = [(f"{both} epoch ({kept})", kept - offset)]
    if best is not None and best != kept:
        marks.insert(0, (f"best epoch ({best})", best - offset))
    if units is not None and units != best:  # the best is by the standardized loss
        marks.append((f"lowest validation loss in target units ({units})", units - offset))
    ylabel, val_ylabel = loss_axes(history.loss_unit)  # a regressor's: the target's units
    return plot_loss(
        [r.loss for r in rows],
        val if val and val[-1] is not None else None,
        xlabel="epoch",
        ylabel=ylabel,
        validation_ylabel=val_ylabel,
        title="Mean loss per sample (epoch 0: the initial parameters)",
        marks=marks,
        training_label=f"training ({WITH_PENALTY})" if penalized else "training",
    )
