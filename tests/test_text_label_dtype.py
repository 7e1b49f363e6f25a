"""Text labels come back as a NumPy string array (``<U``), as scikit-learn's MLPClassifier
gives them, whatever holds them: pandas' string dtype (pandas 3's default), an object
array or a list of Python strings (NU11 #20i). The oracle: scikit-learn's MLPClassifier
on the same ``y``; the copies (pickle, model file, ONNX) keep the labels."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn import neural_network as sk

import glassnet
from glassnet import MLPClassifier

RNG = np.random.default_rng(3)
X = RNG.normal(size=(50, 2))
WORDS = np.where(X[:, 0] > 0, "malignant", "benign")


def _ys():
    ys = {"object array": WORDS.astype(object), "list": WORDS.tolist(), "str array": WORDS}
    try:
        import pandas as pd
    except ImportError:
        return ys
    ys["pandas string"] = pd.Series(WORDS, dtype="string")
    ys["pandas object"] = pd.Series(WORDS.astype(object), dtype=object)
    return ys


def _theirs(y, **fit_kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's ConvergenceWarning
        est = sk.MLPClassifier((4,), max_iter=3, random_state=0)
        return est.partial_fit(X, y, **fit_kw) if fit_kw else est.fit(X, y)


@pytest.mark.parametrize("kind", list(_ys()))
def test_classes_and_predictions_have_scikit_learns_dtype(tmp_path, kind):
    y = _ys()[kind]
    theirs = _theirs(y)
    ours = MLPClassifier((4,), max_iter=3, random_state=0).fit(X, y)
    assert ours.classes_.dtype == theirs.classes_.dtype
    assert ours.predict(X).dtype == theirs.predict(X).dtype
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    assert ours.score(X, y) == np.mean(ours.predict(X) == WORDS)
    ours.partial_fit(X, y)  # continuing on the same y (object labels against <U classes_)
    for copy in (
        pickle.loads(pickle.dumps(ours)),
        MLPClassifier.from_model(glassnet.load(ours.save(tmp_path / "m.npz"))),
    ):
        assert copy.classes_.dtype == theirs.classes_.dtype
        np.testing.assert_array_equal(copy.predict(X), ours.predict(X))


def test_partial_fit_classes_given_as_python_strings():
    classes = np.array(["benign", "malignant"], dtype=object)
    theirs = _theirs(WORDS.astype(object), classes=classes)
    ours = MLPClassifier((4,), random_state=0).partial_fit(X, WORDS.astype(object), classes=classes)
    assert ours.classes_.dtype == theirs.classes_.dtype
    assert ours.predict(X).dtype == theirs.predict(X).dtype


def test_onnx_labels_of_text_classes(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    ours = MLPClassifier((4,), max_iter=3, random_state=0).fit(X, WORDS.astype(object))
    path = glassnet.export_onnx(ours, tmp_path / "m.onnx")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (label,) = session.run(["label"], {"X": X})
    assert label.tolist() == ours.predict(X).tolist()
