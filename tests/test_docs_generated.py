"""The documentation reads well as sources (NU9 #19): what a page shows of a command is in
the page itself, and it is what the installed glassnet prints now; every file a page
includes is in the repository; the install section names every dependency and extra that
``pyproject.toml`` declares.

``python docs/_ext/glassnet_docs.py`` rewrites the command output in the pages.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import glassnet_docs  # noqa: E402

REFRESH = "python docs/_ext/glassnet_docs.py"


def _same_words(text: str) -> str:
    """The text's words: line breaks and spacing vary with the Python version (argparse
    wraps help differently), and rounding errors of a gradient check (below 1e-5) with the
    platform's floating point, so these are left out of the comparison."""
    text = re.sub(r"\d\.\d+e-(0[6-9]|[1-9]\d)", "<tiny>", text)
    return " ".join(text.split())


def _pages() -> list[Path]:
    return [DOCS / name for name in glassnet_docs.INLINE_PAGES]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_each_page_shows_what_its_command_prints_now(page):
    blocks = glassnet_docs.shown(page.read_text(encoding="utf-8"), page.suffix)
    assert blocks, f"{page}: no command output shown"
    for command, shown in blocks:
        assert shown.strip(), f"{page}: the output of {command!r} is empty; run {REFRESH}"
        live = glassnet_docs.command_text(command)
        assert _same_words(shown) == _same_words(live), (
            f"{page}: the output of {command!r} is stale; run {REFRESH}"
        )


def test_every_command_has_its_help_in_the_cli_guide():
    page = DOCS / "guide" / "cli.md"
    commands = {c for c, _ in glassnet_docs.shown(page.read_text(encoding="utf-8"), ".md")}
    wanted = {"glassnet --help"} | {
        f"glassnet {name} --help" for name in glassnet_docs.cli_help() if name != "glassnet"
    }
    assert commands == wanted


def test_refreshing_writes_into_markdown_and_rest_blocks():
    """The rewriting itself, on a page of each kind, against the text given."""
    md = "intro\n<!-- output of: glassnet x -->\n```text\nold\n```\nafter\n"
    new = glassnet_docs.refreshed(md, ".md", run=lambda c: "line one\n\n  two\n")
    assert new == "intro\n<!-- output of: glassnet x -->\n```text\nline one\n\n  two\n```\nafter\n"
    assert glassnet_docs.shown(new, ".md") == [("glassnet x", "line one\n\n  two\n")]
    rst = "intro\n\n.. output of: glassnet y\n\n.. code-block:: text\n\n   old\n\n   old\n\nafter\n"
    new = glassnet_docs.refreshed(rst, ".rst", run=lambda c: "a\n\n  b \n")
    assert new == (
        "intro\n\n.. output of: glassnet y\n\n.. code-block:: text\n\n   a\n\n     b\n\nafter\n"
    )
    assert glassnet_docs.shown(new, ".rst") == [("glassnet y", "a\n\n  b\n")]


def _tracked() -> set[str]:
    out = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    return set(out.split())


def test_every_included_file_is_in_the_repository():
    tracked = _tracked()
    if not tracked:
        pytest.skip("not a git checkout")
    pages = [ROOT / "README.md", *DOCS.rglob("*.md"), *DOCS.rglob("*.rst")]
    pattern = re.compile(r"(?:\{literalinclude\}|literalinclude::|\{include\}|include::)\s*(\S+)")
    for page in pages:
        if "_build" in page.parts or "generated" in page.parts:
            continue
        for name in pattern.findall(page.read_text(encoding="utf-8")):
            path = (page.parent / name).resolve()
            relative = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else name
            assert relative in tracked, f"{page.relative_to(ROOT)} includes {name}, not in git"


def _names(requirements: list[str]) -> list[str]:
    return [re.split(r"[\s<>=!~\[;]", r, maxsplit=1)[0] for r in requirements]


PRETTY = {"numpy": "NumPy"}  # how the page spells a package, where not as pip does


def test_getting_started_names_every_dependency_and_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    text = " ".join((DOCS / "getting_started.rst").read_text(encoding="utf-8").split())
    install = text.split("The demo")[0]
    version = project["requires-python"].removeprefix(">=")
    assert f"Python {version} or newer" in install
    for name in _names(project["dependencies"]):
        assert PRETTY.get(name, name) in install, name
    for extra in project["optional-dependencies"]:
        assert f"[{extra}]" in install, extra
