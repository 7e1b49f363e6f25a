"""Type aliases shared by the modules: arrays, one layer's parameters, a network's."""

from typing import Any

from numpy.typing import NDArray

Array = NDArray[Any]
Params = dict[str, Array]  # one dense layer: {"W": (n_in, n_out), "b": (1, n_out)}
ParamList = list[Params]  # one dict per dense layer, first to last
