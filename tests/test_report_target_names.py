"""A regression report of several targets names each one (NU14 #5): figure captions say
``(price)``, not ``(target 0)``, and the scores table has one row per split and target,
each cell one number, equal to scikit-learn's metrics of the model's predictions; the same
for ``glassnet report`` of a saved model, of an ensemble, and the ensemble's training report.
One target keeps its one row per split, unnamed."""

import html
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model

FEATURES = ["a", "b", "c"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    rng = np.random.default_rng(11)
    n = 140
    X = rng.normal(size=(n, 3))
    frame = pd.DataFrame(X, columns=FEATURES)
    frame["price"] = 1e5 * (X[:, 0] - 0.5 * X[:, 1]) + 8e3 * rng.normal(size=n)
    frame["tax"] = 30.0 * X[:, 2] ** 2 + 3.0 * rng.normal(size=n)
    frame["rate"] = 0.01 * X[:, 1] + 0.002 * rng.normal(size=n)
    folder = tmp_path_factory.mktemp("names")
    frame.iloc[:100].to_csv(folder / "train.csv", index=False)
    frame.iloc[100:].to_csv(folder / "test.csv", index=False)
    return folder


def _scores(page):
    """The scores section's table: header and rows of cell texts."""
    section = page[page.index('<section id="scores">') :]
    section = section[: section.index("</section>")]
    header = [html.unescape(c) for c in re.findall(r"<th(?: [^>]*)?>(.*?)</th>", section)]
    body = section.split("<tbody>")[1]
    rows = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]  # fmt: skip
    return header, rows


def _check(page, model, frame, names, split):
    """Captions and the ``split`` rows of the scores table against scikit-learn."""
    captions = set(re.findall(r"Predicted against actual([^<:\"]*)", page))
    if len(names) > 1:
        assert captions == {f" ({name})" for name in names}
        assert "target 0" not in page
    else:
        assert captions == {""}
    header, rows = _scores(page)
    several = len(names) > 1
    assert header == ["split", *(["target"] if several else []), "samples", "RMSE", "MAE", "R^2"]
    P = np.asarray(model.predict(frame[FEATURES].to_numpy())).reshape(len(frame), -1)
    mine = [r for r in rows if r[0] == split]
    assert [r[1] for r in mine] == (names if several else [str(len(frame))])
    for j, (name, row) in enumerate(zip(names, mine, strict=True)):
        cells = dict(zip(header, row, strict=True))
        y, p = frame[name].to_numpy(), P[:, j]
        for metric in ("RMSE", "MAE", "R^2"):
            assert re.fullmatch(r"-?[0-9.e+-]+", cells[metric]), cells  # one number
        assert int(cells["samples"]) == len(frame)
        assert float(cells["RMSE"]) == pytest.approx(mean_squared_error(y, p) ** 0.5, rel=1e-5)
        assert float(cells["MAE"]) == pytest.approx(mean_absolute_error(y, p), rel=1e-5)
        assert float(cells["R^2"]) == pytest.approx(r2_score(y, p), abs=1e-6)


@pytest.mark.parametrize("targets", ["price,tax", "tax,rate,price", "price"])
@pytest.mark.parametrize("ensemble", [[], ["--ensemble", "2"]])
def test_the_report_names_every_target_and_scores_each_alone(
    tables, tmp_path, capsys, targets, ensemble
):
    names = targets.split(",")
    out = tmp_path / "model.npz"
    argv = ["train", "--data", str(tables / "train.csv"), "--target", targets, "--features",
            ",".join(FEATURES), "--hidden", "5", "--epochs", "6", "--val-fraction", "0",
            "--progress", "off", "--out", str(out), *ensemble]  # every row trains
    assert main(argv) == 0
    model = load_model(out)
    train = pd.read_csv(tables / "train.csv")
    _check((tmp_path / "report.html").read_text(), model, train, names, "train")

    page = tmp_path / "again.html"
    argv = ["report", "--model", str(out), "--data", str(tables / "test.csv"), "--target",
            targets, "--out", str(page)]
    assert main(argv) == 0
    capsys.readouterr()
    split = "these rows" if ensemble else "test.csv"
    _check(page.read_text(), model, pd.read_csv(tables / "test.csv"), names, split)
