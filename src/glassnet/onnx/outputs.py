"""The output nodes of an exported model: what a classifier or a regressor hands back.

A classifier gives ``probabilities`` (N, C) and, when asked, ``label`` (N,); a one-unit
logistic output gives the two columns ``1 - p, p`` and the label ``p >= 0.5``. A regressor
gives ``predictions`` (N, k) in the targets' units (scaled back in float64).
"""

from __future__ import annotations

import numpy as np

from glassnet.core._types import Array
from glassnet.files.modelfile import Model
from glassnet.onnx.graph import Graph, TensorProto, info, numpy_helper, onnx


def output_nodes(g: Graph, model: Model, Z: str, labels: bool) -> list[onnx.ValueInfoProto]:
    """The output nodes after the last layer's logits ``Z``, and their declarations."""
    head, n_out = model.net.head.name, model.net.sizes[-1]
    if model.classes is None:  # regression: the output function applied to the logits
        if model.target_scaler is None:
            return [info(_output_op(g, head, Z, "predictions"), g.dtype, n_out)]
        Y = _output_op(g, head, Z, "standardized_predictions")
        if g.dtype != np.float64:  # the target scaling in float64, as glassnet's
            Y = g.op("Cast", [Y], "standardized_predictions64", to=TensorProto.DOUBLE)
        scale, mean = model.target_scaler.scale, model.target_scaler.mean
        Y = g.op("Mul", [Y, g.const("target_scale", scale, np.float64)], "scaled")
        Y = g.op("Add", [Y, g.const("target_mean", mean, np.float64)], "predictions")
        return [info(Y, np.dtype(np.float64), n_out)]
    if head == "logistic" and n_out == 1:  # binary: P = [1 - p, p], label p >= 0.5
        p = g.averaged("Sigmoid", [Z], "p1")
        q = g.op("Sub", [g.const("one", np.ones((1, 1))), p], "p0")
        P = g.op("Concat", [q, p], "probabilities", axis=1)
        hit = g.op("GreaterOrEqual", [p, g.const("half", np.full((1, 1), 0.5))], "hit")
        hit = g.op("Cast", [hit], "hit64", to=TensorProto.INT64)
        codes = g.op("Reshape", [hit, g.const("flat", np.array([-1]), np.int64)], "codes")
        width = 2
    else:  # softmax: the label is the most probable class (the first on ties)
        P, width = _output_op(g, head, Z, "probabilities"), n_out
        labels = labels and head == "softmax"  # several logistic units: no single label
        codes = g.op("ArgMax", [P], "codes", axis=1, keepdims=0) if labels else ""
    outputs = [info(P, g.dtype, width)]
    if labels:
        classes, elem = label_classes(model.classes)
        g.inits.append(numpy_helper.from_array(classes, "classes"))
        outputs.insert(0, info(g.op("Gather", ["classes", codes], "label", axis=0), elem, None))
    return outputs


def _output_op(g: Graph, head: str, Z: str, name: str) -> str:
    if head == "softmax":
        return g.averaged("Softmax", [Z], name, axis=-1)
    return g.averaged("Sigmoid" if head == "logistic" else "Identity", [Z], name)


def label_classes(classes: Array) -> tuple[Array, int]:
    """The class labels as the ``label`` output holds them, and its element type: booleans
    as ``tensor(bool)``, integers as ``tensor(int64)``, floats as ``tensor(double)``,
    anything else as text (``tensor(string)``). The metadata's ``classes`` lists the same
    values (:func:`glassnet.onnx.export.metadata`)."""
    classes = np.asarray(classes)
    if classes.dtype.kind == "b":
        return classes.astype(bool), TensorProto.BOOL
    if classes.dtype.kind in "iu":
        return classes.astype(np.int64), TensorProto.INT64
    if classes.dtype.kind == "f":
        return classes.astype(np.float64), TensorProto.DOUBLE
    return np.array([str(c) for c in classes], dtype=object), TensorProto.STRING
