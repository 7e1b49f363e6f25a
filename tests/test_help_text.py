"""The help text says what the commands do now, as the docs say it (NU8 10): ``report`` of
any saved model, ``explain`` of the tutorial network or a saved classifier."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glassnet.cli.main import build_parser

DOCS = Path(__file__).resolve().parents[1] / "docs" / "guide"


def _summaries() -> dict[str, str]:
    text = " ".join(build_parser().format_help().split())
    names = ["demo", "gradcheck", "explain", "report", "train", "predict", "evaluate",
             "export-onnx", "sweep", "playground", "options:"]  # fmt: skip
    found = {}
    for name, after in zip(names, names[1:], strict=False):
        match = re.search(rf" {re.escape(name)} (.*?) {re.escape(after)}", text)
        assert match, name
        found[name] = match.group(1)
    return found


def _help(command: str) -> str:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return " ".join(sub.choices[command].format_help().split())


def test_report_is_for_any_saved_model_and_says_what_a_regressor_needs():
    said = _summaries()["report"]
    assert "classifier" not in said and "model" in said and "--target" in said
    assert "regressor" in _help("report")


def test_explain_says_it_also_explains_a_saved_model():
    said = _summaries()["explain"]
    assert "tutorial" in said and "--model" in said


@pytest.mark.parametrize("command", ["report", "explain", "evaluate", "gradcheck"])
def test_the_docs_table_says_what_the_help_says(command):
    table = (DOCS / "cli.md").read_text()
    row = next(line for line in table.splitlines() if line.startswith(f"| `glassnet {command}`"))
    if command == "report":
        assert "classifier or regressor" in row
    if command == "explain":
        assert "tutorial" in row and "--model" in row
    if command == "evaluate":
        assert all(word in row for word in ("precision", "RMSE", "R^2"))
        assert all(word in _summaries()["evaluate"] for word in ("precision", "RMSE", "R^2"))
    if command == "gradcheck":
        assert "tutorial" in row and "tutorial" in _summaries()["gradcheck"]


def test_the_data_guide_no_longer_says_evaluate_cannot_name_the_line():
    assert "not yet its line" not in (DOCS / "data.md").read_text()
