"""``glassnet demo``: run the tutorial and write its numbers and figures to a folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from glassnet.cli.replacing import Replaced, folder_prefix
from glassnet.data.datasets import CIRCLES_CLASSES
from glassnet.files.fileio import save_figure, write_json, write_npz, write_text
from glassnet.train.snapshots import Snapshots
from glassnet.train.starts import StartsResult, tutorial_starts
from glassnet.train.tutorial import Step, TutorialConfig, TutorialRun, run_tutorial, tutorial_data
from glassnet.views.diagnostics import DiagnosticsRecord

Print = Callable[[str], None]
CLASS_NAMES = list(CIRCLES_CLASSES)  # the tutorial's names, as explain gives them


def metrics(run: TutorialRun) -> dict[str, object]:
    """The run's numbers, as written to ``metrics.json``."""
    return {
        "initial_loss": run.initial_loss,
        "final_loss": run.final_loss,
        "accuracy": run.accuracy,
        "misclassified": run.misclassified,
        "first_perfect_iteration": run.first_perfect_iteration,
        "iterations": run.config.iterations,
        "learning_rate": run.config.learning_rate,
        "momentum": run.config.momentum,
        "loss_history": run.loss_history,
        "gradient_check": run.gradient_report.as_dict(),
    }


DEMO_FILES = ("metrics.json", "params.npz", "dataset.png", "loss.png", "decision_boundary.png",
              "hidden_projection.png", "report.html")  # fmt: skip


def write_outputs(
    run: TutorialRun,
    out_dir: str | os.PathLike[str],
    starts: StartsResult | None = None,
    at: str = "",
) -> list[Path]:
    """Write metrics, trained parameters and the four figures into ``out_dir`` (each name
    after the prefix ``at``: ``"demo."`` beside another command's files)."""
    from glassnet.views import plotting  # matplotlib only when a figure is drawn

    out = Path(out_dir)
    (W_h, b_h), (W_o, b_o) = ((p["W"], p["b"]) for p in run.params)
    H = run.net.hidden_activations(run.params, run.X)[0]  # (N, 3)
    numbers = metrics(run)
    if starts is not None:
        numbers["starts"] = {**starts.summary(), "finding": starts.finding()}
    written = [
        write_json(out / f"{at}metrics.json", numbers),
        write_npz(out / f"{at}params.npz", {"W_h": W_h, "b_h": b_h, "W_o": W_o, "b_o": b_o}),
    ]
    figures = {
        "dataset.png": plotting.plot_dataset(run.X, run.t, CLASS_NAMES, "The circles data"),
        "loss.png": plotting.plot_loss(
            run.loss_history, title="Cross-entropy loss (momentum)", log_span=None
        ),
        "decision_boundary.png": plotting.plot_decision_boundary(
            lambda P: run.net.predict(run.params, P), run.X, run.t, class_names=CLASS_NAMES
        ),
        "hidden_projection.png": plotting.plot_hidden_projection(H, run.t, class_names=CLASS_NAMES),
    }
    for name, fig in figures.items():
        written.append(save_figure(fig, out / f"{at}{name}"))
    return written


class Recording:
    """Diagnostics collected during the run (an ``on_step`` hook) and the parameter
    snapshots the loop recorded (an ``on_epoch_end`` hook)."""

    def __init__(self, record: DiagnosticsRecord) -> None:
        self.record = record
        self.snapshots = Snapshots()

    def __call__(self, step: Step) -> None:
        self.record.add(step.grads, step.hidden, step.loss)


def write_report(
    run: TutorialRun,
    rec: Recording,
    out_dir: str | os.PathLike[str],
    starts: StartsResult | None = None,
    at: str = "",
) -> Path:
    """``report.html`` (after the prefix ``at``): the run, its diagnostics and every hidden
    layer, in one file (and the many-starts comparison when ``starts`` is given)."""
    from glassnet.views.population import starts_section  # matplotlib only when drawing
    from glassnet.views.report import ReportData, build_report

    cfg = run.config
    accuracy = [1.0 - wrong / len(run.t) for wrong in run.misclassified_history]
    data = ReportData(
        "glassnet demo: the tutorial's 2-3-2 network on the circles data",
        run.net,
        run.params,
        run.X,
        run.t,
        run.loss_history,
        accuracy_history=accuracy,
        gradient_report=run.gradient_report,
        diagnostics=rec.record,
        snapshots=rec.snapshots.params,
        class_names=CLASS_NAMES,
        notes=[
            ("optimizer", f"momentum {cfg.momentum}, learning rate {cfg.learning_rate}"),
            ("all samples correct from iteration", str(run.first_perfect_iteration)),
        ],
        extra_sections=[]
        if starts is None
        else [("starts", "Many starts: gradient descent and momentum", starts_section(starts))],
    )
    return write_text(Path(out_dir) / f"{at}report.html", build_report(data)[0])


def _describe(run: TutorialRun, echo: Print) -> None:
    """The demo's opening lines: the data, the network, its gradient check, the settings."""
    echo(f"shape of X: {run.X.shape}")
    echo(f"shape of T: {run.T.shape}")
    sizes = "-".join(map(str, run.net.sizes))
    echo(f"network {sizes}: logistic hidden layer, softmax output, {run.net.n_params} parameters")
    echo("gradient check of the network at init scale 1:")
    echo(run.gradient_report.format())
    cfg = run.config
    echo(
        f"training: momentum {cfg.momentum}, learning rate {cfg.learning_rate}, "
        f"{cfg.iterations} full-batch iterations, summed cross-entropy"
    )


def run_demo(
    out_dir: str | os.PathLike[str],
    echo: Print = print,
    every: int = 25,
    animate: bool = False,
    starts: int = 0,
) -> TutorialRun:
    """Run the tutorial, narrating every ``every`` iterations, and write its outputs
    (``report.html`` too; ``training.gif`` when ``animate``). ``starts > 0`` also trains the
    network from that many random starts with gradient descent and with momentum
    (:mod:`glassnet.train.starts`) and adds the comparison to the metrics and the report."""

    config = TutorialConfig()

    def progress(i: int, loss: float, wrong: int) -> None:
        if every and (i % every == 0 or i == config.iterations):
            echo(f"  iteration {i:>4}  loss {loss:10.4f}  misclassified {wrong:>3}")

    rec = Recording(DiagnosticsRecord.for_network(tutorial_data(config)[4]))
    describe = partial(_describe, echo=echo)
    run = run_tutorial(
        config, on_iteration=progress, on_start=describe, on_step=rec, on_epoch_end=rec.snapshots
    )
    echo("summary: " + run.summary())
    for plateau in rec.record.plateaus():
        echo(f"diagnostics: {plateau.describe()}")
    many = many_starts(starts, echo) if starts > 0 else None
    before = Replaced.in_folder(out_dir)
    at = folder_prefix(out_dir, DEMO_FILES + ("training.gif",) * animate, "demo")
    written = [*write_outputs(run, out_dir, many, at), write_report(run, rec, out_dir, many, at)]
    if animate:
        from glassnet.views.animation import write_training_gif

        gif = Path(out_dir) / f"{at}training.gif"
        written.append(write_training_gif(gif, run.net, rec.snapshots, run.X, run.t))
    replaced = before.among(written)
    if replaced:
        echo("note: replaced the earlier " + ", ".join(replaced))
    for path in written:
        echo(f"wrote {path}")
    return run


def many_starts(n: int, echo: Print) -> StartsResult:
    """Train from ``n`` random starts with both optimizers and print what they reached."""
    import time

    echo(f"training from {n} random starts with gradient descent and with momentum ...")
    began = time.perf_counter()
    result = tutorial_starts(n)
    echo(f"  {2 * n} networks trained in {time.perf_counter() - began:.1f} s")
    for name, row in result.summary().items():
        echo(
            f"  {name:<17} all samples correct in {row['share_all_correct']:6.1%} of starts; "
            f"final loss median {row['final_loss_p50']:.3f} (p10 {row['final_loss_p10']:.3f}, "
            f"p90 {row['final_loss_p90']:.3f})"
        )
    echo("  " + result.finding())
    return result
