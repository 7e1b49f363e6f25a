"""HTML building blocks for the report: one self-contained page, everything escaped.

Text passed to these helpers is escaped with :func:`html.escape`; only the helpers'
own markup is trusted. Images become ``data:image/png;base64`` URIs, so the page needs
no other file and no network. No scripts, no external styles or fonts.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import Any

STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; background: #fff; line-height: 1.4; }
h1 { border-bottom: 2px solid #446; padding-bottom: .2em; }
h2 { margin-top: 2em; color: #335; }
table { border-collapse: collapse; margin: .8em 0; }
th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: right; }
th { background: #eef; }
td.text, th.text { text-align: left; }
figure { display: inline-block; margin: .5em; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: .9em; color: #555; }
p.note { background: #fff8e0; border-left: 4px solid #e0b000; padding: .4em .8em; }
nav a { margin-right: 1em; }
"""


def esc(value: object) -> str:
    """Any value as escaped HTML text (quotes included)."""
    return html.escape(str(value), quote=True)


def png_bytes(fig: Any, dpi: int = 100) -> bytes:
    """Render a matplotlib figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def image(png: bytes, caption: str, alt: str | None = None) -> str:
    """A ``<figure>`` holding the PNG as a data URI, with an escaped caption."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt or caption)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def paragraph(text: str, cls: str | None = None) -> str:
    attr = f' class="{esc(cls)}"' if cls else ""
    return f"<p{attr}>{esc(text)}</p>"


def table(header: Sequence[object], rows: Sequence[Sequence[object]], text_cols: int = 1) -> str:
    """A table; the first ``text_cols`` columns are left-aligned text."""

    def cell(tag: str, i: int, value: object) -> str:
        cls = ' class="text"' if i < text_cols else ""
        return f"<{tag}{cls}>{esc(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def section(anchor: str, title: str, parts: Sequence[str]) -> str:
    """A ``<section>`` with an ``<h2>``; ``parts`` are already-built HTML fragments."""
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{"".join(parts)}</section>'


def page(title: str, sections: Sequence[tuple[str, str, str]]) -> str:
    """The whole document; ``sections`` are ``(anchor, title, html)`` triples."""
    nav = "".join(f'<a href="#{esc(a)}">{esc(t)}</a>' for a, t, _ in sections)
    body = "".join(h for _, _, h in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{esc(title)}</h1><nav>{nav}</nav>{body}"
        "<footer><p>Made by glassnet; this file is self-contained.</p></footer>"
        "</body></html>\n"
    )


Images = dict[str, bytes]  # a report's PNG files by name


def figure(images: Images, name: str, fig: object, caption: str) -> str:
    """Store ``fig`` as PNG under ``name`` in ``images`` and return its HTML with ``caption``."""
    images[name] = png_bytes(fig)
    return image(images[name], caption)
