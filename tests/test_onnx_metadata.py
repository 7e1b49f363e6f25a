"""ONNX metadata says what the outputs hold (NU11 #2, #15): ``classes`` is JSON of the
labels as the ``label`` output holds them (numbers for integer and float labels, true/false
for booleans, text for text), the ``label`` output's values are what glassnet predicts,
and a regressor's ``target_names`` names the columns of ``predictions``. The oracles:
onnxruntime's outputs, glassnet's ``predict``, and the names the data gave."""

from __future__ import annotations

import json

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from glassnet.cli.main import main  # noqa: E402
from glassnet.files.modelfile import load_model  # noqa: E402
from glassnet.onnx.export import export_onnx  # noqa: E402

RNG = np.random.default_rng(5)
X = RNG.normal(size=(60, 3))
SIDE = X[:, 0] + 0.5 * X[:, 1]
LABELS = {  # two classes and three, of every kind a label can be
    "int": np.where(SIDE > 0, 1, 0),
    "int, 3 classes": np.select([SIDE < -0.5, SIDE < 0.5], [3, 5], 7),
    "str": np.where(SIDE > 0, "malignant", "benign"),
    "str, 3 classes": np.select([SIDE < -0.5, SIDE < 0.5], ["a", "b"], "c"),
    "float": np.where(SIDE > 0, 2.0, -1.0),  # (scikit-learn takes whole floats as labels)
    "bool": SIDE > 0,
}
PYTHON_TYPE = {"i": int, "U": str, "O": str, "f": float, "b": bool}


def _session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _check(path, predicted):
    """The metadata's classes are the label output's values, of its type; the labels are
    ``predicted`` (glassnet's), value for value and kind for kind."""
    session = _session(path)
    meta = session.get_modelmeta().custom_metadata_map
    label, proba = session.run(["label", "probabilities"], {"X": X})
    classes = json.loads(meta["classes"])
    assert label.tolist() == [classes[i] for i in proba.argmax(axis=1)]
    kind = np.asarray(predicted).dtype.kind
    assert {type(c) for c in classes} == {PYTHON_TYPE[kind]}
    assert {type(v) for v in label.tolist()} <= {PYTHON_TYPE[kind]}
    assert label.tolist() == np.asarray(predicted).tolist()
    return classes


@pytest.mark.parametrize("name", LABELS)
def test_an_estimators_classes_are_listed_as_its_labels_are_output(tmp_path, name):
    from glassnet.sklearn.estimators import MLPClassifier

    y = LABELS[name]
    clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=40, random_state=0).fit(X, y)
    classes = _check(export_onnx(clf, tmp_path / "c.onnx"), clf.predict(X))
    assert classes == np.unique(y).tolist()


def _csv(path, columns):
    names = list(columns)
    rows = zip(*(columns[n] for n in names), strict=True)
    path.write_text(",".join(names) + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("name", ["int", "str, 3 classes", "bool"])
def test_a_cli_models_classes_are_listed_as_its_labels_are_output(tmp_path, name):
    y = LABELS[name]
    data = _csv(tmp_path / "d.csv", {"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "label": y})
    out = tmp_path / "run" / "model.npz"
    argv = ["--data", str(data), "--target", "label", "--epochs", "5", "--progress", "off"]
    assert main(["train", *argv, "--out", str(out)]) == 0
    assert main(["export-onnx", "--model", str(out), "--out", str(tmp_path / "m.onnx")]) == 0
    model = load_model(out)
    classes = _check(tmp_path / "m.onnx", model.predict(X))
    assert classes == np.unique(y).tolist()


@pytest.mark.parametrize(
    ("y", "names"),
    [
        ("series", ["spend"]),
        ("frame", ["spend", "tenure"]),
        ("frame of one", ["spend"]),
        ("array", ["y0"]),
        ("2-d array", ["y0", "y1"]),
    ],
)
def test_an_estimators_target_names_are_in_the_metadata(tmp_path, y, names):
    pd = pytest.importorskip("pandas")
    from glassnet.sklearn.estimators import MLPRegressor

    values = np.c_[3 * X[:, 0] + 1, X[:, 1] - X[:, 2]]
    targets = {
        "series": pd.Series(values[:, 0], name="spend"),
        "frame": pd.DataFrame(values, columns=["spend", "tenure"]),
        "frame of one": pd.DataFrame(values[:, :1], columns=["spend"]),
        "array": values[:, 0],
        "2-d array": values,
    }[y]
    reg = MLPRegressor(hidden_layer_sizes=(8,), max_iter=20, random_state=0).fit(X, targets)
    path = export_onnx(reg, tmp_path / "r.onnx")
    session = _session(path)
    meta = session.get_modelmeta().custom_metadata_map
    assert json.loads(meta["target_names"]) == names and meta["task"] == "regression"
    (predictions,) = session.run(["predictions"], {"X": X})
    assert predictions.shape == (len(X), len(names))
    np.testing.assert_allclose(predictions, reg.predict(X).reshape(len(X), -1), rtol=1e-6)
    saved = tmp_path / "r.npz"
    reg.save(saved)  # the model file keeps them, and so does the estimator loaded from it
    assert json.loads(_session(export_onnx(load_model(saved), tmp_path / "s.onnx"))
                      .get_modelmeta().custom_metadata_map["target_names"]) == names  # fmt: skip


@pytest.mark.parametrize("target", ["spend", "spend,tenure", "tenure,spend"])
def test_a_cli_regressors_target_names_are_in_the_metadata(tmp_path, capsys, target):
    columns = {"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "spend": 3 * X[:, 0] + 1,
               "tenure": X[:, 1] - X[:, 2]}  # fmt: skip
    data = _csv(tmp_path / "d.csv", columns)
    out = tmp_path / "run" / "model.npz"
    argv = ["--data", str(data), "--target", target, "--epochs", "3", "--progress", "off"]
    assert main(["train", *argv, "--out", str(out)]) == 0
    assert main(["export-onnx", "--model", str(out), "--out", str(tmp_path / "m.onnx")]) == 0
    meta = _session(tmp_path / "m.onnx").get_modelmeta().custom_metadata_map
    assert json.loads(meta["target_names"]) == target.split(",")
    assert json.loads(meta["feature_names"]) == [c for c in ("a", "b", "c", "spend", "tenure")
                                                 if c not in target.split(",")]  # fmt: skip
    assert "classes" not in meta


def test_a_one_target_run_resumes_from_a_checkpoint_that_kept_no_target_name(tmp_path, capsys):
    """One target's name is stored in the model file now, but not compared by --resume:
    a checkpoint written before (whose settings hold no name) still matches."""
    import glassnet.cli.run_record as run_record

    data = _csv(tmp_path / "d.csv", {"a": X[:, 0], "b": X[:, 1], "spend": 3 * X[:, 0] + 1})
    out = tmp_path / "m.npz"
    argv = ["train", "--data", str(data), "--target", "spend", "--progress", "off",
            "--out", str(out)]  # fmt: skip
    assert main([*argv, "--epochs", "2"]) == 0
    assert load_model(out).settings["targets"] == ["spend"]
    from glassnet.cli.recipe import Recipe

    with_name = run_record.resumable(Recipe(targets=("spend",)), X, X[:, 0])
    assert with_name == run_record.resumable(Recipe(), X, X[:, 0])
    assert main([*argv, "--epochs", "4", "--resume"]) == 0
    assert "resuming from epoch 2" in capsys.readouterr().out
