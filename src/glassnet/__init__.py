"""glassnet: a see-through multilayer perceptron built on NumPy.

The numerical core (layers, losses, network, optimizers, gradient checking) needs only
NumPy; figures import matplotlib when they are drawn. The scikit-learn estimators
(``MLPClassifier``, ``MLPRegressor``), :func:`load` and :func:`export_onnx` are imported on
first use, so ``import glassnet`` imports neither scikit-learn nor onnx.
"""

from typing import Any

from glassnet.activations import Identity, Logistic, ReLU, Tanh, get_activation
from glassnet.datasets import make_circles, one_hot
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
from glassnet.network import Network
from glassnet.optimizers import SGD, Adam, Momentum, Nesterov, apply_updates, get_optimizer

__version__ = "0.1.0"

_LAZY = {
    "MLPClassifier": ("glassnet.estimators", "MLPClassifier"),
    "MLPRegressor": ("glassnet.estimators", "MLPRegressor"),
    "load": ("glassnet.modelfile", "load_model"),
    "export_onnx": ("glassnet.onnx_export", "export_onnx"),
}


def __getattr__(name: str) -> Any:
    """Import the scikit-learn estimators, ``load`` and ``export_onnx`` when first used."""
    if name not in _LAZY:
        raise AttributeError(f"module 'glassnet' has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    return getattr(importlib.import_module(module), attr)


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
    "Momentum",
    "Nesterov",
    "Network",
    "ReLU",
    "SoftmaxCrossEntropy",
    "Tanh",
    "__version__",
    "apply_updates",
    "check_gradients",
    "check_network",
    "get_activation",
    "get_head",
    "get_optimizer",
    "make_circles",
    "one_hot",
]
