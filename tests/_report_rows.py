"""Read the summary and settings tables of a glassnet report page back into dicts (for
tests)."""

from __future__ import annotations

import html
import re


def summary_rows(page: str) -> dict[str, str]:
    """``{label: value}`` of the report's summary section (its first table)."""
    section = page[page.index('<section id="summary">') :]
    section = section[: section.index("</section>")]
    cells = re.findall(r'<tr><td class="text">(.*?)</td><td class="text">(.*?)</td></tr>', section)
    return {html.unescape(k): html.unescape(v) for k, v in cells}


def settings_table(page: str) -> dict[str, str]:
    """``{setting: value}`` of the report's Settings section, read from the HTML."""
    section = page[page.index('id="settings"') :]
    section = section[: section.index("</table>")]
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", section, re.S)]  # fmt: skip
    return dict(zip(cells[2::2], cells[3::2], strict=True))
