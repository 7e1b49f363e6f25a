"""``train``'s task line (and the training report's task row) names the classes as the data
spells them, shortening long ones as ``evaluate`` does: cut with ``...``, and names that
would then look alike tagged ``~1``, ``~2`` with a key line naming each in full; never a
half-quoted name (NU9 17)."""

import html

import numpy as np
import pytest

from glassnet.cli.class_lines import classes_shown
from glassnet.cli.main import main

BENIGN = "patient diagnosis category: benign tumour"
MALIGNANT = "patient diagnosis category: malignant tumour"
A = "a" * 21  # 21 characters, then "." of the cut's "...": 24 with the tag


def _balanced(shown):
    """Every quoted name in the line opens and closes its quote."""
    for name in shown.split(", "):
        if name.startswith("'"):
            assert name.endswith("'") and len(name) > 1, name
        else:
            assert "'" not in name, name


@pytest.mark.parametrize(
    ("classes", "shown", "key"),
    [
        (["benign", "malignant"], "'benign', 'malignant'", ""),
        (["benign", "benign "], "'benign', 'benign '", ""),  # look-alikes: quoted, in full
        ([0, 1, 2], "0, 1, 2", ""),
        ([BENIGN, MALIGNANT], "patient diagnosis cat.~1, patient diagnosis cat.~2",
         f"key: patient diagnosis cat.~1 = class 0 '{BENIGN}', "
         f"patient diagnosis cat.~2 = class 1 '{MALIGNANT}'"),
        (["benign", MALIGNANT], "'benign', patient diagnosis cat...", ""),  # cut, no look-alike
        (["a" * 30 + "x", "a" * 30 + "y", "b"], f"{A}.~1, {A}.~2, 'b'",
         f"key: {A}.~1 = class 0 '{'a' * 30}x', {A}.~2 = class 1 '{'a' * 30}y'"),
    ],
)  # fmt: skip
def test_classes_are_shown_whole_quoted_or_shortened_and_tagged(classes, shown, key):
    text, said = classes_shown(np.asarray(classes, dtype=object))
    assert (text, said) == (shown, key)
    _balanced(text)


def test_many_long_classes_fit_the_line_and_the_key_names_those_shown():
    names = np.asarray([f"{BENIGN} number {k:03d}" for k in range(40)], dtype=object)
    text, key = classes_shown(names)
    shown = text.split(", ... (")[0].split(", ")
    assert len(shown) < 40 and text.endswith(f", ... ({40 - len(shown)} more)")
    assert len(set(shown)) == len(shown)  # every shown name tells its class apart
    _balanced(", ".join(shown))
    for k, name in enumerate(shown):
        assert f"{name} = class {k} '{names[k]}'" in key
    assert f"class {len(shown)} " not in key  # no key to a class not shown


@pytest.mark.parametrize("ensemble", [[], ["--ensemble", "2"]])
def test_train_prints_and_reports_the_tagged_classes_and_their_key(tmp_path, capsys, ensemble):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 2))
    label = np.where(x[:, 0] > 0, BENIGN, MALIGNANT)
    rows = "\n".join(f"{a},{b},{c}" for (a, b), c in zip(x, label, strict=True))
    (tmp_path / "d.csv").write_text("x0,x1,diagnosis\n" + rows + "\n")
    out = tmp_path / "m.npz"
    argv = ["train", "--data", str(tmp_path / "d.csv"), "--target", "diagnosis", "--epochs",
            "2", "--hidden", "3", "--progress", "off", "--out", str(out), *ensemble]  # fmt: skip
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    task = next(i for i, line in enumerate(lines) if line.startswith("task: "))
    assert lines[task].startswith(
        "task: classification of 2 classes (patient diagnosis cat.~1, patient diagnosis cat.~2)"
    )
    key = (f"key: patient diagnosis cat.~1 = class 0 '{BENIGN}', "
           f"patient diagnosis cat.~2 = class 1 '{MALIGNANT}'")  # fmt: skip
    assert lines[task + 1] == key
    page = html.unescape((tmp_path / "report.html").read_text())
    assert "(patient diagnosis cat.~1, patient diagnosis cat.~2)" in page
    assert key.removeprefix("key: ") in page
    assert "'patient diagnosis ca..." not in page
