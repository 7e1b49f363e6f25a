"""The HTML report: parses, holds every section, embeds its images, escapes user text,
and renders in headless Chromium without console errors."""

import base64
import re
from html.parser import HTMLParser

import numpy as np
import pytest

pytest.importorskip("matplotlib")
from _browser import render, require_chromium  # noqa: E402
from _images import assert_drawn, png_pixels  # noqa: E402

from glassnet.core.gradcheck import check_network  # noqa: E402
from glassnet.core.network import Network  # noqa: E402
from glassnet.core.optimizers import Adam, apply_updates  # noqa: E402
from glassnet.views.diagnostics import DiagnosticsRecord  # noqa: E402
from glassnet.views.report import ReportData, build_report, write_report  # noqa: E402

EVIL = '<script>alert("owned")</script>'
SECTIONS = ["summary", "architecture", "data", "training", "boundary", "gradcheck",
            "diagnostics", "hidden", "landscape"]  # fmt: skip


class Page(HTMLParser):
    """Collects tags, ids, image sources and any resource reference."""

    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.images, self.refs, self.stack = [], set(), [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.ids.add(a.get("id"))
        if tag == "img":
            self.images.append(a["src"])
        self.refs += [v for k, v in attrs if k in ("src", "href") and v]
        if tag not in ("meta", "link", "img", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag, f"unbalanced </{tag}>"


def _train(rng, hidden=(5, 3), steps=60):
    net = Network.mlp([2, *hidden, 2], "tanh")
    X = rng.normal(size=(60, 2))
    t = (np.hypot(*X.T) < 1).astype(int)
    T = np.eye(2)[t]
    params, opt = net.init(rng), Adam(0.05)
    state, rec, snaps = opt.init(params), DiagnosticsRecord.for_network(net), []
    for _ in range(steps):
        loss, grads = net.loss_and_grad(params, X, T)
        rec.add(grads, net.hidden_activations(params, X), loss)
        snaps.append(params)
        updates, state = opt.update(grads, state, params)
        params = apply_updates(params, updates)
    return ReportData(
        f"Run {EVIL}", net, params, X, t, rec.loss, validation_loss=[v * 1.1 for v in rec.loss],
        accuracy_history=[0.5] * steps, gradient_report=check_network(net, params, X, T),
        diagnostics=rec, snapshots=snaps, class_names=[EVIL, "inner & <b>"],
        notes=[("note", EVIL)],
    )  # fmt: skip


@pytest.fixture(scope="module")
def report():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        data = _train(np.random.default_rng(3))
        return data, *build_report(data)


def test_page_parses_and_has_every_section(report):
    _, html, _ = report
    page = Page()
    page.feed(html)
    page.close()
    assert html.startswith("<!DOCTYPE html>") and page.stack == []
    assert set(SECTIONS) <= page.ids
    assert "script" not in page.tags


def test_images_are_embedded_pngs(report):
    _, html, images = report
    page = Page()
    page.feed(html)
    assert len(page.images) == len(images) >= 8
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert_drawn(png_pixels(base64.b64decode(src.split(",", 1)[1])))
    assert {"activation_maps.png", "landscape.png", "diagnostics.png"} <= set(images)
    assert {"hidden_projection_1.png", "hidden_projection_2.png", "accuracy.png"} <= set(images)


def test_no_external_resources(report):
    _, html, _ = report
    page = Page()
    page.feed(html)
    assert not re.search(r"https?://", html)
    assert all(r.startswith(("data:", "#")) for r in page.refs), page.refs


def test_user_strings_are_escaped(report):
    _, html, _ = report
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;owned&quot;)" in html
    assert "inner &amp; &lt;b&gt;" in html


def test_numbers_and_words(report):
    data, html, _ = report
    assert "2-5-3-2" in html and f"<td>{data.net.n_params}</td>" in html
    assert "Gradient check passed" in html
    assert "plateau" in html.lower()


def test_minimal_inputs_and_more_than_two_features(rng, tmp_path):
    net = Network.mlp([4, 6, 3], "relu")
    X = rng.normal(size=(30, 4))
    t = rng.integers(0, 3, size=30)
    data = ReportData("plain", net, net.init(rng), X, t, [3.0, 2.0, 1.5])
    path = write_report(tmp_path / "r.html", data)
    html = path.read_text()
    assert "No gradient check was run" in html and "No diagnostics were recorded" in html
    assert 'id="boundary"' not in html and "activation_maps" not in html


def test_single_logistic_output_unit(rng):
    net = Network.mlp([2, 3, 1], "tanh", "logistic")
    X = rng.normal(size=(20, 2))
    t = (X[:, 0] > 0).astype(int)
    data = ReportData("binary", net, net.init(rng), X, t, [1.0, 0.5])
    assert data.T.shape == (20, 1)
    assert "landscape.png" in build_report(data)[1]


# ---- a real browser -----------------------------------------------------------------------
_render = render


@pytest.fixture
def chromium():
    return require_chromium()


def test_chromium_detects_console_errors(chromium, tmp_path):
    """The control: a page with a script error must be caught, or the next test is void."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><p>x</p><script>nope();</script></body></html>")
    console = _render(bad, tmp_path / "bad.png")
    assert any("nope is not defined" in line for line in console), console


def test_chromium_renders_report_without_console_errors(chromium, report, tmp_path):
    _, html, _ = report
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "shot.png"
    assert _render(page, shot) == []
    img = png_pixels(shot.read_bytes())
    assert_drawn(img, (2000, 1200))
