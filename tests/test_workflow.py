import dataclasses

import numpy as np
import pytest

from glassnet.cli.workflow import PRESETS, Recipe, infer_task, train_model
from glassnet.data.datasets import make_moons
from glassnet.data.tables import DataError


def test_infer_task():
    assert infer_task(np.array(["a", "b"])) == "classification"
    assert infer_task(np.array([0.0, 1.0, 2.0] * 2)) == "classification"
    assert infer_task(np.array([0.5, 1.0])) == "regression"
    assert infer_task(np.arange(6) % 3) == "classification"
    assert infer_task(np.arange(3)) == "regression"  # one row per value: too few for classes


def test_classification_with_named_classes_and_splits():
    X, t = make_moons(np.random.default_rng(0), 200, noise=0.1)
    y = np.array(["lower", "upper"])[1 - t]
    recipe = Recipe(hidden=(16,), epochs=60, val_size=0.2, test_size=0.1, learning_rate=0.01)
    out = train_model(X, y, recipe, ("u", "v"))
    assert {k: len(v) for k, v in out.rows.items()} == {"train": 140, "validation": 40, "test": 20}
    all_rows = np.concatenate(list(out.rows.values()))
    assert sorted(all_rows.tolist()) == list(range(200))
    assert list(out.model.classes) == ["lower", "upper"]
    assert out.scores["test"].accuracy >= 0.9
    assert set(out.model.predict(X[:5])) <= {"lower", "upper"}
    # the scaler was fitted on the training rows only
    np.testing.assert_allclose(out.model.scaler.mean, X[out.rows["train"]].mean(axis=0))
    assert out.model.settings["hidden"] == [16]


def test_regression():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(300, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + 0.5
    recipe = Recipe(hidden=(32,), activation="tanh", epochs=150, learning_rate=0.01, patience=None)
    out = train_model(X, y, recipe)
    assert out.model.classes is None
    assert out.scores["validation"].loss < 0.01 * np.var(y) * 10  # far below the variance
    assert out.scores["validation"].accuracy is None


def test_bad_data():
    X = np.zeros((10, 2))
    with pytest.raises(DataError, match="at least 2 classes"):
        train_model(X, np.array(["a"] * 10), Recipe(epochs=1))
    with pytest.raises(DataError, match="X has 10 samples but y has 9"):
        train_model(X, np.zeros(9), Recipe(epochs=1))
    with pytest.raises(
        DataError, match="cannot split off a validation set of 20 from the 10 remaining"
    ):
        train_model(X, np.arange(10) % 2, Recipe(epochs=1, val_size=20))


def test_same_seed_same_model():
    X, t = make_moons(np.random.default_rng(0), 100)
    recipe = Recipe(hidden=(8,), epochs=5)
    a, b = train_model(X, t, recipe), train_model(X, t, recipe)
    np.testing.assert_array_equal(a.model.params[0]["W"], b.model.params[0]["W"])
    c = train_model(X, t, dataclasses.replace(recipe, seed=1))
    assert not np.array_equal(a.model.params[0]["W"], c.model.params[0]["W"])


def test_digits_presets_reproduce_and_beat_the_tutorial():
    """The tutorial's part-5 run (~96%) and glassnet's defaults (>= 97.5%), same test split."""
    pytest.importorskip("sklearn")
    from glassnet.data.datasets import load_digits

    X, y = load_digits()
    tutorial = train_model(X, y, PRESETS["tutorial-digits"])
    ours = train_model(X, y, PRESETS["digits"])
    np.testing.assert_array_equal(tutorial.rows["test"], ours.rows["test"])
    assert {k: len(v) for k, v in ours.rows.items()} == {
        "train": 1078,
        "validation": 359,
        "test": 360,
    }
    assert tutorial.scores["test"].accuracy >= 0.93
    assert ours.scores["test"].accuracy >= 0.975
