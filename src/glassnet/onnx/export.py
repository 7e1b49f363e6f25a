"""Export a glassnet model to ONNX, to be served by any ONNX runtime without glassnet.

The graph mirrors the forward pass, one node per operation (``N`` rows, ``D`` inputs)::

    X (N, D) float64 -> [Sub mean, Div scale]       the input standardization, in float64
             -> [Cast]                              to the computation dtype (float32 models)
             -> MatMul W_l -> Add b_l -> f_l        every hidden layer (Sigmoid, Tanh, Relu)
             -> MatMul W_o -> Add b_o -> g          the output: Softmax, Sigmoid or none
             -> [Cast, Mul scale, Add mean]         a regressor's target scaling, in float64

The input ``X`` is ``tensor(double)`` (``input_dtype``): raw rows are scaled in float64
and only then cast, as glassnet does, so a column of Unix timestamps (1.7e9, whose float32
steps are 128) keeps its spread in a float32 model.

An ensemble's stacked members (``W (K, D, H)``) go through the same nodes at once
(``MatMul`` broadcasts over the member axis, ``Softmax`` acts on the last axis) and a
``ReduceMean`` over the members follows the output function, as glassnet averages them.

Outputs: ``probabilities`` (N, C) and ``label`` (N,) (the classes as glassnet predicts
them: bool, int64, double or string) for a classifier (a one-unit logistic
output gives the two columns ``1 - p, p`` and the label ``p >= 0.5``, as glassnet predicts),
``predictions`` (N, k) for a regressor, in the targets' units (a model trained on
standardized targets multiplies by their scale and adds their mean in the graph, in
float64, so ``predictions`` are float64). A model
trained on a table whose columns glassnet encoded (categories one-hot, missing cells
filled) is refused: the graph would take the encoded columns, not the table's raw rows.
The network computes in the parameters' dtype
(float32 or float64) unless ``dtype`` asks for the other. Importing this module imports
``onnx`` (``pip install 'glassnet[onnx]'``).

The model's meaning travels as ONNX metadata (``metadata_props``, read with
``onnxruntime.InferenceSession(...).get_modelmeta().custom_metadata_map``), every value a
string: ``feature_names`` (JSON list, in the order of ``X``'s columns; ``x0, x1, ...`` when
the model stored none), ``n_features``, ``classes`` (classifiers: JSON list of the labels
in the order of the probability columns, each as the ``label`` output holds it: integers
and floats as JSON numbers, booleans as true/false, text as strings), ``target_names``
(regressors: JSON list naming the columns of ``predictions``; ``y0, y1, ...`` when the
model stored none), ``task``, ``standardized`` (``"true"`` when the graph standardizes its
input itself), ``input_dtype`` (``"float64"``), ``glassnet_version``; the model's
``producer_name`` is ``glassnet`` and its ``producer_version`` glassnet's version.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from glassnet._version import __version__
from glassnet.files.fileio import write_bytes
from glassnet.files.modelfile import Model
from glassnet.files.overwrites import check_onnx_destination
from glassnet.onnx.graph import ELEM, Graph, TensorProto, helper, info, onnx
from glassnet.onnx.outputs import label_classes, output_nodes

OPS = {"logistic": "Sigmoid", "tanh": "Tanh", "relu": "Relu", "identity": None}


def build_onnx(
    model: Model,
    opset: int = 17,
    dtype: Any = None,
    labels: bool = True,
    input_dtype: Any = "float64",
) -> onnx.ModelProto:
    """The ONNX graph of ``model`` (checked with :func:`onnx.checker.check_model`).

    Parameters
    ----------
    model : Model
        A glassnet model (``glassnet.load(path)``, or ``estimator.to_model()``).
    opset : int
        The ONNX opset of the default domain; from 13 to the newest the installed onnx
        knows (``onnx.defs.onnx_opset_version()``), else ValueError.
    dtype : None, "float32" or "float64"
        The network's computation type; default the parameters' dtype.
    labels : bool
        Add the ``label`` output for a classifier (a regressor has none).
    input_dtype : "float64" or "float32"
        The type of the input ``X``; the scaling is computed in float64 either way.
    """
    dt, di = np.dtype(dtype or model.params[0]["W"].dtype), np.dtype(input_dtype)
    _check_exportable(model, opset, dt, di)
    g = Graph(dt, model.members, opset)
    A = _layers(g, model, _inputs(g, model, di))
    graph = helper.make_graph(
        g.nodes, "glassnet_mlp", [info("X", di, model.net.sizes[0])],
        output_nodes(g, model, A, labels), g.inits,
    )  # fmt: skip
    opsets = [helper.make_opsetid("", opset)]
    proto = helper.make_model(graph, opset_imports=opsets, producer_name="glassnet")
    proto.ir_version = helper.find_min_ir_version_for(opsets)
    proto.producer_version = __version__
    net, acts = model.net, [a.name for a in model.net.activations]
    proto.doc_string = f"glassnet MLP {net.sizes}, hidden {acts}, output {net.head.name}"
    helper.set_model_props(proto, {**metadata(model), "input_dtype": di.name})
    onnx.checker.check_model(proto, full_check=True)
    return proto


def _check_exportable(model: Model, opset: int, dt: np.dtype[Any], di: np.dtype[Any]) -> None:
    """Raise ``ValueError`` for an opset outside 13 to the newest the installed onnx knows,
    a dtype other than float32 or float64, or a model whose table encoding the graph would
    not include."""
    newest = onnx.defs.onnx_opset_version()
    if not 13 <= opset <= newest:
        raise ValueError(f"opset must be from 13 to {newest} (the newest the installed onnx "
                         f"knows), got {opset}")  # fmt: skip
    for name, value in (("dtype", dt), ("input_dtype", di)):
        if value not in ELEM:
            raise ValueError(f"{name} must be float32 or float64, got {value}")
    if model.encoding is not None and not _plain(model.encoding):
        raise ValueError(
            "this model encodes table columns (categories or missing values) before its "
            "network; ONNX export does not include that encoding yet, so it is refused"
        )


def _layers(g: Graph, model: Model, A: str) -> str:
    """Every dense layer ``Z_l = A_{l-1} W_l + b_l`` and hidden activation; the logits."""
    acts = [a.name for a in model.net.activations]
    for i, p in enumerate(model.params):
        Z = g.op("MatMul", [A, g.const(f"W{i}", p["W"])], f"XW{i}")
        b = p["b"][0] if p["b"].ndim == 2 else p["b"]  # (n_out,), or (K, 1, n_out)
        Z = g.op("Add", [Z, g.const(f"b{i}", b)], f"Z{i}")
        op = OPS[acts[i]] if i < len(acts) else None
        A = g.op(op, [Z], f"A{i}") if op else Z
    return A


def _inputs(g: Graph, model: Model, input_dtype: np.dtype[Any]) -> str:
    """``X`` standardized in float64 (``Cast`` up first from a float32 input), then cast to
    the computation dtype: the network's input."""
    A, current = "X", input_dtype
    if model.scaler is not None:
        if current != np.float64:
            A, current = g.op("Cast", [A], "X64", to=TensorProto.DOUBLE), np.dtype(np.float64)
        A = g.op("Sub", [A, g.const("scaler_mean", model.scaler.mean, np.float64)], "centered")
        A = g.op("Div", [A, g.const("scaler_scale", model.scaler.scale, np.float64)],
                 "standardized")  # fmt: skip
    if current != g.dtype:
        A = g.op("Cast", [A], "network_input", to=ELEM[g.dtype])
    return A


