"""glassnet: a see-through multilayer perceptron built on NumPy.

The numerical core (layers, losses, network, optimizers, gradient checking) needs only
NumPy; figures import matplotlib when they are drawn.
"""

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
