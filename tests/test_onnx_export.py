"""ONNX export: the exported graph, run in onnxruntime, gives glassnet's outputs."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from glassnet.cli.main import main  # noqa: E402
from glassnet.core.network import Network  # noqa: E402
from glassnet.data.preprocessing import Standardizer  # noqa: E402
from glassnet.files.modelfile import Model, save_model  # noqa: E402
from glassnet.onnx.export import build_onnx, export_onnx  # noqa: E402

TOL = {np.float64: 1e-6, np.float32: 1e-5}
# (output head, classes): softmax and one-unit logistic classifiers, a regressor.
OUTPUTS = {
    "softmax": ("softmax", np.array([3, 5, 7])),
    "logistic": ("logistic", np.array(["no", "yes"])),
    "identity": ("identity", None),
}


def _model(activation: str, output: str, dtype: type, scaled: bool, seed: int = 0) -> Model:
    head, classes = OUTPUTS[output]
    n_out = 1 if head == "logistic" else (3 if classes is not None else 2)
    rng = np.random.default_rng(seed)
    net = Network.mlp([4, 6, 5, n_out], activation, head, "mean")
    params = net.init(rng, dtype)
    params = [{"W": p["W"], "b": (rng.standard_normal(p["b"].shape)).astype(dtype)} for p in params]
    scaler = Standardizer(rng.normal(size=4) * 3, rng.uniform(0.5, 2, size=4)) if scaled else None
    return Model(net, params, classes, scaler)


def _run(path_or_proto, X: np.ndarray) -> dict[str, np.ndarray]:
    data = path_or_proto if isinstance(path_or_proto, str) else path_or_proto.SerializeToString()
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, {"X": X}), strict=True))


def _X(dtype: type, n: int = 64) -> np.ndarray:
    return (np.random.default_rng(1).normal(size=(n, 4)) * 3).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu", "identity"])
def test_onnx_outputs_match_glassnet(activation, output, dtype):
    model = _model(activation, output, dtype, scaled=activation != "identity")
    proto = build_onnx(model)
    assert proto.opset_import[0].version == 17
    X = _X(np.float64)  # the raw rows: the input is tensor(double) for every model
    got = _run(proto, X)
    tol = TOL[dtype]
    if model.classes is None:
        assert got["predictions"].dtype == dtype
        np.testing.assert_allclose(got["predictions"], model.predict_proba(X), rtol=tol, atol=tol)
        return
    P = model.predict_proba(X)  # (N, C): a column per class, two classes included
    assert got["probabilities"].dtype == dtype
    np.testing.assert_allclose(got["probabilities"], P, rtol=tol, atol=tol)
    np.testing.assert_array_equal(got["label"].astype(model.classes.dtype), model.predict(X))


def test_float32_export_of_a_float64_model():
    model = _model("tanh", "softmax", np.float64, scaled=True)
    got = _run(build_onnx(model, dtype="float32"), _X(np.float64))
    assert got["probabilities"].dtype == np.float32
    np.testing.assert_allclose(got["probabilities"], model.predict_proba(_X(np.float64)), atol=1e-5)


def _timestamp_model(output: str, dtype: type, seed: int = 0) -> Model:
    """A model whose inputs are Unix timestamps and the like: means of 1e9 and more, spreads
    of a day or less (float32 rounds 1.7e9 to steps of 128)."""
    model = _model("tanh", output, dtype, scaled=True, seed=seed)
    mean = np.array([1.7e9, 1.6e9 + 0.5, 3e10, -2e9])
    model.scaler = Standardizer(mean, np.array([8.64e4, 3600.0, 1e3, 60.0]))
    return model


def _timestamp_rows(model: Model, n: int = 64) -> np.ndarray:
    rng = np.random.default_rng(2)
    return model.scaler.mean + rng.normal(size=(n, 4)) * model.scaler.scale


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_raw_rows_with_large_offsets_give_glassnets_outputs(output, dtype):
    """tensor(double) input, scaled in float64 inside the graph, then cast: onnxruntime on
    the raw float64 rows gives glassnet's outputs, float32 models included."""
    model = _timestamp_model(output, dtype)
    X = _timestamp_rows(model)
    proto = build_onnx(model)
    assert proto.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.DOUBLE
    got = _run(proto, X)
    tol = TOL[dtype]
    if model.classes is None:
        np.testing.assert_allclose(got["predictions"], model.predict_proba(X), rtol=tol, atol=tol)
        return
    P = model.predict_proba(X)
    P = np.column_stack([1 - P[:, 0], P[:, 0]]) if P.shape[1] == 1 else P
    np.testing.assert_allclose(got["probabilities"], P, rtol=tol, atol=tol)
    np.testing.assert_array_equal(got["label"].astype(model.classes.dtype), model.predict(X))
    # the inputs' spread survives: scaled after a cast to float32 it would not
    spread = np.ptp(model.inputs(X), axis=0)
    assert np.all(spread > 3)


