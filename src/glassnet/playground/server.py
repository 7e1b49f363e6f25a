"""The playground's web app (Starlette, served by uvicorn on 127.0.0.1).

Routes (all behind :class:`~glassnet.playground.guard.Guard`): ``/`` the page;
``/static/NAME`` its scripts and styles (only the files shipped in ``static/``);
``/api/events`` the live channel (server-sent events: ``data`` when the data or the
network changes, ``frame`` up to :data:`RATE` times a second while anything changes);
``POST /api/settings``, ``/api/control``, ``/api/upload``, ``/api/select``,
``/api/gradcheck``; ``/download/model.npz``, ``report.html``, ``settings.json``.
The server reads no file but its own static files, the file named on the command line
and the uploads it wrote to its private temporary folder.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from glassnet.core.validation import DataError
from glassnet.playground.formulas import gradient_check_text, rule_text, unit_text, weight_text
from glassnet.playground.guard import Guard
from glassnet.playground.pictures import data_message, frame_message, shown_rows
from glassnet.playground.session import Session, targets
from glassnet.playground.state import Playground
from glassnet.playground.uploads import download_file, receive_upload

RATE = 10  # frames a second at most
MAX_UPLOAD = 20 * 2**20  # bytes
TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
CSP = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'"


def create_app(pg: Playground, port: int, token: str) -> Any:
    """The ASGI app: Starlette's routes behind the guard; each handler finds ``pg`` in the
    app's state."""
    app = Starlette(routes=ROUTES)
    app.state.pg = pg
    return Guard(app, port, token)


def _pg(request: Request) -> Playground:
    pg: Playground = request.app.state.pg
    return pg


def _fail(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def page(request: Request) -> Response:
    html = _pg(request).static["index.html"].read_bytes()
    return Response(html, media_type="text/html", headers={"Content-Security-Policy": CSP})


async def static(request: Request) -> Response:
    path = _pg(request).static.get(request.path_params["name"])
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    media_type = TYPES.get(Path(path.name).suffix, "text/plain")
    return Response(path.read_bytes(), media_type=media_type)


async def events(request: Request) -> StreamingResponse:
    return StreamingResponse(stream(_pg(request), request), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store"})  # fmt: skip


async def settings(request: Request) -> Response:
    try:
        raw = await request.json()
        if not isinstance(raw, dict):
            raise DataError("settings must be a JSON object")
        await anyio.to_thread.run_sync(_pg(request).apply, raw)
    except (DataError, ValueError) as exc:
        return _fail(str(exc))
    return JSONResponse({"ok": True})


async def control(request: Request) -> Response:
    """``{"action": "play" | "pause" | "step" | "reset"}``."""
    try:
        raw = await request.json()
    except ValueError:
        raw = None
    action = raw.get("action") if isinstance(raw, dict) else None
    pg = _pg(request)
    s = pg.session
    if action == "play":
        s.playing.set()
    elif action == "pause":
        s.playing.clear()
    elif action == "step":
        s.playing.clear()
        await anyio.to_thread.run_sync(s.step)
    elif action == "reset":
        await anyio.to_thread.run_sync(pg.apply, {})
    else:
        return _fail(f"unknown action {action!r}")
    return JSONResponse({"ok": True})


async def upload(request: Request) -> Response:
    return await receive_upload(_pg(request), request)


async def select(request: Request) -> Response:
    q = await request.json()
    text = await anyio.to_thread.run_sync(explain_selection, _pg(request).session, q)
    return JSONResponse({"text": text})


async def gradcheck(request: Request) -> Response:
    text = await anyio.to_thread.run_sync(check_text, _pg(request).session)
    return JSONResponse({"text": text})


async def download(request: Request) -> Response:
    return await download_file(_pg(request), request.path_params["name"])


ROUTES = [
    Route("/", page),
    Route("/static/{name}", static),
    Route("/api/events", events),
    Route("/api/settings", settings, methods=["POST"]),
    Route("/api/control", control, methods=["POST"]),
    Route("/api/upload", upload, methods=["POST"]),
    Route("/api/select", select, methods=["POST"]),
    Route("/api/gradcheck", gradcheck, methods=["POST"]),
    Route("/download/{name}", download),
]


async def stream(pg: Playground, request: Request) -> AsyncIterator[str]:
    """Server-sent events: ``data`` on every new data set or network, then ``frame`` events."""
    sent_data, sent, extent = -1, None, [0.0, 1.0, 0.0, 1.0]
    while not pg.closing.is_set() and not await request.is_disconnected():
        start, s = time.perf_counter(), pg.session
        if s.data_version != sent_data:
            sent_data = s.data_version
            message = await anyio.to_thread.run_sync(data_message, s)
            extent, sent = message["extent"], None
            yield f"event: data\ndata: {json.dumps(message)}\n\n"
        now = (s.version, s.playing.is_set(), s.message)
        if now != sent:
            sent = now
            frame = await anyio.to_thread.run_sync(frame_message, s, extent)
            frame["compute_ms"] = round(1000 * (time.perf_counter() - start), 1)
            yield f"event: frame\ndata: {json.dumps(frame)}\n\n"
        await anyio.sleep(max(0.0, 1.0 / RATE - (time.perf_counter() - start)))


def _batch(s: Session) -> tuple[Any, Any, Any, Any]:
    snap = s.snapshot()
    with s.lock:
        rows = s.rows[0][shown_rows(len(s.rows[0]))]
        return s.net, snap.params, s.Xs[rows], targets(s.net, s.data.y[rows])


def explain_selection(s: Session, q: dict[str, Any]) -> str:
    """The formula text for ``{"kind": "unit"|"weight", "layer", "i", "j"}``."""
    net, params, X, T = _batch(s)
    try:
        layer, j = int(q["layer"]), int(q["j"])
        if not 0 <= layer < len(params) or not 0 <= j < params[layer]["W"].shape[1]:
            return "no such unit or weight"
        if q.get("kind") == "weight":
            i = int(q["i"])
            if not 0 <= i < params[layer]["W"].shape[0]:
                return "no such weight"
            st = s.settings
            rule = rule_text(st.optimizer, st.learning_rate, st.momentum, st.l2)
            return weight_text(net, params, X, T, layer=layer, i=i, j=j, rule=rule)
        return unit_text(net, params, X, T, layer, j)
    except (KeyError, TypeError, ValueError):
        return "malformed selection"


def check_text(s: Session) -> str:
    net, params, X, T = _batch(s)
    with np.errstate(under="ignore"):
        return gradient_check_text(net, params, X, T)
