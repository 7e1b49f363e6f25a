"""A model whose parameters reach 1e11 or more (where the gradient check's step of 1e-5
does not move them in float64) still gets its report: the gradient-check section says why
no check was run, instead of the report failing; a model of ordinary weights is checked
as before."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model, save_model


def _trained(tmp_path, task):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int) if task == "classification" else 3.0 * X[:, 0]
    rows = ["a,b,target"] + [f"{a},{b},{t}" for (a, b), t in zip(X, y, strict=True)]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "run" / "model.npz"
    assert main(["train", "--data", str(tmp_path / "d.csv"), "--target", "target", "--epochs",
                 "2", "--hidden", "3", "--task", task, "--progress", "off",
                 "--out", str(out)]) == 0  # fmt: skip
    return out


@pytest.mark.parametrize("task", ["classification", "regression"])
@pytest.mark.parametrize("big", [1e12, -3e15, 4e18])
def test_a_report_of_huge_weights_says_why_no_check_ran(tmp_path, capsys, task, big):
    model = load_model(_trained(tmp_path, task))
    model.params[0]["W"][0, 0] = big  # 1e-5 cannot move it: |big| * 2**-52 > 1e-5
    assert abs(big) + 1e-5 == abs(big)
    huge = save_model(model, tmp_path / "huge.npz")
    page = tmp_path / "huge.html"
    assert main(["report", "--model", str(huge), "--data", str(tmp_path / "d.csv"),
                 "--target", "target", "--out", str(page)]) == 0  # fmt: skip
    text = page.read_text()
    assert "No gradient check was run" in text and "eps=1e-05 cannot move the parameters" in text
    assert "Gradient check passed" not in text and "Gradient check FAILED" not in text


def test_ordinary_weights_are_checked(tmp_path, capsys):
    out = _trained(tmp_path, "classification")
    page = tmp_path / "r.html"
    assert main(["report", "--model", str(out), "--data", str(tmp_path / "d.csv"),
                 "--target", "target", "--out", str(page)]) == 0  # fmt: skip
    text = page.read_text()
    assert "Gradient check passed" in text and "No gradient check was run" not in text
