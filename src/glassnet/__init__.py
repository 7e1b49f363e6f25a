"""glassnet: a see-through multilayer perceptron built on NumPy.

The numerical core (layers, losses, network, optimizers, gradient checking) needs only
NumPy; figures import matplotlib when they are drawn. Public names are imported from
their submodules on first use, so ``import glassnet`` imports neither NumPy's heavier
parts nor scikit-learn or onnx (the estimators, ``load`` and ``export_onnx`` need them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glassnet.activations import Identity, Logistic, ReLU, Tanh, get_activation
    from glassnet.datasets import make_circles, one_hot
    from glassnet.estimators import MLPClassifier, MLPRegressor
    from glassnet.gradcheck import (
        GradientCheckError,
        GradientReport,
        check_gradients,
        check_network,
    )
    from glassnet.layers import Dense
    from glassnet.losses import (
        IdentitySquaredError,
        LogisticBinaryCrossEntropy,
        SoftmaxCrossEntropy,
        get_head,
    )
    from glassnet.modelfile import Model, save_model
    from glassnet.modelfile import load_model as load
    from glassnet.network import Network
    from glassnet.onnx_export import export_onnx
    from glassnet.optimizers import SGD, Adam, Momentum, Nesterov, apply_updates, get_optimizer
    from glassnet.training import TrainConfig, fit

# Each public name and the submodule that defines it. The submodules (and NumPy) are
# imported on first use (PEP 562), so ``import glassnet`` and ``glassnet --help`` start
# in milliseconds.
_WHERE = {
    **dict.fromkeys(["Identity", "Logistic", "ReLU", "Tanh", "get_activation"], "activations"),
    **dict.fromkeys(["make_circles", "one_hot"], "datasets"),
    **dict.fromkeys(
        ["GradientCheckError", "GradientReport", "check_gradients", "check_network"], "gradcheck"
    ),
    "Dense": "layers",
    **dict.fromkeys(
        ["IdentitySquaredError", "LogisticBinaryCrossEntropy", "SoftmaxCrossEntropy", "get_head"],
        "losses",
    ),
    "Network": "network",
    **dict.fromkeys(
        ["SGD", "Adam", "Momentum", "Nesterov", "apply_updates", "get_optimizer"], "optimizers"
    ),
    **dict.fromkeys(["TrainConfig", "fit"], "training"),
    **dict.fromkeys(["Model", "save_model"], "modelfile"),
    **dict.fromkeys(["MLPClassifier", "MLPRegressor"], "estimators"),
    "export_onnx": "onnx_export",
}
_ALIASES = {"load": ("modelfile", "load_model")}  # public name -> (submodule, its name there)


def __getattr__(name: str) -> Any:
    if name in _WHERE or name in _ALIASES:
        module, attr = _ALIASES.get(name, (_WHERE.get(name, ""), name))
        value = getattr(importlib.import_module(f"glassnet.{module}"), attr)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'glassnet' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE, *_ALIASES])


__version__ = "0.1.0"

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
