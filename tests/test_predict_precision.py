"""``glassnet predict --proba`` writes every probability in full: each cell of the CSV reads
back as exactly the float :meth:`Model.predict_proba` returns (the oracle), for two-class
(one logistic unit), many-class, float32 and ensemble models; the labels are
:meth:`Model.predict`'s."""

import csv

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model


@pytest.mark.parametrize(
    ("n_classes", "extra"),
    [(2, []), (3, []), (5, []), (3, ["--dtype", "float32"]), (2, ["--ensemble", "2"]),
     (4, ["--ensemble", "3"])],
)
def test_probabilities_read_back_exactly(tmp_path, capsys, n_classes, extra):
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(300, 4)) * [1, 10, 0.1, 1000]
    y = np.digitize(X[:, 0] + X[:, 1] / 10, np.linspace(-1, 1, n_classes - 1))
    np.savez(tmp_path / "d.npz", X=X, y=y)
    model_path = tmp_path / "m.npz"
    assert main(["train", "--data", str(tmp_path / "d.npz"), "--target", "y", "--epochs", "20",
                 "--out", str(model_path), *extra]) == 0  # fmt: skip
    out = tmp_path / "p.csv"
    assert main(["predict", "--model", str(model_path), "--data", str(tmp_path / "d.npz"),
                 "--proba", "--out", str(out)]) == 0  # fmt: skip
    capsys.readouterr()
    with out.open(newline="") as f:
        rows = list(csv.reader(f))
    model = load_model(model_path)
    assert rows[0] == ["prediction", *(f"proba_{c}" for c in model.classes)]
    P = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    expected = np.asarray(model.predict_proba(X), dtype=np.float64)
    np.testing.assert_array_equal(P, expected)  # every bit
    labels = [r[0] for r in rows[1:]]
    assert labels == [str(c) for c in model.predict(X)]
    sums = P.sum(axis=1)  # to the rounding of the network's own output, not of 6 digits
    tol = 1e-5 if "float32" in extra else 1e-12
    np.testing.assert_allclose(sums, 1.0, rtol=0, atol=tol)
