"""Read the summary table of a glassnet report page back into a dict (for tests)."""

from __future__ import annotations

import html
import re


def summary_rows(page: str) -> dict[str, str]:
    """``{label: value}`` of the report's summary section (its first table)."""
    section = page[page.index('<section id="summary">') :]
    section = section[: section.index("</section>")]
    cells = re.findall(r'<tr><td class="text">(.*?)</td><td class="text">(.*?)</td></tr>', section)
    return {html.unescape(k): html.unescape(v) for k, v in cells}
