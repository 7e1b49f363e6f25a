"""The playground in headless Chromium (Debian's chromium and chromium-driver, Selenium):
train on the circles to 100% training accuracy, look at the pictures, upload a table,
download the model, and survive bad uploads."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
webdriver = pytest.importorskip("selenium.webdriver")

import glassnet  # noqa: E402
from glassnet.playground import start  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1800"]  # fmt: skip


@pytest.fixture
def browser(tmp_path):
    if CHROMIUM is None or DRIVER is None:
        if os.environ.get("GLASSNET_REQUIRE_CHROMIUM"):
            pytest.fail("chromium and chromedriver are required here but not installed")
        pytest.skip("chromium or chromedriver is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.downloads = downloads
    yield driver
    driver.quit()


@pytest.fixture
def app():
    running = start(max_upload=100_000)
    yield running
    running.stop()


def wait_for(driver, check, timeout=30.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    shot = Path(os.environ.get("TMPDIR", "/tmp")) / "playground-failure.png"
    driver.save_screenshot(str(shot))
    raise AssertionError(f"timed out waiting for {what} (screenshot {shot})")


def text(driver, id_):
    return driver.find_element("id", id_).text


def colours(png: bytes) -> int:
    """Distinct colours in a screenshot (a blank canvas has one)."""
    import io

    from matplotlib import image

    pixels = image.imread(io.BytesIO(png), format="png")[..., :3]
    return len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0))


def test_playground_trains_uploads_and_downloads(browser, app, tmp_path):
    browser.get(app.url)
    wait_for(browser, lambda: text(browser, "status") == "paused", what="the first frame")
    browser.find_element("id", "play").click()
    wait_for(browser, lambda: text(browser, "train-acc") == "100.0%", 40, "100% accuracy")
    browser.find_element("id", "play").click()  # pause
    shots = tmp_path / "shots"
    shots.mkdir()
    boundary = browser.find_element("id", "boundary").screenshot_as_png
    unit = browser.find_element("id", "unit-0-0").screenshot_as_png
    (shots / "boundary.png").write_bytes(boundary)
    (shots / "unit.png").write_bytes(unit)
    browser.save_screenshot(str(shots / "page.png"))
    assert colours(boundary) > 20 and colours(unit) > 20
    browser.find_element("id", "unit-0-0").click()
    wait_for(browser, lambda: "Z_h[0]" in text(browser, "formula"), what="the unit's equation")
    browser.find_element("id", "boundary").click()  # the centre: the inner ring's class
    wait_for(browser, lambda: "Z_o[1]" in text(browser, "formula"), what="the output's equation")
    browser.find_element("id", "gradcheck").click()
    wait_for(browser, lambda: "passed" in text(browser, "gradcheck-table"), what="the check")

    # bad uploads: one message each, the app keeps running on the data it had
    bad = {
        "binary.csv": bytes(range(256)) * 4,  # not a table
        "labels.csv": b"kind\na\nb\n",  # no usable feature column
        "huge.csv": b"x,kind\n" + b"1.0,a\n" * 30_000,  # over the size limit
    }
    for name, body in bad.items():
        (tmp_path / name).write_bytes(body)
        browser.find_element("id", "upload").send_keys(str(tmp_path / name))
        wait_for(browser, lambda n=name: n in text(browser, "message"), what=f"{name}'s message")
        assert len(text(browser, "message").splitlines()) == 1
        assert text(browser, "source").startswith("data: circles")
    assert "too large" in text(browser, "message")

    table = tmp_path / "fruit.csv"
    rng = np.random.default_rng(0)
    rows = ["width,height,colour,kind"]  # a text column, and gaps in a feature and the target
    for i in range(60):
        kind = i % 2
        w, h = rng.normal(3 + 2 * kind, 0.3), rng.normal(5 - kind, 0.3)
        colour = "green" if kind else ("red", "yellow")[i % 4 == 0]
        width = "" if i == 7 else f"{w:.3f}"
        rows.append(f"{width},{h:.3f},{colour},{'apple' if kind else 'pear'}")
    rows.append("3.0,4.0,red,")  # no target: left out, as glassnet train does
    table.write_text("\n".join(rows) + "\n")
    browser.find_element("id", "upload").send_keys(str(table))
    wait_for(browser, lambda: "fruit.csv" in text(browser, "source"), what="the table")
    assert text(browser, "message") == ""
    browser.find_element("id", "play").click()
    wait_for(browser, lambda: text(browser, "train-acc") == "100.0%", 40, "table accuracy")
    browser.find_element("id", "play").click()
    browser.save_screenshot(str(shots / "table.png"))
    browser.find_element("id", "download-model").click()
    model_file = browser.downloads / "glassnet-model.npz"
    wait_for(browser, model_file.exists, what="the downloaded model")
    model = glassnet.load(model_file)
    assert list(model.classes) == ["apple", "pear"]
    assert model.encoding is not None and "colour" in model.encoding.names
    assert "1 row without a target left out" in text(browser, "source")  # (one blank label)
    new = tmp_path / "new.csv"
    new.write_text("width,height,colour\n5.0,4.0,green\n3.0,5.0,red\n,5.1,yellow\n")
    from glassnet.data.tables import load_table

    frame = load_table(new, None, require_target=False).frame
    assert list(model.predict(model.encode(frame).X)) == ["apple", "pear", "pear"]
