"""``glassnet train`` on several target columns of different scales: each column is
standardized by its own spread, so each trains as the same target in one unit does. The
oracle: the run on ``[y, y]`` (the two columns standardize to the same numbers) and
scikit-learn's R^2 per column."""

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model

sklearn = pytest.importorskip("sklearn")
from sklearn.datasets import make_friedman1  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402


def _train(tmp_path, capsys, name, X, Y):
    np.savez(tmp_path / f"{name}.npz", X=X, y=Y)
    out = tmp_path / name / "m.npz"
    code = main(["train", "--data", str(tmp_path / f"{name}.npz"), "--epochs", "30",
                 "--progress", "off", "--seed", "0", "--out", str(out)])  # fmt: skip
    cap = capsys.readouterr()
    assert code == 0, cap.err
    return load_model(out), cap.out


@pytest.mark.parametrize(("a1", "b1", "a2", "b2"),
                         [(1e7, 3e9, 0.01, 3.0), (1.0, 0.0, 1e-6, 1.0), (1e5, -2e5, 3.0, 0.0)])
def test_cli_target_columns_each_on_their_own_scale(tmp_path, capsys, a1, b1, a2, b2):
    X, y = make_friedman1(n_samples=400, random_state=1)
    ref, _ = _train(tmp_path, capsys, "ref", X, np.column_stack([y, y]))
    Y = np.column_stack([y * a1 + b1, y * a2 + b2])
    model, text = _train(tmp_path, capsys, "mixed", X, Y)
    np.testing.assert_allclose(model.target_scaler.scale, np.std(Y, axis=0), rtol=0.2)
    r2 = r2_score(Y, model.predict(X), multioutput="raw_values")
    r2_ref = r2_score(np.column_stack([y, y]), ref.predict(X), multioutput="raw_values")
    np.testing.assert_allclose(r2, r2_ref, atol=1e-6)
    assert np.all(r2 > 0.5)
    assert "averaged over the standardized columns" in text
