"""The landscape's figure draws what its caption says: the kept parameters (the slice's
centre) marked and named with their epoch, the path's start and end, and the plane named."""

import numpy as np
import pytest

from glassnet.core.network import Network


def _run(epochs, keep):
    from glassnet.train.loop import TrainConfig, fit

    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    net = Network.mlp([4, 6, 2], "tanh")
    snapshots = [net.init(rng)]
    result = fit(net, snapshots[0], X, y, TrainConfig(epochs=epochs, batch_size=16),
                 on_epoch_end=lambda s: snapshots.append(s.params))  # fmt: skip
    return net, snapshots[keep] if keep is not None else result.params, snapshots, X, y


def _legend(fig):
    return {t.get_text() for t in fig.axes[0].get_legend().get_texts()}


@pytest.mark.parametrize(("epochs", "kept"), [(6, 6), (9, 4), (5, 2)])
def test_the_kept_parameters_are_marked_at_the_centre_and_named(epochs, kept):
    from glassnet.views.report import ReportData
    from glassnet.views.report_inside import landscape

    net, params, snapshots, X, y = _run(epochs, kept)
    d = ReportData("t", net, params, X, y, [0.0] * (epochs + 1), step_name="epoch",
                   snapshots=snapshots, kept_step=kept)  # fmt: skip
    images: dict = {}
    html = landscape(d, images)
    assert f"X: the kept parameters (epoch {kept})" in html
    assert "Loss landscape on the PCA plane of the path" in html
    assert "circle: epoch 0; star: the last epoch" in html


def test_plot_marks_centre_start_and_end_where_the_slice_puts_them():
    from glassnet.views.figures import plot_landscape
    from glassnet.views.landscape import loss_slice, pca_directions

    net, params, snapshots, X, y = _run(7, 3)
    T = np.eye(2)[y]
    d1, d2, _ = pca_directions(snapshots, params)
    s = loss_slice(net, params, X, T, d1, d2, snapshots, resolution=5)
    fig = plot_landscape(s, "t", centre="the kept parameters (epoch 3)")
    lines = {ln.get_label(): ln for ln in fig.axes[0].lines}
    assert _legend(fig) >= {"the kept parameters (epoch 3)", "start (epoch 0)",
                            "end (the last epoch)", "training path"}  # fmt: skip
    centre = lines["the kept parameters (epoch 3)"]
    assert (centre.get_xdata()[0], centre.get_ydata()[0]) == (0.0, 0.0)
    np.testing.assert_allclose(
        [lines["start (epoch 0)"].get_xdata()[0], lines["start (epoch 0)"].get_ydata()[0]],
        s.path[0],
    )
    np.testing.assert_allclose(
        [
            lines["end (the last epoch)"].get_xdata()[0],
            lines["end (the last epoch)"].get_ydata()[0],
        ],
        s.path[-1],
    )
    # snapshot 3 is the centre itself: the path passes through the X
    assert np.linalg.norm(s.path[3]) < 1e-9


def test_without_a_path_the_centre_is_still_marked_and_the_plane_named():
    from glassnet.views.report import ReportData
    from glassnet.views.report_inside import landscape

    net, params, _, X, y = _run(3, None)
    d = ReportData("t", net, params, X, y, [], kept_step=None)
    html = landscape(d, {})
    assert "Loss landscape on two random directions; X: the kept parameters" in html
    assert "circle" not in html.split("Loss landscape on")[-1]