def metadata(model: Model) -> dict[str, str]:
    """The ONNX metadata of ``model``: feature names and order, classes (as the ``label``
    output holds them: :func:`~glassnet.onnx.outputs.label_classes`) or a regressor's
    target names, task, version."""
    names = list(model.feature_names) or [f"x{j}" for j in range(model.net.sizes[0])]
    props = {
        "feature_names": json.dumps(names),
        "n_features": str(model.net.sizes[0]),
        "task": "regression" if model.classes is None else "classification",
        "standardized": "true" if model.scaler is not None else "false",
        "glassnet_version": __version__,
    }
    if model.classes is not None:
        props["classes"] = json.dumps(label_classes(model.classes)[0].tolist())
    else:
        props["target_names"] = json.dumps(target_names(model))
    return props


def target_names(model: Model) -> list[str]:
    """A regressor's target columns, in the order of ``predictions``' columns: the names
    the model file stores (``settings["targets"]``: ``glassnet train --target``'s, or the
    columns of an estimator's pandas ``y``), else ``y0, y1, ...``."""
    k = model.net.sizes[-1]
    stored = model.settings.get("targets")
    if isinstance(stored, list) and len(stored) == k:
        return [str(name) for name in stored]
    return [f"y{j}" for j in range(k)]


def _plain(encoding: Any) -> bool:
    """Every column numeric with no was-missing indicator: the encoding is the identity."""
    return all(c.kind == "numeric" and not c.indicator for c in encoding.columns)


def export_onnx(
    model: Model | Any,
    path: str | os.PathLike[str],
    opset: int = 17,
    dtype: Any = None,
    labels: bool = True,
    input_dtype: Any = "float64",
) -> Path:
    """Write ``model`` (a :class:`Model` or a fitted glassnet estimator) as ONNX, atomically
    (arguments as for :func:`build_onnx`); over an existing file only when it is an ONNX
    model (else :class:`~glassnet.files.overwrites.FileOfAnotherKind`, a
    ``FileExistsError`` naming what it is)."""
    check_onnx_destination(path)
    if not isinstance(model, Model):
        model = model.to_model()
    proto = build_onnx(model, opset, dtype, labels, input_dtype)
    return write_bytes(path, proto.SerializeToString())
