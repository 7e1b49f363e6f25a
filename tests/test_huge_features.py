"""Features at any finite scale train (F14): 1e300 and 1e-300 columns standardize without
overflow or underflow, through the CLI and the library, and learn as the same columns at
scale 1 do (the oracle: the accuracy of the unit-scale data, a separable rule)."""

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.files.modelfile import load_model


def _data(seed, n=300):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] > 0, "yes", "no")
    return X, y


@pytest.mark.parametrize(("scales", "seed"),
                         [((1e300, 1.0), 0), ((1e300, 1.0), 1), ((1e-300, 1.0), 0),
                          ((1e300, 1e-300), 2), ((1.0, 1.0), 0)])  # fmt: skip
def test_cli_trains_on_features_of_any_scale(capsys, tmp_path, scales, seed):
    X, y = _data(seed)
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n" + "".join(f"{float(a)!r},{float(b)!r},{t}\n" for (a, b), t in
                                       zip(X * scales, y, strict=True)))  # fmt: skip
    code = main(["train", "--data", str(path), "--target", "y", "--epochs", "60", "--seed",
                 str(seed), "--progress", "off", "--out", str(tmp_path / "m.npz")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert "overflow" not in err and "invalid value" not in err and "diverged" not in err
    model = load_model(tmp_path / "m.npz")
    import pandas as pd

    right = np.mean(model.predict(pd.DataFrame({"a": X[:, 0] * scales[0],
                                                "b": X[:, 1] * scales[1]})) == y)  # fmt: skip
    assert right > 0.9


@pytest.mark.parametrize("scale", [1e300, 1e-300, 1.0])
def test_estimator_learns_at_any_scale(scale):
    from glassnet.sklearn.estimators import MLPClassifier

    X, y = _data(3)
    est = MLPClassifier(hidden_layer_sizes=(8,), max_iter=200, random_state=0,
                        standardize=True).fit(X * scale, y)
    assert est.score(X * scale, y) > 0.9
