"""``glassnet train`` says what it is about to train before it trains (NU11 #8): the task
and why, the key to shortened class names, the target scaling and each encoded column come
right after the data's size, before the first epoch's progress, for a single run and an
ensemble; and they are the lines the trained outcome gives (the oracle:
:func:`glassnet.cli.run_outputs.data_lines` of the finished run, what was printed after
training before)."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.cli.main import build_parser, main, parse
from glassnet.cli.run_outputs import data_lines
from glassnet.cli.train_inputs import recipe_from_args, training_data
from glassnet.cli.workflow import train_model


def _table(path, kind):
    rng = np.random.default_rng(0)
    n = 60
    x = rng.normal(size=n)
    site = np.array(["north", "south", "east"])[np.arange(n) % 3]
    cols = {"x": x.astype(object), "site": site}
    cols["x"][[4, 9, 15, 22, 31, 40, 51]] = ""  # gaps: the median, plus a was-missing column
    if kind == "labels":
        target = {"target": np.where(np.arange(n) % 2 == 0, "benign", "malignant")}
    elif kind == "value":
        target = {"target": 1000.0 + 250.0 * x}
    else:  # two target columns of different scales: validation losses in their units
        target = {"cost": 1000.0 + 250.0 * x, "rate": 0.01 * x}
    cols.update(target)
    names = list(cols)
    rows = [",".join(names)] + [",".join(str(cols[c][i]) for c in names) for i in range(n)]
    path.write_text("\n".join(rows) + "\n")
    return ",".join(target)


def _said_when_training_began(module, name, capsys, monkeypatch):
    """The lines printed when ``module.name`` (the loop) was first called, filled in then."""
    seen: list[str] = []
    fit = getattr(module, name)

    def watched(*args, **kwargs):
        if not seen:
            seen.extend(capsys.readouterr().out.splitlines())
        return fit(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return seen


@pytest.mark.parametrize("kind", ["labels", "value", "two scales"])
def test_the_setup_lines_come_before_training(tmp_path, capsys, kind, monkeypatch):
    import glassnet.cli.workflow as workflow

    target = _table(tmp_path / "d.csv", kind)
    task = ["--task", "regression"] if kind != "labels" else []
    args = ["train", "--data", str(tmp_path / "d.csv"), "--target", target, "--epochs", "3",
            "--hidden", "4", "--out", str(tmp_path / "m.npz"), *task]
    before = _said_when_training_began(workflow, "fit", capsys, monkeypatch)
    assert main(args) == 0
    after = capsys.readouterr().out.splitlines()
    monkeypatch.undo()
    assert before[0].startswith("training on ")
    parsed = parse(build_parser(), args)
    X, y, names, _ = training_data(parsed)
    capsys.readouterr()
    expected = data_lines(train_model(X, y, recipe_from_args(parsed), names))
    assert expected and [line for line in before if line in expected] == expected
    assert not any(line in expected for line in after)  # said once
    assert "column 'site': 3 categories one-hot encoded" in expected
    assert any("filled with the median" in line for line in expected)



@pytest.mark.parametrize("kind", ["labels", "value"])
def test_an_ensemble_says_them_before_training_too(tmp_path, capsys, kind, monkeypatch):
    import glassnet.cli.ensemble as ensemble

    target = _table(tmp_path / "d.csv", kind)
    task = ["--task", "regression"] if kind != "labels" else []
    seen = _said_when_training_began(ensemble, "fit_population", capsys, monkeypatch)
    args = ["train", "--data", str(tmp_path / "d.csv"), "--target", target, "--epochs", "3",
            "--hidden", "4", "--ensemble", "2", "--out", str(tmp_path / "m.npz"), *task]
    assert main(args) == 0
    after = capsys.readouterr().out.splitlines()
    assert seen[0].startswith("training an ensemble of 2")
    assert seen[1].startswith("task: " + ("classification" if kind == "labels" else "regression"))
    assert "column 'site': 3 categories one-hot encoded" in seen
    assert not any(line.startswith(("task: ", "column ")) for line in after)
