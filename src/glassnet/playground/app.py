"""Starting and stopping the playground's server.

:func:`start` binds a socket on 127.0.0.1 (port 0: a free one), builds the app and runs
uvicorn in a background thread; the returned :class:`Running` has the address to open
(with the secret token) and ``stop()``. :func:`run` is what ``glassnet playground``
does: start, print the address, serve until Ctrl-C.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from glassnet.core.validation import DataError
from glassnet.playground.guard import new_token
from glassnet.playground.server import MAX_UPLOAD, create_app
from glassnet.playground.state import Playground

HOST = "127.0.0.1"


@dataclass
class Running:
    url: str  # the address to open, token included
    port: int
    token: str
    playground: Playground
    server: object  # uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.playground.closing.set()  # the live streams end, so the server can stop
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(timeout=10)
        self.playground.close()


def start(
    data: str | Path | None = None,
    target: str | None = None,
    port: int = 0,
    max_upload: int = MAX_UPLOAD,
) -> Running:
    """Serve the playground on ``127.0.0.1:port`` in a background thread.

    ``data`` is a table the page may train on (``target`` its class column, default the
    last); it is the only user file the server reads. Raises :class:`DataError` for a
    table it cannot use and ``OSError`` when the port is taken.
    """
    import uvicorn

    path = Path(data) if data is not None else None
    if path is not None and not path.is_file():
        missing = "a folder, not a data file" if path.is_dir() else "no such file"
        raise DataError(f"{path}: {missing}")
    pg = Playground(path, target, max_upload)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        pg.close()
        raise
    port = sock.getsockname()[1]
    token = new_token()
    config = uvicorn.Config(
        create_app(pg, port, token), log_level="warning", timeout_graceful_shutdown=1,
        lifespan="off",
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    url = f"http://{HOST}:{port}/?token={token}"
    return Running(url, port, token, pg, server, thread)


def run(data: str | None = None, target: str | None = None, port: int = 0) -> int:
    """``glassnet playground``: serve until Ctrl-C; returns the exit code."""
    running = start(data, target, port)
    print(f"glassnet playground: open {running.url}", flush=True)
    print("(local only; the token in the address is the key. Ctrl-C to stop.)", flush=True)
    try:
        while running.thread.is_alive():
            running.thread.join(timeout=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0
