"""Figures keep their text inside (NU7 9) and draw short curves visibly (NU7 18): a long
y label (a regressor's loss unit), title or x label is wrapped to fit; a loss curve of one
or a few points has a marker at each point, inside the frame."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from glassnet.train.history import EpochRecord, History
from glassnet.views import figures, plotting, population, report_regression
from glassnet.views.diagnostics import Plateau
from glassnet.views.landscape import LossSlice

UNIT = "half squared error of the standardized targets (their scale squared is out of float range)"
LONG = "a column name that somebody made rather long, " * 3


def _texts_inside(fig: Any) -> list[str]:
    """The titles and axis labels that cross the figure's edge (after drawing)."""
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    texts = [t for ax in fig.axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label)]
    if getattr(fig, "_suptitle", None) is not None:
        texts.append(fig._suptitle)
    outside = []
    for text in texts:
        if not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < frame.x0 - 1 or box.y0 < frame.y0 - 1 or box.x1 > frame.x1 + 1 or (
            box.y1 > frame.y1 + 1
        ):
            outside.append(text.get_text())
    return outside


def _history(n: int, unit: str = UNIT) -> History:
    rows = [EpochRecord(e, 1.0 / (e + 1), 1.2 / (e + 1), None, None, 0.01, 0.0) for e in range(n)]
    return History(rows[1:], n - 1, "completed", rows[0], {}, unit)


def _loss_png(n: int) -> Any:
    from glassnet.cli.run_outputs import loss_figure

    return loss_figure(_history(n))


y = np.linspace(0.0, 1.0, 40)
FIGURES: dict[str, Callable[[], Any]] = {
    "loss.png of a regressor (its unit)": lambda: _loss_png(30),
    "loss.png of a one-epoch run": lambda: _loss_png(2),
    "plot_loss, long everything": lambda: plotting.plot_loss(
        [1.0, 0.5, 0.3], [1.1, 0.6, 0.4], xlabel=LONG, ylabel=UNIT, title=LONG,
        marks=[("kept epoch (2)", 2)],
    ),
    "plateaus": lambda: figures.plot_loss_with_plateaus(
        list(1.0 / np.arange(1, 50)), [Plateau(10, 30, 0.05)], ylabel=UNIT, title=LONG
    ),
    "predicted vs actual": lambda: report_regression.plot_predicted_vs_actual(
        y, y[::-1], f" of {LONG!r}"
    ),
    "residuals": lambda: report_regression.plot_residuals(y, y[::-1], f" of {LONG!r}"),
    "landscape": lambda: figures.plot_landscape(
        LossSlice(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5), np.ones((5, 5)) + np.eye(5),
                  np.zeros((0, 2)), (LONG, UNIT)),
        title=LONG,
    ),
    "member curves": lambda: population.plot_member_curves(
        np.ones((5, 3)), ["a", "b", "c"], LONG, UNIT
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_label_fits_inside_the_figure(name: str) -> None:
    assert _texts_inside(FIGURES[name]()) == []


def test_the_unit_is_wrapped_not_cut() -> None:
    label = _loss_png(30).axes[0].yaxis.label.get_text()
    assert "\n" in label and " ".join(label.split()) == UNIT


@pytest.mark.parametrize("points", [1, 2, 5])
@pytest.mark.parametrize("validation", [False, True])
def test_short_curves_have_markers_inside_the_frame(points: int, validation: bool) -> None:
    loss = list(np.linspace(0.9, 0.5, points))
    fig = plotting.plot_loss(loss, loss if validation else None, marks=[("kept epoch (0)", 0)])
    ax = fig.axes[0]
    lines = [ln for ln in ax.lines if ln.get_label() in ("training", "validation")]
    assert len(lines) == (2 if validation else 1)
    left, right = ax.get_xlim()
    for line in lines:
        assert line.get_marker() == "o"
        xs = line.get_xdata()
        assert left < min(xs) and max(xs) < right  # not on the frame's edge
    assert left < 0 < right  # the kept epoch 0 is drawn inside too


def test_an_epoch_0_run_draws_its_point() -> None:
    """A run stopped before epoch 1 ended: loss.png shows epoch 0's loss as a marker."""
    from glassnet.cli.run_outputs import loss_figure

    start = EpochRecord(0, 0.7, 0.72, None, None, 0.01, 0.0)
    ax = loss_figure(History([], 0, "interrupted", start, {}, "")).axes[0]
    training = next(ln for ln in ax.lines if ln.get_label() == "training")
    assert list(training.get_xdata()) == [0] and training.get_marker() == "o"
    bottom, top = ax.get_ylim()
    assert bottom < 0.7 < top


def test_long_curves_stay_plain_lines() -> None:
    ax = plotting.plot_loss(list(1.0 / np.arange(1, 200))).axes[0]
    assert ax.lines[0].get_marker() in (None, "None", "") and ax.get_xlim() == (0, 198)
