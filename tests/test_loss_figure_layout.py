"""The loss figure's text and lines stay clear of each other (NU12 #8): no offset or
multiplier above an axis (where it met the title), and a mark at the last epoch drawn
inside the frame, not on it."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.views.plotting import plot_loss

EPOCHS = np.arange(61)


def _drawn(fig):
    fig.canvas.draw()
    return fig


@pytest.mark.parametrize(
    ("training", "validation", "unit"),
    [
        (0.69314 + 1e-5 * np.exp(-EPOCHS / 10), 2e-5 + 1e-5 * np.exp(-EPOCHS / 8), "RMSE"),
        (1000 + 0.01 * np.exp(-EPOCHS / 10), None, None),  # a tiny change on a large value
        (3e-7 + 1e-7 * np.exp(-EPOCHS / 10), 4e-7 + 1e-7 * np.exp(-EPOCHS / 9), None),
        (5e5 + 2e5 * np.exp(-EPOCHS / 10), 6e5 + 1e5 * np.exp(-EPOCHS / 9), "MAE"),
    ],
)
def test_no_offset_text_sits_above_an_axis(training, validation, unit):
    fig = _drawn(plot_loss(list(training), None if validation is None else list(validation),
                           validation_ylabel=unit))  # fmt: skip
    for ax in fig.axes:
        assert ax.yaxis.get_offset_text().get_text() == ""
        ticks = [t for t in ax.get_yticklabels() if t.get_text()]
        values = [float(t.get_text().replace("\u2212", "-")) for t in ticks]
        # the labels alone give the values (no hidden offset or factor)
        assert np.allclose(values, [t.get_position()[1] for t in ticks], rtol=1e-9, atol=0)


@pytest.mark.parametrize("steps", [30, 61, 400])
@pytest.mark.parametrize("first", [0, 1])
def test_a_mark_at_the_last_epoch_lies_inside_the_frame(steps, first):
    last = first + steps - 1
    fig = plot_loss(list(np.linspace(1.0, 0.5, steps)), marks=[("kept epoch", last)], first=first)
    lo, hi = fig.axes[0].get_xlim()
    assert lo == first and last < hi <= last + 0.05 * (last - first)


def test_without_a_mark_at_the_end_the_axis_ends_at_the_last_epoch():
    fig = plot_loss(list(np.linspace(1.0, 0.5, 61)), marks=[("best epoch", 40)])
    assert fig.axes[0].get_xlim() == (0, 60)
