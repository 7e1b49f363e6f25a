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
