"""The playground: a local web app where glassnet trains live and the page shows it.

An adapter-level layer: it imports core, data, train, files and views; nothing below it
imports it, and the CLI imports it only when ``glassnet playground`` runs. It needs the
optional extra ``glassnet[playground]`` (Starlette and uvicorn).
"""

from __future__ import annotations

from glassnet.playground.app import Running, run, start

__all__ = ["Running", "run", "start"]
