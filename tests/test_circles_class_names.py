"""NU10 #4: the tutorial's circles data has one pair of class names everywhere it is shown,
the tutorial's ("red stars (t=0)", "blue circles (t=1)"), from one definition
(:data:`glassnet.data.datasets.CIRCLES_CLASSES`): ``glassnet demo``'s figures and report,
``glassnet explain``'s key and targets, the docs, the gallery and the notebook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.data.datasets import CIRCLES_CLASSES

DOCS = Path(__file__).resolve().parent.parent / "docs"
STARS, CIRCLES = "red stars (t=0)", "blue circles (t=1)"  # the tutorial's own words


def test_the_one_definition_is_the_tutorials():
    assert CIRCLES_CLASSES == (STARS, CIRCLES)
    tutorial_text = "red stars ($t=0$) and blue circles ($t=1$)"  # the tutorial's sentence
    assert all(n.split(" (")[0] in tutorial_text for n in CIRCLES_CLASSES)


@pytest.mark.parametrize("argv", [[], ["--at", "check"], ["--rows", "1"]])
def test_explain_names_the_columns_as_the_tutorial(capsys, argv):
    assert main(["explain", *argv]) == 0
    out = capsys.readouterr().out
    assert f"the 2 output columns (of Z_o, Y, T, Eo): 0 {STARS}, 1 {CIRCLES}" in out
    assert f"targets T, one row per sample (columns 0 {STARS}, 1 {CIRCLES})" in out
    assert not re.search(r"(outer|inner) ring", out)


def _legends(fig) -> list[list[str]]:
    return [
        [t.get_text() for t in ax.get_legend().get_texts()]
        for ax in fig.axes
        if ax.get_legend() is not None
    ]


def test_demo_figures_report_and_explain_agree(tmp_path, monkeypatch, capsys):
    """Every legend of the demo's figures, its report's classes row and explain's key."""
    import glassnet.cli.demo as demo

    legends: dict[str, list[list[str]]] = {}
    real = demo.save_figure

    def keep(fig, path):
        legends[Path(path).name] = _legends(fig)
        return real(fig, path)

    monkeypatch.setattr(demo, "save_figure", keep)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert main(["demo", "--out", str(tmp_path), "--every", "0"]) == 0
    for name in ("dataset.png", "decision_boundary.png", "hidden_projection.png"):
        assert legends[name] and all(entry == [STARS, CIRCLES] for entry in legends[name]), name
    html = (tmp_path / "report.html").read_text()
    assert f"{STARS}, {CIRCLES}" in html  # the summary's classes row
    assert html.count(STARS) >= 3  # also the per-class scores and the confusion matrix
    assert not re.search(r"(outer|inner) ring", html)
    capsys.readouterr()
    main(["explain", "--rows", "1"])
    assert f"0 {STARS}, 1 {CIRCLES}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "page",
    [
        "guide/explain.md",  # explain's output, generated
        "guide/report.md",
        "tutorial/plot_tutorial.py",
        "examples/plot_tutorial_in_ten_lines.py",
        "notebooks/tutorial.ipynb",
    ],
)
def test_docs_name_the_circles_classes_as_the_tutorial(page):
    text = (DOCS / page).read_text()
    if page.endswith(".ipynb"):
        text = "".join("".join(c["source"]) for c in json.loads(text)["cells"])
    assert "CIRCLES_CLASSES" in text or f"0 {STARS}, 1 {CIRCLES}" in text
    assert not re.search(r"outer ring|inner ring|[\"']outer[\"']|[\"']inner[\"']", text)


def test_every_plot_of_the_tutorial_data_in_the_docs_names_its_classes():
    """A figure of the circles data in the gallery or the notebook without names would
    say "class 0" and "class 1" in its legend."""
    nb = json.loads((DOCS / "notebooks/tutorial.ipynb").read_text())
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    gallery = ("tutorial/plot_tutorial.py", "examples/plot_tutorial_in_ten_lines.py")
    sources += [(DOCS / p).read_text() for p in gallery]
    calls = 0
    for src in sources:
        for call in re.finditer(
            r"plot_(dataset|decision_boundary|hidden_projection)\((?:[^()]|\([^()]*\))*\)", src
        ):
            calls += 1
            assert "CLASSES" in call.group(0), call.group(0)
    assert calls >= 7
