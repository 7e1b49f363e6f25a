"""NU10 #6/#2: the report's "final loss" row is the saved parameters' loss on the training
rows (checked against scikit-learn's log_loss of the saved model), or, when that was not
measured, is named as the loss logged during the epoch; the summary keeps the data's own
numbers together, and the diagnostics section shows a training run's diagnostics (kept in
its model file) or, for a file without them, says where they are."""

import numpy as np
import pytest
from _csv_tables import write_labelled_csv
from _report_rows import summary_rows

import glassnet
from glassnet.cli.main import main

pytest.importorskip("sklearn")
from sklearn.metrics import log_loss  # noqa: E402

FINAL = "final loss (the kept parameters, training rows)"


def _data(tmp_path):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(120, 3))
    y = np.where(X[:, 0] - X[:, 1] > 0.1, "yes", "no")
    return X, y, write_labelled_csv(tmp_path / "data.csv", X, y)


def _report(model, data, out):
    assert main(["report", "--model", str(model), "--data", str(data), "--target", "label",
                 "--out", str(out)]) == 0  # fmt: skip
    html = out.read_text()
    return summary_rows(html), html


@pytest.mark.parametrize("score_initial", [False, True])
def test_estimator_file(tmp_path, capsys, score_initial):
    X, y, csv = _data(tmp_path)
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(X, columns=["a", "b", "c"])  # as the CSV's columns
    c = glassnet.MLPClassifier(max_iter=5, standardize=True, random_state=0,
                               score_initial=score_initial).fit(X, y)  # fmt: skip
    c.save(tmp_path / "est.npz")
    true = log_loss(y, c.predict_proba(X), labels=c.classes_)  # the oracle
    assert abs(true - c.loss_curve_[-1]) > 1e-3  # the running mean differs from it
    rows, _ = _report(tmp_path / "est.npz", csv, tmp_path / "r.html")
    logged = [k for k in rows if k.startswith("loss logged in epoch 5")]
    final = FINAL[:-1] + ", without the penalty)"  # alpha=1e-4: logged losses carry it
    if score_initial:
        assert float(rows[final]) == pytest.approx(true, rel=1e-5) and not logged
    else:  # not measured: no row claims the kept parameters' loss
        assert final not in rows and len(logged) == 1
        assert "with the L2 penalty" in logged[0]
        assert float(rows[logged[0]]) == pytest.approx(c.loss_curve_[-1], rel=1e-5)
    capsys.readouterr()


def test_cli_model_on_other_rows(tmp_path, capsys):
    X, y, csv = _data(tmp_path)
    out = tmp_path / "run" / "model.npz"
    assert main(["train", "--data", str(csv), "--target", "label", "--hidden", "6",
                 "--epochs", "4", "--val-fraction", "0", "--progress", "off",
                 "--out", str(out)]) == 0  # fmt: skip
    model = glassnet.load(out)
    P = model.predict_proba(X)
    P = np.column_stack([1 - P[:, 0], P[:, 0]]) if P.shape[1] == 1 else P
    true = log_loss(y, P, labels=model.classes)
    rows, html = _report(out, csv, tmp_path / "other.html")
    assert float(rows[FINAL]) == pytest.approx(true, rel=1e-5)
    keys = list(rows)
    assert keys.index("accuracy on these samples") == keys.index("samples") + 1
    # the run's diagnostics, from the summary the model file keeps (not "none recorded")
    assert "No diagnostics were recorded for this report" not in html
    assert "kept in the model file: the numbers of its training report" in html
    assert "during this run" not in html
    capsys.readouterr()
