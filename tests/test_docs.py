"""The guides' Python examples run as written (the Dask one is compiled only: it starts a
cluster, which tests/test_dask_search.py does with the same calls)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _python_blocks(name: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, f"{name} has no python example"
    return blocks


@pytest.mark.parametrize(
    ("name", "needs"), [("sklearn.md", ["sklearn"]), ("onnx.md", ["sklearn", "onnxruntime"])]
)
def test_guide_examples_run(name, needs, capsys):
    for module in needs:
        pytest.importorskip(module)
    for block in _python_blocks(name):
        exec(compile(block, f"docs/{name}", "exec"), {"__name__": "docs_example"})
    assert capsys.readouterr().out


def test_dask_guide_example_compiles():
    for block in _python_blocks("dask.md"):
        compile(block, "docs/dask.md", "exec")
