"""A second README-only trial's findings: a model never replaces a file that is not a model;
``impute=True`` on a model that stores no fill values says so and names the column."""

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.core.validation import DataError

MOONS = ["train", "--dataset", "moons", "--n-samples", "80", "--epochs", "2", "--hidden", "3",
         "--progress", "off"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content"),
    [("data2.csv", b"a,b\n1,2\n"), ("notes.txt", b"my notes"), ("m.npz", b"not a zip"),
     ("h.json", b"{}")],  # fmt: skip
)
def test_train_does_not_write_a_model_over_a_file_that_is_not_one(name, content, tmp_path,
                                                                   capsys):  # fmt: skip
    out = tmp_path / name
    out.write_bytes(content)
    assert main([*MOONS, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "is not a model file" in err, err
    assert out.read_bytes() == content  # untouched
    assert not (tmp_path / "history.json").exists()  # refused before training


def test_train_may_replace_a_model_or_an_empty_file(tmp_path, capsys):
    out = tmp_path / "m.npz"
    assert main([*MOONS, "--out", str(out)]) == 0
    assert main([*MOONS, "--seed", "1", "--out", str(out)]) == 0  # a model: replaced, with a note
    assert "replaced" in capsys.readouterr().out
    empty = tmp_path / "new.npz"
    empty.touch()
    assert main([*MOONS, "--out", str(empty)]) == 0


@pytest.fixture(scope="module")
def estimator_models(tmp_path_factory):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("sklearn")
    from glassnet import MLPClassifier, MLPRegressor

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(60, 3)), columns=["alpha", "beta", "gamma"])
    folder = tmp_path_factory.mktemp("est")
    clf = MLPClassifier(hidden_layer_sizes=(3,), max_iter=5, random_state=0)
    clf.fit(frame, frame["alpha"] > 0)
    reg = MLPRegressor(hidden_layer_sizes=(3,), max_iter=5, random_state=0)
    reg.fit(frame, frame["beta"] * 1e3)
    clf.save(folder / "c.npz")
    reg.save(folder / "r.npz")
    return frame, folder


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("model", ["c.npz", "r.npz"])
@pytest.mark.parametrize("column", [0, 2])
@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_impute_on_a_model_without_fill_values_says_so(estimator_models, model, column, method):
    import glassnet

    frame, folder = estimator_models
    loaded = glassnet.load(folder / model)
    gappy = frame.copy()
    gappy.iloc[4, column] = np.nan
    name = ["alpha", "beta", "gamma"][column]
    with pytest.raises(DataError, match=f"row 4, column '{name}'.*impute=True cannot fill"):
        getattr(loaded, method)(gappy, impute=True)
    with pytest.raises(DataError, match=f"row 4, column '{name}'") as strict:
        getattr(loaded, method)(gappy)
    assert "impute=True cannot" not in str(strict.value)
    clean = getattr(loaded, method)(frame, impute=True)  # nothing to fill: as without impute
    np.testing.assert_array_equal(clean, getattr(loaded, method)(frame))