def test_a_float32_input_is_scaled_in_float64_too():
    model = _timestamp_model("softmax", np.float32)
    X = _timestamp_rows(model).astype(np.float32)
    got = _run(build_onnx(model, input_dtype="float32"), X)
    np.testing.assert_allclose(got["probabilities"], model.predict_proba(X.astype(np.float64)),
                               atol=1e-5)  # fmt: skip
    with pytest.raises(ValueError, match="input_dtype must be float32 or float64"):
        build_onnx(model, input_dtype="int64")


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("scale", [1.0, 1e9])
def test_regressors_undo_the_target_scaling_in_float64(dtype, scale):
    model = _timestamp_model("identity", dtype)
    # a mean 1e4 times the scale: un-scaled in float32 it would be off by ~1e-3 scales
    model.target_scaler = Standardizer(np.array([1e4, -1e4]) * scale, np.full(2, scale))
    X = _timestamp_rows(model)
    got = _run(build_onnx(model), X)["predictions"]
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, model.predict(X), rtol=0, atol=TOL[dtype] * scale)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_fitted_regressor_on_timestamps_exports_what_it_predicts(tmp_path, dtype):
    pytest.importorskip("sklearn")
    from glassnet.sklearn.estimators import MLPRegressor

    rng = np.random.default_rng(4)
    X = np.column_stack([1.7e9 + rng.uniform(0, 8.64e5, 200), rng.normal(size=200)])
    y = 1e9 + 3e6 * np.sin((X[:, 0] - 1.7e9) / 2e5) + 1e6 * X[:, 1]
    est = MLPRegressor((16,), max_iter=200, learning_rate_init=0.01, standardize=True,
                       dtype=dtype, random_state=0)  # fmt: skip
    est.fit(X, y)
    assert est.score(X, y) > 0.5
    got = _run(str(export_onnx(est, tmp_path / "r.onnx")), X)["predictions"]
    np.testing.assert_allclose(got[:, 0], est.predict(X), rtol=1e-9)


def test_several_logistic_units_give_probabilities_only():
    net = Network.mlp([4, 3, 3], "relu", "logistic", "mean")
    model = Model(net, net.init(np.random.default_rng(0)), np.array([0, 1, 2]))
    got = _run(build_onnx(model), _X(np.float64))
    assert list(got) == ["probabilities"]
    np.testing.assert_allclose(got["probabilities"], model.predict_proba(_X(np.float64)), atol=1e-6)


