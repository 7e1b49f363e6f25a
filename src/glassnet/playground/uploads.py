"""Files in and out of the playground: uploads (size-limited) and downloads.

An upload is the raw body of ``POST /api/upload?name=FILE.csv[&target=COL]``, read in
chunks and refused past the size limit; it is written to the server's private folder and
read as ``glassnet train`` reads tables. Anything it cannot use leaves the session as it
was and answers one message. Downloads: the model file (``glassnet.load`` reads it), the
report (:mod:`glassnet.views.report`) and the settings file that reproduces the session.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from glassnet.core.validation import DataError
from glassnet.files.modelfile import save_model
from glassnet.playground.settings import parse
from glassnet.playground.sources import from_table
from glassnet.playground.state import Playground, columns

ACCEPTED = (".csv", ".json")  # a table, or a settings file written by the playground


def _shown(name: str) -> str:
    """The uploaded file's name, reduced to safe characters for messages."""
    return re.sub(r"[^\w.\- ]", "_", Path(name).name)[:80] or "upload"


async def receive_upload(pg: Playground, request: Request) -> Response:
    """Store the body as the session's table and switch to it; or one error message."""
    name = _shown(request.query_params.get("name", ""))
    if Path(name).suffix.lower() not in ACCEPTED:
        return _error(f"{name}: not a table; upload a .csv file")
    limit = pg.max_upload
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _error(f"{name}: too large ({int(declared):,} bytes; the limit is {limit:,})", 413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return _error(f"{name}: too large (over the limit of {limit:,} bytes)", 413)
    if Path(name).suffix.lower() == ".json":
        return await _settings_upload(pg, name, bytes(body))
    pg.uploads += 1
    path = Path(pg.folder.name) / f"upload{pg.uploads}.csv"
    path.write_bytes(bytes(body))
    target = request.query_params.get("target", "")
    try:
        await anyio.to_thread.run_sync(_switch, pg, path, name, target)
    except (DataError, ValueError) as exc:
        path.unlink(missing_ok=True)
        message = str(exc).replace(str(path), name)  # the user's name, not the server's path
        return _error(message if message.startswith(name) else f"{name}: {message}")
    return JSONResponse(
        {"ok": True, "columns": columns(path), "target": pg.session.settings.target}
    )


async def _settings_upload(pg: Playground, name: str, body: bytes) -> Response:
    """Apply a settings file (``settings.json`` as downloaded); its table, if it names
    one, must be the one loaded now (same SHA-256)."""
    try:
        saved = json.loads(body.decode("utf-8"))
        settings = saved["settings"]
        if not isinstance(settings, dict):
            raise TypeError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return _error(f"{name}: not a playground settings file")
    wanted = saved.get("file_sha256")
    if wanted and (pg.file is None or hashlib.sha256(pg.file.read_bytes()).hexdigest() != wanted):
        return _error(f"{name}: upload its table {saved.get('file', '')!r} first")
    try:
        await anyio.to_thread.run_sync(pg.apply, settings)
    except (DataError, ValueError) as exc:
        return _error(f"{name}: {exc}")
    return JSONResponse({"ok": True, "columns": [], "target": pg.session.settings.target})


def _switch(pg: Playground, path: Path, name: str, target: str) -> None:
    """Read the upload; only if it is usable does the session move to it."""
    names = columns(path)
    target = target or names[-1]
    data = from_table(path, target, name)
    settings = parse({"data": "file", "target": target, "columns": None}, pg.session.settings)
    pg.session.reset(data, settings)
    old = pg.file
    pg.file, pg.file_name = path, name
    if old is not None and old.parent == Path(pg.folder.name) and old != path:
        old.unlink(missing_ok=True)


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def download_file(pg: Playground, name: str) -> Response:
    if name == "model.npz":
        data = await anyio.to_thread.run_sync(_model_bytes, pg)
        return _attachment(data, "glassnet-model.npz", "application/octet-stream")
    if name == "report.html":
        html = await anyio.to_thread.run_sync(_report, pg)
        return _attachment(html.encode(), "glassnet-report.html", "text/html")
    if name == "settings.json":
        return _attachment(settings_file(pg).encode(), "glassnet-settings.json", "application/json")
    return Response("not found", status_code=404, media_type="text/plain")


def _attachment(data: bytes, filename: str, media_type: str) -> Response:
    disposition = f'attachment; filename="{filename}"'
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def _model_bytes(pg: Playground) -> bytes:
    path = Path(pg.folder.name) / "model.npz"
    save_model(pg.session.model(), path)
    return path.read_bytes()


def settings_file(pg: Playground) -> str:
    """JSON: the settings, the data's description and, for a table, its SHA-256."""
    s = pg.session
    out: dict[str, Any] = {"glassnet_playground": 1, "settings": s.settings.as_dict(),
                           "data": s.data.source}  # fmt: skip
    if s.settings.data == "file" and pg.file is not None:
        out["file"] = pg.file_name
        out["file_sha256"] = hashlib.sha256(pg.file.read_bytes()).hexdigest()
    return json.dumps(out, indent=2)


def _report(pg: Playground) -> str:
    import numpy as np

    from glassnet.views.report import build_report
    from glassnet.views.run_report import report_data

    s = pg.session
    model = s.model()
    with s.lock:
        X, y, train = s.X, s.data.y, s.rows[0]
        history = s.snapshot().history
    with np.errstate(under="ignore"):
        data = report_data("glassnet playground", model, X, y, train, history,
                           notes=[("data", s.data.source)])  # fmt: skip
        return str(build_report(data)[0])
