"""Every count in explain's text agrees with its noun (NU13 #6: "... 1 more rows"): the rows
left after a matrix, the samples of the pass, the input columns, the ranges of data rows,
and explain's refusals. Oracle: the counts worked by hand from the shapes given."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from glassnet.cli.explain_model import spans
from glassnet.cli.main import main
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD
from glassnet.views.explain import explain
from glassnet.views.explain_key import check_classes
from glassnet.views.explain_text import PARAM_ROWS, input_names, matrix

ONE_PLURAL = re.compile(r"(?<![\d.])1 (more )?(rows|samples|columns|ranges|names|class names)\b")


@pytest.mark.parametrize(("n", "rows", "tail"), [
    (4, 3, "... 1 more row"), (5, 3, "... 2 more rows"), (2, 1, "... 1 more row"),
    (12, 2, "... 10 more rows"), (3, 3, None), (1, 2, None),
])  # fmt: skip
def test_the_rows_left_after_a_matrix(n, rows, tail):
    text = matrix(np.arange(n * 2.0).reshape(n, 2), rows, "M")
    last = text.splitlines()[-1].strip()
    assert (last == tail) if tail else not last.startswith("...")
    assert not ONE_PLURAL.search(text)


def _pass(sizes, n, show, rng, **kw):
    net = Network.mlp(list(sizes), "tanh", "softmax", "mean")
    params = net.init(rng)
    X = rng.normal(size=(n, sizes[0]))
    T = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    text, _ = explain(net, params, X, T, show=show, **kw)
    return text


def test_a_gradient_of_one_row_more_than_shown(rng):
    """The trial's case: a layer of 4 units feeding the output, so ``JWo`` is ``(4, 2)``, of
    which :data:`PARAM_ROWS` (3) rows are shown and 1 is left."""
    text = _pass((3, 4, 2), 6, 2, rng, optimizer=SGD(0.1))
    assert PARAM_ROWS == 3
    assert "shape (4, 2), ‖JWo‖" in text and "first 3 of 4 rows" in text
    assert "... 1 more row\n" in text + "\n"
    assert "... 4 more rows" in text  # the 6 samples, 2 shown
    assert not ONE_PLURAL.search(text)


@pytest.mark.parametrize(("n", "show", "head"), [
    (1, 1, "on N = 1 sample\n"),
    (2, 1, "on N = 2 samples (numbers for the first 1 sample)\n"),
    (5, 3, "on N = 5 samples (numbers for the first 3 samples)\n"),
])  # fmt: skip
def test_the_samples_of_the_pass(rng, n, show, head):
    text = _pass((1, 2, 2), n, show, rng, input_names=["x"])
    assert head in text.splitlines()[0] + "\n"
    loss = next(line for line in text.splitlines() if line.startswith("  loss ("))
    assert loss.endswith(f"over the N = {n} {'sample' if n == 1 else 'samples'})")
    assert "the 1 input column:" in text
    assert not ONE_PLURAL.search(text)


def test_input_columns_by_number():
    assert "the 1 input column: 0 x" in input_names(["x"])
    assert "the 2 input columns: 0 x, 1 y" in input_names(["x", "y"])


@pytest.mark.parametrize(("positions", "said"), [
    ([0, 2, 4, 6, 8], "rows 0, 2, 4, ... (1 more range), 8"),
    ([0, 2, 4, 6, 8, 10], "rows 0, 2, 4, ... (2 more ranges), 10"),
    ([0, 2, 4, 6], "rows 0, 2, 4, 6"),
    ([7], "row 7"),
])  # fmt: skip
def test_ranges_of_data_rows(positions, said):
    assert spans(np.array(positions)) == said


@pytest.mark.parametrize(("names", "head", "n_out", "said"), [
    (["a"], "softmax", 3, "1 class name for 3 output columns"),
    (["a", "b", "c"], "identity", 1, "3 class names for 1 output column"),
    (["a", "b"], "softmax", 3, "2 class names for 3 output columns"),
])  # fmt: skip
def test_class_names_refused_by_count(names, head, n_out, said):
    with pytest.raises(ValueError, match=re.escape(said)):
        check_classes(names, head, n_out)


@pytest.mark.parametrize(("names", "said"), [
    (["x"], "1 input name for 2 input columns"), (["x", "y", "z"], "3 input names for 2"),
])  # fmt: skip
def test_input_names_refused_by_count(rng, names, said):
    with pytest.raises(ValueError, match=re.escape(said)):
        _pass((2, 3, 2), 4, 2, rng, input_names=names)


@pytest.mark.parametrize(("row", "said"), [
    (9, "--row 9: row 9 of {} has an empty 'label'"),
    (8, "--row 8: rows 8-9 of {} all have an empty 'label'"),
])  # fmt: skip
def test_explain_refuses_rows_without_a_label_in_agreement(tmp_path, capsys, row, said):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(10, 2)), columns=["a", "b"])
    frame["label"] = np.where(frame.a > 0, "up", "down")
    frame.to_csv(tmp_path / "full.csv", index=False)
    frame.loc[[8, 9], "label"] = None
    frame.to_csv(tmp_path / "blank.csv", index=False)
    model = tmp_path / "m" / "model.npz"
    assert main(["train", "--data", str(tmp_path / "full.csv"), "--target", "label",
                 "--hidden", "3", "--epochs", "1", "--val-fraction", "0", "--progress", "off",
                 "--out", str(model)]) == 0  # fmt: skip
    capsys.readouterr()
    data = str(tmp_path / "blank.csv")
    code = main(["explain", "--model", str(model), "--data", data, "--target", "label",
                 "--row", str(row)])  # fmt: skip
    assert code == 2 and said.format(data) in capsys.readouterr().err
