"""Pages generated from the installed package, so they cannot drift.

* ``api/generated/``: one page per public module (autodoc with numpydoc), and
  ``glassnet.rst``, the top-level names with the module that defines each, written at
  build time;
* the text a page shows of a command (``glassnet COMMAND --help`` in ``guide/cli.md``, what
  ``glassnet explain`` and ``glassnet demo`` print in ``guide/explain.md`` and
  ``getting_started.rst``) is written into the page itself, after a marker naming the
  command, so that the pages read well as sources too::

      <!-- output of: glassnet train --help -->      (Markdown; then a ```text block)
      .. output of: glassnet demo                    (reST; then a .. code-block:: text)

  ``python docs/_ext/glassnet_docs.py`` rewrites every such block from the installed
  glassnet; ``tests/test_docs_generated.py`` fails while one is stale.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import glassnet

SKIP = {"glassnet.__main__"}


def public_modules() -> list[str]:
    """Every module of the package whose dotted path has no part starting with ``_``."""
    names = ["glassnet"]
    for info in pkgutil.walk_packages(glassnet.__path__, "glassnet."):
        if info.name not in SKIP and not any(p.startswith("_") for p in info.name.split(".")):
            names.append(info.name)
    return names


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")  # unchanged files keep Sphinx's cache valid


def top_level_page() -> str:
    rows = []
    for name in sorted(n for n in glassnet.__all__ if n != "__version__"):
        obj = getattr(glassnet, name)
        target = f"{obj.__module__}.{obj.__qualname__}"
        rows.append(f"   * - ``glassnet.{name}``\n     - :py:obj:`{target}`\n")
    title = "``glassnet``: the top-level names"
    return (
        f"{title}\n{'=' * len(title)}\n\n"
        ".. module:: glassnet\n   :no-index:\n\n"
        "``import glassnet`` gives these names (loaded on first use, so importing glassnet\n"
        "loads neither matplotlib nor scikit-learn). Each is documented where it is defined.\n\n"
        ".. list-table::\n   :header-rows: 1\n   :widths: 30 70\n\n"
        "   * - name\n     - defined as\n" + "".join(rows)
    )


def module_page(name: str) -> str:
    module = importlib.import_module(name)
    title = f"``{name}``"
    # A package's page is its docstring; its names are documented in the modules below it.
    is_package = hasattr(module, "__path__")
    options = "   :no-members:\n" if is_package else ""
    return f"{title}\n{'=' * len(title)}\n\n.. automodule:: {name}\n{options}"


def cli_help() -> dict[str, str]:
    """``--help`` of ``glassnet`` and of each command, wrapped for 80 columns."""
    from glassnet.cli.main import build_parser

    os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal's width, less 2
    parser = build_parser()
    texts = {"glassnet": parser.format_help()}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                texts[command] = sub.format_help()
    return texts


def command_output(*args: str) -> str:
    """What ``glassnet ARGS`` prints, run in a scratch folder."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [sys.executable, "-m", "glassnet", *args], cwd=tmp, capture_output=True,
            text=True, check=True, env={**os.environ, "MPLBACKEND": "Agg", "COLUMNS": "80"},
        )  # fmt: skip
    return proc.stdout


INLINE_PAGES = ("guide/cli.md", "guide/explain.md", "getting_started.rst")
_MD = re.compile(r"(<!-- output of: (.+?) -->\n```text\n)(.*?)(```)", re.DOTALL)
_RST = re.compile(r"(\.\. output of: (.+?)\n\n\.\. code-block:: text\n\n)((?:(?:   .*)?\n)*)")


def command_text(command: str) -> str:
    """What ``command`` (``glassnet ARGS``, as a page's marker names it) prints."""
    words = shlex.split(command)
    if words[0] != "glassnet":
        raise ValueError(f"not a glassnet command: {command!r}")
    if words[-1] == "--help":
        return cli_help()[words[-2] if len(words) > 2 else "glassnet"]
    return command_output(*words[1:])


def shown(text: str, suffix: str) -> list[tuple[str, str]]:
    """``(command, text shown)`` of each marked block of a page's ``text``."""
    if suffix == ".md":
        return [(m.group(2), m.group(3)) for m in _MD.finditer(text)]
    return [(m.group(2), _unindent(m.group(3))) for m in _RST.finditer(text)]


def _unindent(block: str) -> str:
    return re.sub(r"^   ", "", block.rstrip("\n") + "\n", flags=re.MULTILINE)


def refreshed(text: str, suffix: str, run: Any = command_text) -> str:
    """``text`` with each marked block holding what ``run(command)`` returns now."""
    if suffix == ".md":
        return _MD.sub(lambda m: m.group(1) + run(m.group(2)) + m.group(4), text)

    def block(m: re.Match[str]) -> str:
        body = "".join(f"   {line}".rstrip() + "\n" for line in run(m.group(2)).splitlines())
        return m.group(1) + body + "\n"

    return _RST.sub(block, text)


def refresh_pages(docs: Path) -> list[Path]:
    """Rewrite the marked blocks of :data:`INLINE_PAGES` under ``docs``; the pages changed."""
    changed = []
    for name in INLINE_PAGES:
        page = docs / name
        old = page.read_text(encoding="utf-8")
        new = refreshed(old, page.suffix)
        if new != old:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed


def generate(app: Any) -> None:
    src = Path(app.srcdir)
    api = src / "api" / "generated"
    _write(api / "glassnet.rst", top_level_page())
    for name in public_modules()[1:]:
        _write(api / f"{name}.rst", module_page(name))


def figure_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    """sphinx-gallery scraper for glassnet's figures: the ``matplotlib.figure.Figure``
    values an example's block bound to a name (glassnet's plots return figures and never
    touch pyplot, which the standard scraper reads)."""
    from matplotlib.figure import Figure
    from sphinx_gallery.scrapers import figure_rst

    seen = gallery_conf.setdefault("_glassnet_seen", {}).setdefault(block_vars["src_file"], set())
    paths = []
    for value in list(block_vars["example_globals"].values()):
        if isinstance(value, Figure) and id(value) not in seen and value.canvas.manager is None:
            seen.add(id(value))
            path = next(block_vars["image_path_iterator"])
            value.savefig(path, dpi=100)
            paths.append(path)
    return figure_rst(paths, gallery_conf["src_dir"])


def _get_sg_image_scraper() -> Any:
    """How sphinx-gallery finds :func:`figure_scraper` from the name ``"glassnet_docs"``."""
    return figure_scraper


def skip_member(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> Any:
    """scikit-learn's generated ``set_*_request`` methods are its own, not glassnet's API."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    app.connect("autodoc-skip-member", skip_member)
    return {"parallel_read_safe": True, "version": glassnet.__version__}


if __name__ == "__main__":  # python docs/_ext/glassnet_docs.py: refresh the pages' text
    for page in refresh_pages(Path(__file__).resolve().parent.parent):
        print(f"refreshed {page}")
