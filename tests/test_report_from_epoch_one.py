"""``glassnet report`` of an estimator's model file saved without ``score_initial`` (its
record starts at epoch 1): the summary shows what the record knows (the epochs, the first
recorded loss, the best and kept epoch, the last epoch's loss), never "n/a (no history)",
and the curves are drawn at their epochs (point 0 at epoch 1). The oracle is the
estimator itself: ``n_iter_``, ``loss_curve_`` and ``history_``."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")
pd = pytest.importorskip("pandas")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from glassnet import MLPClassifier, MLPRegressor  # noqa: E402
from glassnet.cli.main import main  # noqa: E402


def _summary(html: str) -> dict[str, str]:
    """The summary table's rows: first cell -> second cell, tags stripped."""
    section = html.split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, flags=re.S)] for r in rows]  # noqa: E501
    return {c[0]: c[1] for c in cells if len(c) >= 2}


@pytest.mark.parametrize(
    ("kind", "settings"),
    [
        ("clf", {"max_iter": 5}),
        ("clf", {"max_iter": 30, "early_stopping": True, "n_iter_no_change": 3}),
        ("reg", {"max_iter": 7}),
        ("reg", {"max_iter": 25, "early_stopping": True, "n_iter_no_change": 2}),
    ],
)
def test_the_summary_of_a_record_from_epoch_one(tmp_path, kind, settings):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(90, 3))
    y = (X[:, 0] > 0).astype(int) if kind == "clf" else X[:, 0] * 2.0 + 1.0
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(t=y)
    frame.to_csv(tmp_path / "d.csv", index=False)
    est = (MLPClassifier if kind == "clf" else MLPRegressor)(random_state=0, **settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(frame[["a", "b", "c"]], y)
    assert est.history_.initial is None  # saved without score_initial
    est.save(tmp_path / "est.npz")
    out = tmp_path / "r.html"
    assert main(["report", "--model", str(tmp_path / "est.npz"), "--data",
                 str(tmp_path / "d.csv"), "--target", "t", "--out", str(out)]) == 0  # fmt: skip
    rows = _summary(out.read_text())
    history = est.history_
    assert rows["epochs"] == str(est.n_iter_) == str(history.epochs), rows
    first = "loss in epoch 1 (the first recorded; epoch 0 was not scored)"
    assert float(rows[first]) == pytest.approx(history.records[0].loss, rel=1e-5), rows
    assert rows["kept epoch (the parameters shown and saved)"] == str(history.kept_epoch)
    assert rows["best epoch (lowest monitored loss)"] == str(history.lowest_epoch())
    if history.kept_epoch != history.epochs:
        last = rows[f"loss in the last epoch ({history.epochs})"]
        assert float(last) == pytest.approx(history.records[-1].loss, rel=1e-5)
    assert "n/a (no history)" not in out.read_text()


def test_the_curves_of_a_record_from_epoch_one_start_at_epoch_one():
    from glassnet.views.plotting import plot_loss

    loss = [0.9, 0.7, 0.6, 0.55]
    for first in (0, 1):
        ax = plot_loss(loss, [1.0, 0.8, 0.7, 0.6], xlabel="epoch", first=first).axes[0]
        for line in ax.lines[:2]:
            assert list(line.get_xdata()) == [first + i for i in range(len(loss))]
        assert ax.get_xlim() == (first - 0.5, first + len(loss) - 1 + 0.5)
