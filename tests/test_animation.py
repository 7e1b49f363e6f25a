"""The training GIF: a valid animated image with the requested frames."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")
from PIL import Image  # noqa: E402

from glassnet.core.network import Network  # noqa: E402
from glassnet.views.animation import frame_indices, write_training_gif  # noqa: E402


def test_frame_indices_spread_from_first_to_last():
    assert frame_indices(301, 4) == [0, 100, 200, 300]
    assert frame_indices(3, 10) == [0, 1, 2]
    with pytest.raises(ValueError):
        frame_indices(0, 3)


@pytest.mark.parametrize("hidden", [3, 5])
def test_gif_has_frames_and_is_not_blank(tmp_path, rng, hidden):
    net = Network.mlp([2, hidden, 2])
    X = rng.normal(size=(30, 2))
    t = (X[:, 0] > 0).astype(int)
    snaps = [net.init(rng) for _ in range(6)]
    path = write_training_gif(tmp_path / "t.gif", net, snaps, X, t, frames=3, resolution=20)
    assert [p.name for p in tmp_path.iterdir()] == ["t.gif"]  # no temporary file left
    with Image.open(path) as im:
        assert im.format == "GIF" and im.n_frames == 3 and im.size == (720, 336)
        frame = np.asarray(im.convert("RGB"))
        assert len(np.unique(frame.reshape(-1, 3), axis=0)) > 20


def test_gif_needs_plane_inputs(tmp_path):
    with pytest.raises(ValueError, match="2-D inputs"):
        write_training_gif(tmp_path / "x.gif", Network.mlp([3, 2, 2]), [], np.zeros((2, 3)), [])


def test_frames_are_the_parameters_the_loop_recorded(tmp_path, monkeypatch):
    """Each frame draws the parameters the loop recorded for its epoch: the same as a
    separate run stopped after that many epochs (the oracle), titled with the epoch."""
    from dataclasses import replace

    from glassnet.core.optimizers import Adam
    from glassnet.data.datasets import make_moons
    from glassnet.train.loop import TrainConfig, Training, fit
    from glassnet.train.snapshots import Snapshots
    from glassnet.views import animation

    X, t = make_moons(np.random.default_rng(2), 60, noise=0.2)
    net = Network.mlp([2, 4, 2], "tanh", reduction="mean")
    params = net.init(np.random.default_rng(3))
    cfg = TrainConfig(epochs=6, batch_size=16, optimizer=Adam(0.05), seed=3)
    snapshots = Snapshots(every=2)
    snapshots(Training(net, params, X, t, cfg).state)  # epoch 0, the initialization
    fit(net, params, X, t, cfg, on_epoch_end=snapshots)
    assert snapshots.epochs == [0, 2, 4, 6]
    drawn = []
    monkeypatch.setattr(
        animation._Frames, "draw", lambda self, p, hidden, label: drawn.append((label, p))
    )
    write_training_gif(tmp_path / "t.gif", net, snapshots, X, t, frames=3, resolution=10)
    assert [label for label, _ in drawn] == ["epoch 0", "epoch 4", "epoch 6"]
    for (_, got), epoch in zip(drawn, (0, 4, 6), strict=True):
        want = params if epoch == 0 else fit(net, params, X, t, replace(cfg, epochs=epoch)).params
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a["W"], b["W"], rtol=1e-12, atol=0)
            np.testing.assert_allclose(a["b"], b["b"], rtol=1e-12, atol=0)


def test_the_demo_animates_what_its_loop_recorded():
    from glassnet.train.snapshots import Snapshots
    from glassnet.train.tutorial import TutorialConfig, run_tutorial
    from glassnet.views.animation import training_frames

    snapshots = Snapshots()
    run = run_tutorial(TutorialConfig(iterations=20), on_epoch_end=snapshots)
    assert snapshots.epochs == list(range(21))
    np.testing.assert_array_equal(snapshots.params[0][0]["W"], run.initial_params[0]["W"])
    np.testing.assert_array_equal(snapshots.params[-1][1]["W"], run.params[1]["W"])
    assert [e for e, _ in training_frames(snapshots, 3)] == [0, 10, 20]
    with pytest.raises(ValueError, match="at least 1"):
        Snapshots(every=0)
