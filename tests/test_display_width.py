"""Text tables pad by terminal columns, not code points (NU14 #9): a class named
``'versicolor ñ 花'`` shifted its row of ``evaluate``'s class table and the confusion
matrix's header one column right, as ``'花'`` takes two columns. The oracles: widths
counted by hand, the ``wcwidth`` library (where installed), and the columns themselves:
every row of a table ends at the same terminal column, every cell of the confusion matrix
under its header."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cli.class_lines import classes_shown
from glassnet.cli.main import main
from glassnet.core.wording import display_width, pad
from glassnet.views.metrics import ClassScores, confusion_table

ACUTE = "e\u0301"  # e + a combining acute accent: one column
NAMES = ["42", "versicolor ñ 花", "花", f"caf{ACUTE}", "ñandú", "😀 smile", "setosa flower"]


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("abc", 3),
        ("花", 2),
        ("花花 x", 6),
        ("ñ", 1),
        ("n\u0303", 1),
        (ACUTE, 1),
        (f"caf{ACUTE}", 4),
        ("😀", 2),
        ("ｆｕｌｌ", 8),
        ("", 0),
        ("a\u200db", 2),
    ],  # fmt: skip
)
def test_display_width_by_hand(text, columns):
    assert display_width(text) == columns
    assert display_width(pad(text, 10)) == max(10, columns)
    assert pad(text, 10).endswith(text) and pad(text, 10, "<").startswith(text)


@pytest.mark.parametrize("text", NAMES + ["ｆｕｌｌ", "n\u0303o", "中文字符", "한국어"])
def test_display_width_agrees_with_wcwidth(text):
    wcwidth = pytest.importorskip("wcwidth")
    assert display_width(text) == wcwidth.wcswidth(text)


def _columns(line: str) -> list[int]:
    """The terminal column at which each cell of ``line`` ends (a character that is not a
    space, followed by a space or the end)."""
    ends, at = [], 0
    for i, c in enumerate(line):
        at += display_width(c)
        if c != " " and (i + 1 == len(line) or line[i + 1] == " "):
            ends.append(at)
    return ends


def _scores(k: int) -> ClassScores:
    rng = np.random.default_rng(0)
    return ClassScores.from_confusion(rng.integers(0, 20, size=(k, k)))


def test_class_table_rows_end_in_one_column():
    table = _scores(len(NAMES)).table(NAMES).splitlines()
    rows = table[: 1 + len(NAMES) + 2]  # header, a row per class, the two averages
    assert len({display_width(r) for r in rows}) == 1, "\n".join(rows)
    numbers = [_columns(r)[-4:] for r in rows[1:]]  # precision, recall, F1, support
    assert all(n == numbers[0] for n in numbers), "\n".join(rows)
    assert _columns(rows[0])[-4:] == numbers[0]  # the headings over them


@pytest.mark.parametrize(
    "names",
    [
        ["花", "ñ", f"caf{ACUTE}", "😀x"],  # fmt: skip
        ["42", "花花花花花花花花", "b"],  # wider than any count: sets the cell width
    ],
)
def test_confusion_cells_stand_under_their_headers(names):
    lines = confusion_table(_scores(len(names)).confusion, names).splitlines()[1:]
    header, rows = _columns(lines[0]), [_columns(r) for r in lines[1 : 1 + len(names)]]
    assert all(len(r) == len(names) + 1 for r in rows), "\n".join(lines)
    assert all(r[1:] == header for r in rows), "\n".join(lines)  # each count under its class
    assert len({r[0] for r in rows}) == 1  # the row names end in one column
    assert len({display_width(x) for x in lines[: 1 + len(names)]}) == 1


def test_the_class_list_fits_its_width_in_terminal_columns():
    classes = np.array(["花花花花花", "花花花花花x", "ab"], dtype=object)
    shown, _ = classes_shown(classes, width=20)  # 17 code points for two, but 27 columns
    assert display_width(shown.split(", ...")[0]) <= 20
    assert shown.startswith("'花花花花花', ...") and "(2 more)" in shown
    assert classes_shown(np.array(["ñ", f"caf{ACUTE}"], dtype=object), 11)[0] == (
        f"'ñ', 'caf{ACUTE}'"
    )  # 11 columns: both fit, though 12 code points


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # train's figures' font
def test_evaluate_tables_line_up(tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(2)
    X = rng.normal(size=(90, 2))
    labels = np.array(["42", "versicolor ñ 花", f"caf{ACUTE} 😀"])[np.argmax(
        np.column_stack([X[:, 0], X[:, 1], -X.sum(axis=1)]), axis=1)]  # fmt: skip
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "kind": labels}).to_csv(tmp_path / "t.csv",
                                                                      index=False)  # fmt: skip
    data = ["--data", str(tmp_path / "t.csv")]
    model = str(tmp_path / "m.npz")
    assert main(["train", *data, "--target", "kind", "--epochs", "3", "--progress", "off",
                 "--out", model]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["evaluate", "--model", model, *data, "--target", "kind"]) == 0
    out = capsys.readouterr().out.splitlines()
    table = out[1:7]  # header, 3 classes, 2 averages
    assert len({display_width(r) for r in table}) == 1, "\n".join(table)
    start = out.index("confusion matrix (rows: true class, columns: predicted class)")
    matrix = out[start + 1 : start + 5]
    assert len({display_width(r) for r in matrix}) == 1, "\n".join(matrix)
