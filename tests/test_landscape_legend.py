"""The landscape's legend covers none of the training path, its markers or the centre
(NU9 #22), wherever the path runs (corners included), and stays inside the figure clear
of the axis text. The oracle: matplotlib's own display coordinates, after drawing, of the
legend's box, of every point of every line, and of the tick labels and x label."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from glassnet.views.figures import plot_landscape
from glassnet.views.landscape import LossSlice

t = np.linspace(0.0, 1.0, 30)
PATHS = {
    "top left to the centre": np.column_stack([-3.5 + 3.5 * t, 1.1 + 2.8 * np.sin(3 * t)]),
    "along the top edge": np.column_stack([-4 + 8 * t, np.full_like(t, 3.9)]),
    "around all four corners": np.array(
        [[-3.9, -3.9], [3.9, -3.9], [3.9, 3.9], [-3.9, 3.9], [-3.9, -3.5], [0.0, 0.0]]
    ),
    "a spiral": np.column_stack([3.8 * (1 - t) * np.cos(12 * t), 3.8 * (1 - t) * np.sin(12 * t)]),
    "one point": np.array([[3.7, 3.7]]),
}


def _drawn(path, xlabel="PC1 (63%)", cut=None):
    grid = np.linspace(-4, 4, 9)
    s = LossSlice(grid, grid, np.ones((9, 9)) + grid[None] ** 2, path, (xlabel, "PC2 (20%)"))
    fig = plot_landscape(s, "Loss on houses", centre="the kept parameters (epoch 42)", cut=cut)
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig, fig.canvas.get_renderer()


@pytest.mark.parametrize("name", PATHS)
def test_the_legend_covers_no_point_of_the_path_or_its_marks(name):
    fig, renderer = _drawn(PATHS[name])
    ax = fig.axes[0]
    box = ax.get_legend().get_window_extent(renderer)
    lines = [ln for ln in ax.lines if len(ln.get_xydata())]
    assert len(lines) >= 3  # the path or its points, the start, the end, the centre
    for line in lines:
        points = line.get_transform().transform(line.get_xydata())
        marker = line.get_markersize() if line.get_marker() not in (None, "None", "") else 0
        r = marker * fig.dpi / 72 / 2  # a marker's half width, in pixels
        inside = (
            (points[:, 0] + r > box.x0) & (points[:, 0] - r < box.x1)
            & (points[:, 1] + r > box.y0) & (points[:, 1] - r < box.y1)
        )  # fmt: skip
        assert not inside.any(), (line.get_label(), points[inside], box)


@pytest.mark.parametrize("xlabel", ["PC1 (63%)", "the first principal direction " * 4])
def test_the_legend_is_inside_the_figure_and_clear_of_the_axis_text(xlabel):
    fig, renderer = _drawn(PATHS["a spiral"], xlabel=xlabel, cut=10)
    ax = fig.axes[0]
    box = ax.get_legend().get_window_extent(renderer)
    frame = fig.bbox
    assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1
    assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1
    texts = [ax.xaxis.label, ax.title, *ax.get_xticklabels(), *ax.get_yticklabels()]
    for text in texts:
        if text.get_text() and text.get_visible():
            assert not box.overlaps(text.get_window_extent(renderer)), text.get_text()
    assert not box.overlaps(ax.get_window_extent(renderer))  # not over the slice at all
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"start (epoch 0)", "end (the last epoch)", "the kept parameters (epoch 42)"} <= labels
