"""The playground's update rate in headless Chromium: updates the page receives a second
while training, for the tutorial network (2-3-2 on the circles) and a 64-unit network on
the digits. Needs glassnet[playground], selenium and Debian's chromium + chromium-driver.

    python benchmarks/playground_rate.py [SECONDS] [SCREENSHOT_FOLDER]
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from glassnet.playground import start

CASES = {
    "tutorial 2-3-2 on circles": {"data": "circles", "n_samples": 100, "hidden": [3]},
    "64-unit network on the digits": {
        "data": "digits", "hidden": [64], "activation": "relu", "optimizer": "adam",
        "learning_rate": 0.001, "batch_size": 32,
    },
}  # fmt: skip


def measure(seconds: float, shots: str | None = None) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1800",
                 f"--user-data-dir={tempfile.mkdtemp()}"]:  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    app = start()
    try:
        for name, settings in CASES.items():
            url = f"http://127.0.0.1:{app.port}/api/settings"
            httpx.post(url, json=settings, headers={"X-Glassnet-Token": app.token}, timeout=60)
            driver.get(app.url)
            time.sleep(2)
            driver.find_element("id", "play").click()
            time.sleep(seconds)
            rate = driver.find_element("id", "rate").text
            diag = driver.find_element("id", "diagnostics").text
            ms = re.search(r"computed in ([\d.]+) ms", diag)
            epoch = driver.find_element("id", "epoch").text
            driver.find_element("id", "play").click()
            if shots:
                driver.save_screenshot(f"{shots}/{name.split()[0]}-{settings['data']}.png")
            print(f"{name}: {rate} updates/s in the page; frame computed in "
                  f"{ms.group(1) if ms else '?'} ms on the server; epoch {epoch}")  # fmt: skip
    finally:
        driver.quit()
        app.stop()


if __name__ == "__main__":
    measure(float(sys.argv[1]) if len(sys.argv) > 1 else 8.0, (sys.argv[2:] or [None])[0])
