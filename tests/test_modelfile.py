import zipfile

import numpy as np
import pytest

from glassnet.core.network import Network
from glassnet.data.preprocessing import Standardizer
from glassnet.files.modelfile import FORMAT_VERSION, Model, ModelFileError, load_model, save_model


@pytest.fixture
def model(rng):
    net = Network.mlp([3, 5, 4, 2], "tanh", "softmax", "mean")
    return Model(
        net,
        net.init(rng),
        np.array(["cat", "dog"]),
        Standardizer(rng.normal(size=3), rng.uniform(1, 2, size=3)),
        ("a", "b", "c"),
        {"epochs": 3, "hidden": [5, 4]},
    )


def test_round_trip_is_exact(model, tmp_path, rng):
    path = save_model(model, tmp_path / "m.npz")
    back = load_model(path)
    assert back.net == model.net
    for p, q in zip(back.params, model.params, strict=True):
        np.testing.assert_array_equal(p["W"], q["W"])
        np.testing.assert_array_equal(p["b"], q["b"])
    assert list(back.classes) == ["cat", "dog"] and back.feature_names == ("a", "b", "c")
    assert back.settings == {"epochs": 3, "hidden": [5, 4]}
    X = rng.normal(size=(6, 3))
    np.testing.assert_array_equal(back.predict_proba(X), model.predict_proba(X))
    assert set(back.predict(X)) <= {"cat", "dog"}


def test_readable_by_numpy_without_pickle(model, tmp_path):
    save_model(model, tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as f:
        assert {"meta", "layer0_W", "layer2_b", "classes", "scaler_mean"} <= set(f.files)
        assert f["layer1_W"].shape == (5, 4)


def test_float32_and_regression_models(tmp_path, rng):
    net = Network.mlp([2, 3, 1], "relu", "identity")
    m = Model(net, net.init(rng, np.float32))
    back = load_model(save_model(m, tmp_path / "r.npz"))
    assert back.classes is None and back.scaler is None
    assert back.params[0]["W"].dtype == np.float32


def test_interrupted_save_keeps_the_old_model(model, tmp_path, monkeypatch):
    path = save_model(model, tmp_path / "m.npz")
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def _rewrite(path, **changes):
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays.update(changes)
    for k in [k for k, v in changes.items() if v is None]:
        del arrays[k]
    np.savez(path, **arrays)


def test_damaged_files_give_one_clear_error(model, tmp_path):
    path = save_model(model, tmp_path / "m.npz")
    data = path.read_bytes()
    cases = {
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "garbage": b"\x00" * 100,
    }
    for name, content in cases.items():
        bad = tmp_path / f"{name}.npz"
        bad.write_bytes(content)
        with pytest.raises(ModelFileError, match="not a readable model file"):
            load_model(bad)
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "absent.npz")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"layer1_W": np.zeros((4, 5))}, r"array 'layer1_W' has shape \(4, 5\), expected \(5, 4\)"),
        ({"layer0_b": None}, "missing array 'layer0_b'"),
        ({"layer0_W": np.zeros((3, 5), dtype=np.int64)}, "dtype int64"),
        ({"layer2_W": np.full((4, 2), np.nan)}, "NaN or infinite"),
        ({"layer2_W": np.zeros((4, 2))}, "checksum mismatch"),
        ({"meta": None}, "no model metadata"),
        ({"meta": np.array("{not json")}, "damaged metadata"),
        ({"classes": np.array(["a", "b", "c"])}, r"array 'classes' has shape \(3,\)"),
    ],
)
def test_invalid_contents_are_named(model, tmp_path, changes, message):
    path = save_model(model, tmp_path / "m.npz")
    _rewrite(path, **changes)
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_newer_format_version_is_refused(model, tmp_path):
    import json

    path = save_model(model, tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as f:
        meta = json.loads(str(f["meta"]))
    meta["format_version"] = FORMAT_VERSION + 1
    _rewrite(path, meta=np.array(json.dumps(meta)))
    with pytest.raises(ModelFileError, match="newer than this glassnet reads"):
        load_model(path)


def test_pickled_object_arrays_are_never_loaded(model, tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, meta=np.array([{"x": 1}], dtype=object))
    with pytest.raises(ModelFileError, match="not a readable model file"):
        load_model(path)
    assert zipfile.is_zipfile(path)


def test_predict_checks_the_feature_count(model, rng):
    with pytest.raises(ValueError, match="the model expects 3 features, got 2"):
        model.predict(rng.normal(size=(4, 2)))
