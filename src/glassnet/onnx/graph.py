"""Writing an ONNX graph node by node: the builder the export fills in.

:class:`Graph` collects nodes and initializers (constants) while the forward pass is
written out; :func:`info` declares a graph input or output. Importing this module imports
``onnx`` (``pip install 'glassnet[onnx]'``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.core._types import Array

try:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("ONNX export needs the onnx package: pip install 'glassnet[onnx]'") from exc

ELEM = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.float64): TensorProto.DOUBLE}


class Graph:
    """Nodes and initializers collected while the forward pass is written out."""

    def __init__(self, dtype: np.dtype[Any], members: int | None = None, opset: int = 17) -> None:
        self.dtype, self.members, self.opset = dtype, members, opset
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []

    def const(self, name: str, value: Array, dtype: Any = None) -> str:
        self.inits.append(
            numpy_helper.from_array(np.asarray(value, dtype=dtype or self.dtype), name)
        )
        return name

    def op(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=f"{op}_{output}", **attrs))
        return output

    def averaged(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        """``op``, then for an ensemble the mean over the members (axis 0)."""
        if self.members is None:
            return self.op(op, inputs, output, **attrs)
        each = self.op(op, inputs, f"{output}_members", **attrs)
        if self.opset >= 18:  # the axes became an input
            axes = self.const("member_axis", np.array([0]), np.int64)
            return self.op("ReduceMean", [each, axes], output, keepdims=0)
        return self.op("ReduceMean", [each], output, axes=[0], keepdims=0)


def info(name: str, dtype: np.dtype[Any] | int, width: int | None) -> onnx.ValueInfoProto:
    elem = ELEM[np.dtype(dtype)] if not isinstance(dtype, int) else dtype
    return helper.make_tensor_value_info(name, elem, ["N", width] if width else ["N"])
