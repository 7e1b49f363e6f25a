"""Headless Chromium (Debian's package) for the tests that render pages.

``render`` loads a page with every host name unresolvable (``--host-resolver-rules``), so a
page that needs the network shows a failed load, and returns the console messages.
``dump_dom`` returns the document after its scripts ran (``--virtual-time-budget``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--window-size=1200,2000",
         "--host-resolver-rules=MAP * ~NOTFOUND"]  # fmt: skip


def require_chromium() -> str:
    """The browser, or a skip (a failure where CI asks for it: GLASSNET_REQUIRE_CHROMIUM)."""
    if CHROMIUM is None:
        if os.environ.get("GLASSNET_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is required here but not installed")
        pytest.skip("chromium is not installed")
    return CHROMIUM


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120, env={**os.environ, "LANG": "C.UTF-8"},
        )  # fmt: skip


def render(html_path: Path, png_path: Path) -> list[str]:
    """Load the page and screenshot it; return its console messages (from the log)."""
    return render_offline(html_path, png_path)[0]


def render_offline(html_path: Path, png_path: Path) -> tuple[list[str], list[str]]:
    """Load the page and screenshot it; return its console messages and the http(s)
    addresses the page asked for (from Chromium's net log; the browser's own background
    requests are not the page's and are left out)."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "net.json"
        proc = _run([f"--screenshot={png_path}", f"--log-net-log={log}", html_path.as_uri()])
        assert png_path.exists(), proc.stderr[-2000:]
        remote = _page_requests(json.loads(log.read_text(encoding="utf-8")))
    return [line for line in proc.stderr.splitlines() if ":CONSOLE" in line], remote


def _page_requests(net_log: dict[str, Any]) -> list[str]:
    start = net_log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in net_log["events"]:
        params = event.get("params", {})
        url = params.get("url", "")
        if event["type"] == start and url.startswith(("http:", "https:", "ws:", "wss:")):
            if "file://" in params.get("network_isolation_key", ""):
                urls.append(url)
    return urls


def dump_dom(html_path: Path, budget_ms: int = 5000) -> str:
    """The page's DOM after its scripts had ``budget_ms`` of virtual time."""
    proc = _run([f"--virtual-time-budget={budget_ms}", "--dump-dom", html_path.as_uri()])
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout
