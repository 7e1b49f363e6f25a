"""Every code block of the written documentation runs as written.

* Each ```python block of the README and the guide pages (Markdown) and each
  ``.. code-block:: python`` of the reStructuredText pages is executed. The Dask guide's
  cluster code sits under ``if __name__ == "__main__":`` and is skipped here;
  tests/test_dask_search.py runs the same calls on a two-worker cluster.
* Each ```bash block of the guide pages runs, one command at a time (``glassnet.cli.main``
  in this process), in one scratch folder
  that holds the files the pages name (iris.csv, new.csv, test.csv, penguins.csv), in the guide's
  order, so a later page may use a model an earlier one trained. ``pip install`` lines
  are skipped (the install commands are what CI itself runs).

The gallery examples and the executed tutorial run when the site is built
(tests/test_docs_site.py).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDE_ORDER = ["library", "cli", "data", "training", "report", "explain", "landscape",
               "playground", "populations", "sklearn", "onnx", "dask", "development"]  # fmt: skip
NEEDS = {"sklearn": ["sklearn"], "onnx": ["sklearn", "onnxruntime"], "dask": ["dask", "sklearn"]}


def _blocks(path: Path, language: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md" and language == "bash":
        text = COVERED.sub("```covered\n", text)  # run by the test the mark names
    if path.suffix == ".md":
        return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)
    found = re.findall(rf"\.\. code-block:: {language}\n\n((?:(?:   .*)?\n)+)", text)
    return [re.sub(r"^   ", "", block, flags=re.MULTILINE) for block in found]


def _pages() -> list[Path]:
    """The hand-written pages with a Python block, and the README."""
    pages = [DOCS.parent / "README.md", *sorted(DOCS.glob("*.rst")), *DOCS.glob("guide/*.md")]
    return [p for p in pages if _blocks(p, "python")]


def test_guide_lists_every_page():
    assert sorted(p.stem for p in DOCS.glob("guide/*.md")) == sorted(GUIDE_ORDER)


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(DOCS.parent)))
def test_python_blocks_run(page, capsys, monkeypatch, tmp_path):
    for module in NEEDS.get(page.stem, []):
        pytest.importorskip(module)
    monkeypatch.chdir(tmp_path)
    for block in _blocks(page, "python"):
        exec(compile(block, str(page), "exec"), {"__name__": "docs_example"})
    if page.stem != "dask":
        assert capsys.readouterr().out


COVERED = re.compile(r"<!-- run by (tests/\w+\.py)::(\w+) -->\n```bash\n")


def test_blocks_run_elsewhere_name_a_real_test():
    """A bash block marked ``<!-- run by tests/FILE.py::TEST -->`` (the digits presets, which
    tests/test_workflow.py trains already) is skipped below; the test it names must exist."""
    root = DOCS.parent
    marks = [m for p in DOCS.glob("guide/*.md") for m in COVERED.finditer(p.read_text())]
    assert marks
    for mark in marks:
        assert f"def {mark.group(2)}(" in (root / mark.group(1)).read_text(encoding="utf-8")


def _commands(block: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", block)
    lines = [line.split(" #")[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line and not line.startswith(("pip ", "#"))]


def _write_iris(folder: Path) -> None:
    from sklearn.datasets import load_iris

    iris = load_iris(as_frame=True)
    frame = iris.frame.rename(columns=lambda c: c.replace(" (cm)", "").replace(" ", "_"))
    frame["species"] = iris.target_names[iris.target]
    frame = frame.drop(columns="target").sample(frac=1.0, random_state=0)
    frame.iloc[:120].to_csv(folder / "iris.csv", index=False)
    frame.iloc[120:].to_csv(folder / "test.csv", index=False)
    frame.iloc[120:].drop(columns="species").to_csv(folder / "new.csv", index=False)
    from palmerpenguins import load_penguins

    load_penguins().to_csv(folder / "penguins.csv", index=False)


def test_bash_blocks_run(tmp_path, monkeypatch, capsys):
    """In this process (``glassnet.cli.main``), in the guide's order, in one folder."""
    pytest.importorskip("sklearn")
    pytest.importorskip("pandas")
    pytest.importorskip("palmerpenguins")
    from glassnet.cli import main

    _write_iris(tmp_path)
    monkeypatch.chdir(tmp_path)
    ran = []
    for name in GUIDE_ORDER:
        for block in _blocks(DOCS / "guide" / f"{name}.md", "bash"):
            for command in _commands(block):
                argv = shlex.split(command)
                assert argv[0] == "glassnet", f"guide/{name}.md: not a glassnet command: {command}"
                assert main(argv[1:]) == 0, f"guide/{name}.md: {command}\n{capsys.readouterr()}"
                ran.append(argv[1])
    assert {"train", "predict", "evaluate", "report", "explain", "export-onnx"} <= set(ran)


@pytest.mark.parametrize("page", ["README.md", "docs/getting_started.rst"])
def test_ten_lines_learn_the_circles(page, capsys):
    """The showcase snippet trains to what its comment shows: a network that has learned the
    circles (at the library's default Adam rate of 1e-3 it printed 0.73 after 100 epochs)."""
    path = DOCS.parent / page
    (block,) = [b for b in _blocks(path, "python") if "make_circles" in b and "gn.fit(" in b]
    capsys.readouterr()
    exec(compile(block, str(path), "exec"), {"__name__": "docs_example"})
    accuracy = float(capsys.readouterr().out.strip().splitlines()[-1])
    assert accuracy >= 0.95
    assert "# training accuracy: 1.0" in block
