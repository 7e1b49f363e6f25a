"""Who may talk to the playground: the checks in front of every request.

A server on 127.0.0.1 is still reachable from any web page the user visits, so every
request must pass, in order (the first failure answers 403 with one line of text):

* **Host** is the address the server printed (``127.0.0.1:PORT`` or ``localhost:PORT``):
  a page on another name that resolves to 127.0.0.1 (DNS rebinding) sends its own name;
* **Origin**, when the browser sends one, is this server's own, and ``Sec-Fetch-Site`` is
  not ``cross-site``: another site's page cannot post settings, uploads or steps;
* the **token** printed in the address (``?token=`` or the ``X-Glassnet-Token`` header)
  for everything but the page's own scripts and styles.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs

from starlette.responses import PlainTextResponse

PUBLIC_PREFIX = "/static/"  # the page's scripts and styles: no secrets in them


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Guard:
    """ASGI middleware that refuses requests failing the checks in the module docstring."""

    def __init__(self, app: Any, port: int, token: str) -> None:
        self.app, self.token = app, token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            problem = self.problem(scope)
            if problem:
                await PlainTextResponse(problem, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def problem(self, scope: Any) -> str:
        """Why the request is refused, or ``""``."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.hosts:
            return "refused: unknown Host (only the printed address is served)"
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return "refused: cross-site request"
        if headers.get("sec-fetch-site") == "cross-site":
            return "refused: cross-site request"
        if scope["path"].startswith(PUBLIC_PREFIX):
            return ""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = headers.get("x-glassnet-token") or (query.get("token") or [""])[0]
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return "refused: missing or wrong token (open the address the server printed)"
        return ""
