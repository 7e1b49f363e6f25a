"""The loss while one layer's parameters move: the forward pass from that layer on.

A gradient check perturbs one element at a time. Moving an element of layer ``l`` leaves
the inputs of layers ``0..l`` unchanged, so each perturbed loss needs only the forward pass
of layers ``l, l+1, ...`` from ``A_{l-1}`` (the input of layer ``l``, computed once at the
unperturbed parameters): the same functions (:meth:`Dense.forward`, the activations, the
head's loss) on the same numbers, so the loss is the one the whole forward pass gives. For
the last layer of a 784-512-512-10 network that is 1/130 of the whole pass.
"""

from __future__ import annotations

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network


class LayerLoss:
    """``loss()`` of ``net`` at ``params`` (perturbed in place by the caller) when only the
    parameters of layer ``layer`` (0-based) differ from those ``A_in`` was computed with.

    ``A_in (N, n_in)``: the input of layer ``layer`` at the unperturbed parameters; ``T (N, C)``
    the targets. With ``relu``, :meth:`pattern` is the on/off pattern ``A > 0`` of the ReLU
    units of layers ``layer`` and above (those below cannot change). A call of
    :meth:`pattern` right after :meth:`loss` reuses that forward pass (the order
    :func:`glassnet.core.finite_differences.numerical_gradient` calls them in); any other
    call runs its own. ``passes`` counts the forward passes run.
    """

    def __init__(
        self, net: Network, params: ParamList, A_in: Array, layer: int, T: Array, relu: bool
    ) -> None:
        self.net, self.params, self.A_in, self.layer, self.T = net, params, A_in, layer, T
        self.relu = relu
        self.passes = 0
        self._pattern: bytes | None = None  # the pattern of the last loss() call, unused yet

    def _forward(self) -> tuple[Array, bytes]:
        """The logits ``Z_o (N, C)`` and the ReLU pattern, from layer ``layer`` on."""
        net, A, patterns = self.net, self.A_in, []
        self.passes += 1
        for k in range(self.layer, len(net.layers) - 1):
            A = net.activations[k].forward(net.layers[k].forward(self.params[k], A)[0])
            if self.relu and net.activations[k].name == "relu":
                patterns.append(np.packbits(A > 0).tobytes())
        Zo = net.layers[-1].forward(self.params[-1], A)[0]
        return Zo, b"".join(patterns)

    def loss(self) -> float:
        Zo, self._pattern = self._forward()
        return float(self.net.head.loss(Zo, self.T, None))

    def pattern(self) -> bytes:
        found, self._pattern = self._pattern, None
        return found if found is not None else self._forward()[1]


__all__ = ["LayerLoss"]