def test_cli_export_onnx_writes_a_checked_file(tmp_path, capsys):
    model = _model("relu", "softmax", np.float64, scaled=True)
    save_model(model, tmp_path / "model.npz")
    out = tmp_path / "model.onnx"
    assert main(["export-onnx", str(tmp_path / "model.npz"), str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    onnx.checker.check_model(str(out))
    got = _run(str(out), _X(np.float64))
    np.testing.assert_array_equal(got["label"], model.predict(_X(np.float64)))
    assert main(["export-onnx", str(tmp_path / "missing.npz"), str(out)]) == 1
    assert "no such model file" in capsys.readouterr().err


def test_export_from_a_fitted_estimator(tmp_path):
    pytest.importorskip("sklearn")
    from glassnet.sklearn.estimators import MLPClassifier

    X = _X(np.float32, 90)
    y = np.array(["a", "b", "c"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 1)]
    est = MLPClassifier(hidden_layer_sizes=(8,), max_iter=20, standardize=True, random_state=0)
    est.fit(X, y)
    path = export_onnx(est, tmp_path / "est.onnx")
    got = _run(str(path), X.astype(np.float64))  # the input is tensor(double)
    np.testing.assert_array_equal(got["label"], est.predict(X))
    np.testing.assert_allclose(got["probabilities"], est.predict_proba(X), atol=1e-5)


def test_old_opsets_are_refused():
    import onnx

    newest = onnx.defs.onnx_opset_version()
    for opset in (11, newest + 1):  # before 13, or newer than the installed onnx knows
        with pytest.raises(ValueError, match=f"opset must be from 13 to {newest} .*got {opset}"):
            build_onnx(_model("relu", "identity", np.float64, scaled=False), opset=opset)


@pytest.mark.parametrize(
    ("output", "names", "classes"),
    [
        ("softmax", ("petal", "sepal", "stem", "leaf"), [3, 5, 7]),  # numbers, as the labels
        ("logistic", (), ["no", "yes"]),
        ("identity", ("a", "b", "c", "d"), None),
    ],
)
def test_onnx_carries_feature_names_classes_and_versions(tmp_path, output, names, classes):
    import json
    from dataclasses import replace

    from glassnet._version import __version__

    model = replace(_model("tanh", output, np.float64, scaled=True), feature_names=names)
    path = export_onnx(model, tmp_path / "m.onnx")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta()
    props = meta.custom_metadata_map
    expected = list(names) or ["x0", "x1", "x2", "x3"]
    assert json.loads(props["feature_names"]) == expected and props["n_features"] == "4"
    assert props["glassnet_version"] == __version__ and props["standardized"] == "true"
    assert props["input_dtype"] == "float64"
    assert meta.producer_name == "glassnet" and onnx.load(str(path)).producer_version == __version__
    if classes is None:
        assert "classes" not in props and props["task"] == "regression"
        assert json.loads(props["target_names"]) == ["y0", "y1"]  # the model stores none
    else:
        assert json.loads(props["classes"]) == classes and props["task"] == "classification"
        X = np.random.default_rng(0).normal(size=(20, 4))
        label, proba = session.run(["label", "probabilities"], {"X": X})
        # the probability columns follow the classes listed in the metadata
        assert label.tolist() == [classes[i] for i in proba.argmax(axis=1)]


def test_onnx_feature_names_follow_a_dataframe_fit(tmp_path):
    import json

    pd = pytest.importorskip("pandas")
    from glassnet.sklearn.estimators import MLPClassifier

    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.normal(size=(60, 3)), columns=["zeta", "alpha", "mid"])
    y = np.where(X["alpha"] > 0, "pos", "neg")
    clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, y)
    path = export_onnx(clf, tmp_path / "c.onnx")
    props = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    meta = props.get_modelmeta().custom_metadata_map
    assert json.loads(meta["feature_names"]) == ["zeta", "alpha", "mid"]
    assert json.loads(meta["classes"]) == ["neg", "pos"]


@pytest.mark.parametrize("scale", [1.0, 1e6, 1e9])
def test_regressor_on_standardized_targets_predicts_in_their_units(scale):
    model = _model("tanh", "identity", np.float64, True)
    model.target_scaler = Standardizer(np.array([3.0, -1.0]) * scale, np.array([2.0, 0.5]) * scale)
    X = _X(np.float64)
    got = _run(build_onnx(model), X)["predictions"]
    np.testing.assert_allclose(got, model.predict(X), rtol=1e-9)
    assert np.abs(got).max() > scale  # in the targets' units, not standardized


def test_models_that_encode_table_columns_are_refused(tmp_path):
    pd = pytest.importorskip("pandas")
    from glassnet.cli.workflow import Recipe, train_model
    from glassnet.data.frames import Frame

    df = pd.DataFrame({"a": [1.0, 2.0, None, 4.0] * 5, "b": ["x", "y", "x", "z"] * 5})
    for frame in (Frame(df, "df"), Frame(df[["a"]], "df")):  # a category; a filled column
        out = train_model(frame, np.arange(20) % 2, Recipe(hidden=(3,), epochs=1))
        with pytest.raises(ValueError, match="does not include that encoding yet"):
            build_onnx(out.model)
    plain = train_model(Frame(df[["a"]].fillna(0.0), "df"), np.arange(20) % 2,
                        Recipe(hidden=(3,), epochs=1))
    X = df[["a"]].fillna(0.0).to_numpy()
    P = _run(build_onnx(plain.model), X)["probabilities"]
    np.testing.assert_allclose(P, plain.model.predict_proba(X), rtol=1e-9)
