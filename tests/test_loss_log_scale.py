"""A loss curve that falls by three decades or more is drawn on a log scale (NU12 #2): on a
linear axis the epochs where early stopping decides lie flat on zero."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.views.plotting import LOG_SPAN, plot_loss


def _scales(fig):
    return [a.get_yscale() for a in fig.axes]


@pytest.mark.parametrize(
    ("loss", "scale"),
    [
        (np.geomspace(1.6e10, 4.8e7, 30), "log"),  # a regression in the targets' units
        (np.geomspace(0.8, 1e-4, 30), "log"),
        (np.geomspace(5.0, 0.06, 30), "linear"),  # a span of 83
        (np.linspace(0.9, 0.2, 10), "linear"),
        (np.r_[np.geomspace(1e4, 1, 5), 0.0], "linear"),  # a zero has no log
        (np.r_[1.0, np.nan, 1e-6], "log"),  # NaN left out
    ],
)
def test_the_axis_scale_follows_the_span(loss, scale):
    values = loss[np.isfinite(loss)]
    assert (values.min() > 0 and values.max() >= LOG_SPAN * values.min()) == (scale == "log")
    assert _scales(plot_loss(loss)) == [scale]


def test_the_tutorial_figure_stays_linear():
    """The demo draws the tutorial's cost curve (a span of 183) as the tutorial does."""
    loss = np.geomspace(69.5, 0.38, 301)
    assert _scales(plot_loss(loss)) == ["log"]
    assert _scales(plot_loss(loss, log_span=None)) == ["linear"]


def test_each_axis_of_a_two_unit_figure_is_judged_by_its_own_curve():
    fig = plot_loss([1.0, 0.5, 0.4], [1e6, 1e3, 5e2], validation_ylabel="target units²")
    assert _scales(fig) == ["linear", "log"]
    one_axis = plot_loss([1.0, 0.5, 0.4], [2.0, 1e-3, 1e-4])  # the two curves share an axis
    assert _scales(one_axis) == ["log"]
