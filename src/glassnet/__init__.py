"""glassnet: a see-through multilayer perceptron built on NumPy.

The numerical core (layers, losses, network, optimizers, gradient checking) needs only
NumPy; figures import matplotlib when they are drawn. Public names are imported from
their submodules on first use, so ``import glassnet`` imports neither NumPy's heavier
parts nor scikit-learn or onnx (the estimators, ``load`` and ``export_onnx`` need them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from glassnet import _moved
from glassnet._version import __version__

_moved.install()

if TYPE_CHECKING:
    from glassnet.core.activations import Identity, Logistic, ReLU, Tanh, get_activation
    from glassnet.core.gradcheck import (
        GradientCheckError,
        GradientReport,
        check_gradients,
        check_network,
    )
    from glassnet.core.layers import Dense
    from glassnet.core.losses import (
        IdentitySquaredError,
        LogisticBinaryCrossEntropy,
        SoftmaxCrossEntropy,
        get_head,
    )
    from glassnet.core.network import Network
    from glassnet.core.optimizers import SGD, Adam, Momentum, Nesterov, apply_updates, get_optimizer
    from glassnet.data.datasets import make_circles, one_hot
    from glassnet.files.modelfile import Model, save_model
    from glassnet.files.modelfile import load_model as load
    from glassnet.onnx.export import export_onnx
    from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor
    from glassnet.train.loop import TrainConfig, fit

# Each public name and the submodule that defines it. The submodules (and NumPy) are
# imported on first use (PEP 562), so ``import glassnet`` and ``glassnet --help`` start
# in milliseconds.
_WHERE = {
    **dict.fromkeys(["Identity", "Logistic", "ReLU", "Tanh", "get_activation"], "core.activations"),
    **dict.fromkeys(["make_circles", "one_hot"], "data.datasets"),
    **dict.fromkeys(
        ["GradientCheckError", "GradientReport", "check_gradients", "check_network"],
        "core.gradcheck",
    ),
    "Dense": "core.layers",
    **dict.fromkeys(
        ["IdentitySquaredError", "LogisticBinaryCrossEntropy", "SoftmaxCrossEntropy", "get_head"],
        "core.losses",
    ),
    "Network": "core.network",
    **dict.fromkeys(
        ["SGD", "Adam", "Momentum", "Nesterov", "apply_updates", "get_optimizer"], "core.optimizers"
    ),
    **dict.fromkeys(["TrainConfig", "fit"], "train.loop"),
    **dict.fromkeys(["Model", "save_model"], "files.modelfile"),
    **dict.fromkeys(["MLPClassifier", "MLPRegressor"], "sklearn.estimators"),
    "export_onnx": "onnx.export",
}
_ALIASES = {"load": ("files.modelfile", "load_model")}  # public name -> (submodule, its name there)
_SUBPACKAGES = ("cli", "core", "data", "files", "onnx", "playground", "sklearn", "train", "views")


def __getattr__(name: str) -> Any:
    if name in _WHERE or name in _ALIASES:
        module, attr = _ALIASES.get(name, (_WHERE.get(name, ""), name))
        value = getattr(importlib.import_module(f"glassnet.{module}"), attr)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'glassnet' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names (each once, loaded or not), the subpackages and the dunders."""
    loaded = [n for n in globals() if n.startswith("__") or n in _SUBPACKAGES]
    return sorted({*loaded, *__all__, "__version__"})


__all__ = [
    "SGD",
    "Adam",
    "Dense",
    "GradientCheckError",
    "GradientReport",
    "Identity",
    "IdentitySquaredError",
    "Logistic",
    "LogisticBinaryCrossEntropy",
    "MLPClassifier",
    "MLPRegressor",
    "Model",
    "Momentum",
    "Nesterov",
    "Network",
    "ReLU",
    "SoftmaxCrossEntropy",
    "Tanh",
    "TrainConfig",
    "__version__",
    "apply_updates",
    "check_gradients",
    "check_network",
    "export_onnx",
    "fit",
    "get_activation",
    "get_head",
    "get_optimizer",
    "load",
    "make_circles",
    "one_hot",
    "save_model",
]
