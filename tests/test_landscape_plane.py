"""The landscape's plane from the path itself, however short (NU7 18), and a text that agrees
with what is drawn after --resume (NU7 7): shares that never read 0% for a point off the axis,
no legend entry for a line that does not show, the kept epoch not among the missing ones."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.core.network import Network
from glassnet.views.figures import plot_landscape
from glassnet.views.landscape import LossSlice, flatten, pca_directions, project_path
from glassnet.views.landscape_plane import line_parts, path_plane, percent
from glassnet.views.report import ReportData
from glassnet.views.report_landscape import landscape

MOONS = ["train", "--dataset", "moons", "--n-samples", "160", "--hidden", "6", "--patience", "0",
         "--progress", "off"]  # fmt: skip


def _net():
    net = Network.mlp([2, 4, 2], "tanh", "softmax", "mean")
    return net, net.init(np.random.default_rng(0))


def _moved(params, rng, scale=1.0):
    return [{k: v + scale * rng.normal(size=v.shape) for k, v in p.items()} for p in params]


@pytest.mark.parametrize("kind", ["none", "one at the centre", "one away", "two", "three",
                                  "collinear four"])  # fmt: skip
def test_the_plane_has_as_many_path_directions_as_the_path(kind):
    net, centre = _net()
    rng = np.random.default_rng(1)
    a, b = _moved(centre, rng), _moved(centre, rng)
    step = [{k: a[i][k] - centre[i][k] for k in p} for i, p in enumerate(centre)]
    line = [[{k: centre[i][k] + t * step[i][k] for k in p} for i, p in enumerate(centre)]
            for t in (2.0, 1.0, 0.5, 0.0)]  # fmt: skip
    snapshots, principal = {
        "none": ([], 0), "one at the centre": ([centre], 0), "one away": ([a], 1),
        "two": ([a, centre], 1), "three": ([a, b, centre], 2), "collinear four": (line, 1),
    }[kind]  # fmt: skip
    plane = path_plane(snapshots, centre)
    assert plane.principal == principal
    u, v = flatten(plane.d1), flatten(plane.d2)
    if principal:
        assert abs(np.linalg.norm(u) - 1) < 1e-12 and abs(np.linalg.norm(v) - 1) < 1e-12
        assert abs(u @ v) < 1e-10  # orthogonal: the path is drawn along the first axis
        coords = project_path(snapshots, centre, plane.d1, plane.d2)
        offsets = np.stack([flatten(s) - flatten(centre) for s in snapshots])
        if principal == 1:  # every offset lies along the first axis
            np.testing.assert_allclose(np.abs(coords[:, 0]), np.linalg.norm(offsets, axis=1),
                                       rtol=1e-9, atol=1e-12)  # fmt: skip
            np.testing.assert_allclose(coords[:, 1], 0, atol=1e-9)
    if principal == 2:
        d1, d2, share = pca_directions(snapshots, centre)
        np.testing.assert_allclose(plane.share, share)
        np.testing.assert_allclose(np.abs(u @ flatten(d1)), 1, rtol=1e-9)


def test_each_axis_share_is_the_share_of_the_points_drawn_on_it():
    """One far start and many points near the end (a resumed run): the second axis holds a
    little of the squared offsets, and its label says how much, not 0%."""
    net, centre = _net()
    rng = np.random.default_rng(2)
    start, end = _moved(centre, rng, 3.0), _moved(centre, rng, 2.0)
    snapshots = [start, *[_moved(end, rng, 1e-3) for _ in range(40)]]
    plane = path_plane(snapshots, centre)
    coords = project_path(snapshots, centre, plane.d1, plane.d2)
    total = sum(float(np.sum((flatten(s) - flatten(centre)) ** 2)) for s in snapshots)
    np.testing.assert_allclose(np.sum(coords**2, axis=0) / total, plane.share, rtol=1e-8)
    assert abs(coords[0, 1]) > 1e-3 and percent(plane.share[1]) != "0%"


@pytest.mark.parametrize(("share", "text"), [(0.634, "63%"), (0.042, "4.2%"), (0.0043, "0.43%"),
                                             (1e-7, "<0.01%"), (0.0, "0%"), (1.0, "100%"),
                                             (0.9999, ">99%")])  # fmt: skip
def test_percent_reads_zero_only_for_zero(share, text):
    assert percent(share) == text


@pytest.mark.parametrize(("path", "cut", "named"), [
    ([[1.0, 1.0], [0.5, 0.2], [0.0, 0.0]], None, True),
    ([[1.0, 1.0], [0.0, 0.0], [0.001, 0.0], [0.0, 0.001]], 1, False),  # collapsed after the cut
    ([[1.0, 1.0], [0.0, 0.0], [0.5, 0.4], [0.0, 0.001]], 1, True),
    ([[1.0, 1.0]], None, False),
])  # fmt: skip
def test_the_legend_names_a_training_path_only_where_a_line_shows(path, cut, named):
    grid = np.linspace(-2, 2, 5)
    s = LossSlice(grid, grid, np.ones((5, 5)) + grid[None] ** 2, np.array(path), ("a", "b"))
    labels = [ln.get_label() for ln in plot_landscape(s, cut=cut).axes[0].lines]
    assert ("training path" in labels) == named
    assert bool(line_parts(np.array(path), cut, 4.0)) == named


def _text(d):
    page = html.unescape(landscape(d, {}))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize(("epochs", "unseen", "kept", "says", "not_says"), [
    ([0, 7, 8, 9], (1, 6), 9, "no parameters of epochs 1 to 6 (", "other than"),
    ([0, 7, 8, 9], (1, 6), 3, "no parameters of epochs 1 to 6 other than the kept epoch 3 (the X)",
     "epochs 1 to 2"),
    ([0, 2, 3], (1, 1), 3, "resumed from its checkpoint of epoch 1: the path holds no parameters "
     "of epoch 1 (", "epochs 1"),
    ([0, 1, 2], None, 2, "the two principal directions", "holds no parameters"),
])  # fmt: skip
def test_a_resumed_path_names_what_it_lacks_and_not_the_kept_epoch(epochs, unseen, kept, says,
                                                                   not_says):  # fmt: skip
    net, centre = _net()
    rng = np.random.default_rng(3)
    snapshots = [_moved(centre, rng, 1.0 / (1 + e)) for e in epochs[:-1]] + [centre]
    X = rng.normal(size=(30, 2))
    t = (X[:, 0] > 0).astype(int)
    d = ReportData("t", net, centre, X, t, [], step_name="epoch", snapshots=snapshots,
                   snapshot_epochs=epochs, unseen_steps=unseen, kept_step=kept)  # fmt: skip
    text = _text(d)
    assert says in text and not_says not in text


def _cli(tmp_path, name, epochs, *extra):
    out = tmp_path / name / "m.npz"
    out.parent.mkdir(parents=True, exist_ok=True)
    assert main([*MOONS, "--epochs", str(epochs), "--out", str(out), *extra]) == 0
    page = html.unescape((out.parent / "report.html").read_text())
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    return text, json.loads((out.parent / "history.json").read_text())


@pytest.mark.parametrize(("epochs", "plane"), [
    (1, "the path's direction and a random direction"), (2, "PCA"), (3, "PCA")])  # fmt: skip
def test_short_runs_draw_their_path(tmp_path, epochs, plane):
    text, history = _cli(tmp_path, "short", epochs)
    assert "no training path was recorded" not in text
    assert plane in text
    if epochs == 1:
        assert "2 snapshots (epochs 0, 1)" in text


def test_resumed_from_epoch_0_the_path_holds_epoch_0_and_1(tmp_path, monkeypatch):
    import glassnet.train.progress as progress_module

    def stopping(epochs, mode="auto"):
        def tick(record):
            if record.epoch == 1:
                raise KeyboardInterrupt

        return tick, lambda: None

    monkeypatch.setattr(progress_module, "progress", stopping)
    out = tmp_path / "r" / "m.npz"
    out.parent.mkdir()
    assert main([*MOONS, "--epochs", "1", "--out", str(out)]) == 130
    monkeypatch.undo()
    text, _ = _cli(tmp_path, "r", 1, "--resume")
    assert "2 snapshots (epochs 0, 1)" in text and "no training path" not in text


@pytest.mark.parametrize("scale", [1e-300, 1e-200, 1e-3, 1e150])
def test_the_shares_of_a_path_of_any_scale(scale):
    """Offsets of 1e-300 (a run with --lr 1e-300 moves its zero biases that little) have
    squares that underflow to 0: the shares are still those of the path, without a 0/0
    (raised here as an error: tests run with FP errors raised)."""
    net, centre = _net()
    zero = [{k: np.zeros_like(v) for k, v in p.items()} for p in centre]
    rng = np.random.default_rng(3)
    snapshots = [_moved(zero, rng, scale) for _ in range(3)]
    plane = path_plane(snapshots, zero)
    offsets = np.stack([flatten(s) for s in snapshots]) / scale
    sv = np.linalg.svd(offsets, compute_uv=False)
    assert plane.principal == 2
    np.testing.assert_allclose(plane.share, (sv**2 / np.sum(sv**2))[:2], rtol=1e-12)
