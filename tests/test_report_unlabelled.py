"""``glassnet report`` without ``--target``: the model's own predictions stand in for the
labels, and the page says so wherever they are used (the gradient check, the figures'
colours); the loss landscape, whose loss against them is not the model's loss on the data,
is left out, saying why (NU9 11). With ``--target`` all is as before."""

import html
import re

import numpy as np
import pytest

from glassnet.cli.main import main

NOT_DRAWN = "Not drawn: no true labels were given (--target)"
CHECK_NOTE = "measured against the model's own predicted classes"
COLOURS = "(coloured by the predicted class: no true labels)"


def _section(page, anchor):
    start = page.index(f'id="{anchor}"')
    end = page.find("<section", start + 1)
    return page[start:] if end < 0 else page[start:end]


@pytest.fixture(scope="module", params=[2, 5])
def run(request, tmp_path_factory):
    """A model of ``features`` inputs, and its data with and without the label column."""
    features = request.param
    folder = tmp_path_factory.mktemp(f"r{features}")
    rng = np.random.default_rng(features)
    X = rng.normal(size=(90, features))
    label = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    head = ",".join(f"x{j}" for j in range(features))
    rows = [",".join(map(str, x)) for x in X]
    (folder / "d.csv").write_text(head + ",label\n" + "\n".join(
        f"{r},{c}" for r, c in zip(rows, label, strict=True)) + "\n")  # fmt: skip
    (folder / "new.csv").write_text(head + "\n" + "\n".join(rows) + "\n")
    model = folder / "m.npz"
    assert main(["train", "--data", str(folder / "d.csv"), "--target", "label", "--epochs", "5",
                 "--hidden", "4", "--progress", "off", "--out", str(model)]) == 0  # fmt: skip
    return folder, model, features


def _page(folder, model, *argv):
    out = folder / f"page{len(argv)}.html"
    assert main(["report", "--model", str(model), *argv, "--out", str(out)]) == 0
    return html.unescape(out.read_text())


def test_without_labels_the_page_says_what_stands_in_for_them(run):
    folder, model, features = run
    page = _page(folder, model, "--data", str(folder / "new.csv"))
    landscape = _section(page, "landscape")
    assert NOT_DRAWN in landscape and "<img" not in landscape
    assert CHECK_NOTE in _section(page, "gradcheck")
    assert COLOURS in _section(page, "data") and COLOURS in _section(page, "hidden")
    if features == 2:
        assert COLOURS in _section(page, "boundary")
    assert "accuracy on these samples" not in page


def test_with_labels_the_landscape_is_drawn_and_no_such_note_is_made(run):
    folder, model, _ = run
    page = _page(folder, model, "--data", str(folder / "d.csv"), "--target", "label")
    landscape = _section(page, "landscape")
    assert NOT_DRAWN not in page and "<img" in landscape
    assert re.search(r"The loss is measured on \d+ of the \d+ samples", landscape)
    assert CHECK_NOTE not in page and COLOURS not in page
