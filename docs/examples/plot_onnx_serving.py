"""
Serving a model with ONNX
=========================

Train a classifier, save it as a glassnet model file, export it to ONNX and serve it
with onnxruntime, which needs no glassnet at all. Needs ``pip install 'glassnet[onnx]'``.
"""

import pathlib
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from sklearn.datasets import load_iris

import glassnet

X, y = load_iris(return_X_y=True)
X = X.astype(np.float32)
names = np.array(["setosa", "versicolor", "virginica"])
clf = glassnet.MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=200,
                             standardize=True, random_state=0).fit(X, names[y])  # fmt: skip

folder = pathlib.Path(tempfile.mkdtemp())
clf.save(folder / "iris.npz")  # what `glassnet train` writes
glassnet.export_onnx(glassnet.load(folder / "iris.npz"), folder / "iris.onnx")

# %%
# The graph is the forward pass written out: standardization (in float64, on the raw rows),
# a ``Cast`` to the float32 network, then per layer ``MatMul``, ``Add`` and the activation,
# then the softmax and the label.

graph = onnx.load(str(folder / "iris.onnx")).graph
print(" -> ".join(node.op_type for node in graph.node))
print("inputs:", [i.name for i in graph.input], "outputs:", [o.name for o in graph.output])

# %%
# Serve it: the input ``X`` is ``tensor(double)``, the raw rows as float64; onnxruntime
# gives the same labels and probabilities as glassnet.

session = ort.InferenceSession(str(folder / "iris.onnx"), providers=["CPUExecutionProvider"])
label, proba = session.run(["label", "probabilities"], {"X": X[:5].astype(np.float64)})
print(label)
print(np.round(proba, 3))
print("same labels:", bool((label == clf.predict(X[:5])).all()),
      "| largest probability difference:", float(np.abs(proba - clf.predict_proba(X[:5])).max()))
