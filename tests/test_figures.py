"""Report figures are valid, non-blank images of the right size."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")
from _images import assert_drawn, figure_pixels  # noqa: E402

from glassnet.core.network import Network  # noqa: E402
from glassnet.views import figures  # noqa: E402
from glassnet.views.diagnostics import DiagnosticsRecord, Plateau  # noqa: E402
from glassnet.views.landscape import loss_slice, random_direction  # noqa: E402


@pytest.fixture
def model(rng):
    net = Network.mlp([2, 3, 4, 2], "tanh")
    X = rng.normal(size=(40, 2))
    t = (np.hypot(*X.T) < 1).astype(int)
    return net, net.init(rng), X, t


def test_activation_maps_one_panel_per_unit(model):
    fig = figures.plot_activation_maps(*model, resolution=20)
    assert_drawn(figure_pixels(fig), (480, 940))  # (2.2 * 2 + 0.4, 2.2 * 4 + 0.6) in
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == 3 + 4 and "layer 2, unit 4" in titles
    with pytest.raises(ValueError, match="2-D inputs"):
        figures.plot_activation_maps(Network.mlp([3, 2, 2]), model[1], np.zeros((2, 3)), model[3])


def test_loss_with_plateaus():
    loss = [5.0] * 40 + list(5 * np.exp(-0.1 * np.arange(60)))
    fig = figures.plot_loss_with_plateaus(loss, [Plateau(0, 39, 5.0)], validation=loss)
    assert_drawn(figure_pixels(fig), (400, 700))


def test_diagnostics_figure(model):
    net, params, X, t = model
    rec = DiagnosticsRecord.for_network(net)
    T = np.eye(2)[t]
    for _ in range(5):
        loss, grads = net.loss_and_grad(params, X, T)
        rec.add(grads, net.hidden_activations(params, X), loss)
    assert_drawn(figure_pixels(figures.plot_diagnostics(rec)), (360, 900))


def test_landscape_figure(model, rng):
    net, params, X, t = model
    d1, d2 = random_direction(rng, params), random_direction(rng, params)
    s = loss_slice(net, params, X, np.eye(2)[t], d1, d2, [params, params], resolution=9)
    assert_drawn(figure_pixels(figures.plot_landscape(s)), (500, 600))
