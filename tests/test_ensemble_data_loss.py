"""``glassnet evaluate`` and ``glassnet report --data`` of a saved ensemble show the loss of
its mean output on the data file, summed block by block (the oracle:
``sklearn.metrics.log_loss`` of the probabilities ``glassnet predict --proba`` writes; for a
regressor, half the squared error of ``glassnet predict``'s values, per sample)."""

import re

import numpy as np
import pandas as pd
import pytest

from glassnet.cli.main import main
from glassnet.train.progress import loss_text


def _table(path, rng, kind):
    X = rng.normal(size=(400, 3))
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"])
    if kind == "regression":
        frame["y"] = 3.0 * X[:, 0] - X[:, 1] ** 2 + 50.0 + 0.1 * rng.normal(size=400)
    else:
        codes = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
        if kind == "three":
            codes = codes + (X[:, 2] > 0.8)
        frame["y"] = np.array(["no", "yes", "maybe"])[codes]
    frame.to_csv(path, index=False)
    return frame["y"].to_numpy()


def _oracle(tmp_path, model, data, y, kind):
    out = tmp_path / "p.csv"
    argv = ["predict", "--model", str(model), "--data", str(data), "--out", str(out)]
    assert main([*argv, *([] if kind == "regression" else ["--proba"])]) == 0
    p = pd.read_csv(out)
    if kind == "regression":
        return 0.5 * float(np.mean((p["prediction"].to_numpy(float) - y) ** 2))
    from sklearn.metrics import log_loss

    labels = [c.removeprefix("proba_") for c in p.columns if c.startswith("proba_")]
    return log_loss(y, p[[f"proba_{c}" for c in labels]].to_numpy(), labels=labels)


@pytest.mark.parametrize("block_bytes", [1 << 30, 2048])  # one block; about 15 blocks
@pytest.mark.parametrize(("kind", "members"), [("two", 2), ("three", 3), ("regression", 2)])
def test_evaluate_and_report_show_the_ensembles_loss_on_the_data(
    tmp_path, rng, capsys, monkeypatch, kind, members, block_bytes
):
    import glassnet.data.blocks as blocks

    data, model = tmp_path / "d.csv", tmp_path / "m.npz"
    y = _table(data, rng, kind)
    assert main(["train", "--data", str(data), "--target", "y", "--hidden", "4", "--epochs",
                 "4", "--ensemble", str(members), "--progress", "off", "--out",
                 str(model)]) == 0  # fmt: skip
    want = _oracle(tmp_path, model, data, y, kind)
    capsys.readouterr()
    monkeypatch.setattr(blocks, "BLOCK_BYTES", block_bytes)
    base = ["--model", str(model), "--data", str(data), "--target", "y"]
    assert main(["evaluate", *base]) == 0
    said = capsys.readouterr().out
    shown = re.search(r"ensemble loss (\S+);", said)
    assert shown is not None, said
    assert float(shown.group(1)) == pytest.approx(want, rel=1e-4), said
    report = tmp_path / "r.html"
    assert main(["report", *base, "--out", str(report)]) == 0
    page = report.read_text()
    table = page[page.index("ensemble loss</th>") :]  # the table of the ensemble's scores
    row = table[table.index('<td class="text">data</td>') :]
    assert row.startswith(f'<td class="text">data</td><td>{loss_text(float(shown.group(1)))}<')
