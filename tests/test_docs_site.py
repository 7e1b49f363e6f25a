"""The documentation site builds with warnings as errors and renders offline.

One build per test session (the module fixture), as documented::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

which also runs the gallery and the executed tutorial. Then: the tutorial's numbers on
the page are the ones glassnet computes and the tutorial published; every public name
has a page; three pages load in headless Chromium with the network unreachable, with no
console message, no remote resource, typeset math and a drawn screenshot.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("sphinx_gallery")
pytest.importorskip("sklearn")
from _browser import dump_dom, render_offline, require_chromium  # noqa: E402
from _images import assert_drawn, png_pixels  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = ["tutorial_executed/plot_tutorial.html", "auto_examples/plot_digits.html",
         "api/generated/glassnet.core.network.html"]  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(out / "doctrees"), str(DOCS), str(out / "html")],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-5000:]
    return out / "html"


def _text(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_tutorial_page_shows_the_computed_numbers(site):
    from glassnet.train.tutorial import run_tutorial

    run = run_tutorial()
    # The tutorial's published run: the oracle that the computation reproduces.
    assert (round(run.initial_loss, 3), round(run.final_loss, 4)) == (69.474, 0.3808)
    assert run.first_perfect_iteration == 178
    text = _text((site / PAGES[0]).read_text(encoding="utf-8"))
    assert f"initial loss {run.initial_loss:.3f}" in text
    assert f"final loss {run.final_loss:.4f}" in text
    assert f"all samples correct from iteration {run.first_perfect_iteration}" in text
    assert "same loss history as the demo: True" in text
    assert "same gradients, bit for bit: True" in text
    html = (site / PAGES[0]).read_text(encoding="utf-8")
    figures = set(re.findall(r'<img [^>]*src="[^"]*(sphx_glr_plot_tutorial_\d+)', html))
    assert len(figures) == 4  # the data, the loss, the decision boundary, the hidden layer


def test_every_public_name_and_module_has_a_page(site):
    from sphinx.util.inventory import InventoryFile

    import glassnet

    with open(site / "objects.inv", "rb") as f:
        inventory = InventoryFile.load(f, "", lambda base, uri: uri)
    by_type = getattr(inventory, "data", inventory)  # a dict before Sphinx 8.2
    documented = {name for objects in by_type.values() for name in objects}
    sys.path.insert(0, str(DOCS / "_ext"))
    from glassnet_docs import public_modules

    missing = [m for m in public_modules()[1:] if m not in documented]
    for name in glassnet.__all__:
        if name != "__version__":
            obj = getattr(glassnet, name)
            target = f"{obj.__module__}.{obj.__qualname__}"
            if target not in documented:
                missing.append(target)
    assert not missing


class _Resources(HTMLParser):
    """What a page loads: scripts, stylesheets, images, frames, fonts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical", None):
            if a["rel"] in ("stylesheet", "preload", "icon", "modulepreload"):
                self.urls.append(a["href"])


def _remote(urls: list[str]) -> list[str]:
    return [u for u in urls if re.match(r"^(https?:)?//", u)]


def test_resource_scan_finds_remote_loads():
    """The control: a remote script or stylesheet must be found, or the next test is void."""
    page = _Resources()
    page.feed('<link rel="stylesheet" href="https://cdn.example.org/a.css">'
              '<script src="//cdn.example.org/m.js"></script>'
              '<img src="_images/x.png">')  # fmt: skip
    assert _remote(page.urls) == ["https://cdn.example.org/a.css", "//cdn.example.org/m.js"]


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_offline_without_console_messages(site, name, tmp_path):
    require_chromium()
    page = site / name
    resources = _Resources()
    resources.feed(page.read_text(encoding="utf-8"))
    assert resources.urls and _remote(resources.urls) == []
    for url in resources.urls:
        assert (page.parent / url.split("?")[0].split("#")[0]).exists(), url
    shot = tmp_path / "shot.png"
    console, remote = render_offline(page, shot)
    # The theme's own console.log lines ("[PST]: Changed to light mode ...") are notes, not
    # errors; Chromium's log does not tell the two apart, so they are named here.
    assert [line for line in console if '"[PST]: ' not in line] == [] and remote == []
    assert_drawn(png_pixels(shot.read_bytes()), (2000, 1200))


def test_math_is_typeset_offline(site):
    require_chromium()
    dom = dump_dom(site / PAGES[0])
    assert dom.count("<mjx-container") >= 10  # MathJax ran from the site's own _static


def test_browser_reports_a_remote_load(tmp_path):
    """The control for the offline check: a request the page makes must be seen."""
    require_chromium()
    page = tmp_path / "remote.html"
    page.write_text('<!DOCTYPE html><html><body><p>x</p>'
                    '<script src="https://cdn.example.org/m.js"></script>'
                    '</body></html>')  # fmt: skip
    _, remote = render_offline(page, tmp_path / "p.png")
    assert remote == ["https://cdn.example.org/m.js"]
