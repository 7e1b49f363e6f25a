"""The tutorial's code as written (part 4: vectorized backpropagation with momentum).

Re-implemented here, function for function, from the tutorial's equations so that the
benchmark has the baseline the issue names: fresh arrays everywhere, the loss of every
iteration computed by a second forward pass, exactly as the tutorial's training loop does.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def logistic(z: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z: Array) -> Array:
    return np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)


def hidden_activations(X: Array, Wh: Array, bh: Array) -> Array:
    return logistic((X @ Wh) + bh)


def output_activations(H: Array, Wo: Array, bo: Array) -> Array:
    return softmax((H @ Wo) + bo)


def nn(X: Array, Wh: Array, bh: Array, Wo: Array, bo: Array) -> Array:
    return output_activations(hidden_activations(X, Wh, bh), Wo, bo)


def loss(Y: Array, T: Array) -> float:
    return float(-(T * np.log(Y)).sum())


def error_output(Y: Array, T: Array) -> Array:
    return Y - T


def error_hidden(H: Array, Wo: Array, Eo: Array) -> Array:
    return np.multiply(np.multiply(H, (1 - H)), (Eo @ Wo.T))


def backprop_gradients(X: Array, T: Array, Wh: Array, bh: Array, Wo: Array, bo: Array) -> list:
    H = hidden_activations(X, Wh, bh)
    Y = output_activations(H, Wo, bo)
    Eo = error_output(Y, T)
    JWo = H.T @ Eo
    Jbo = np.sum(Eo, axis=0, keepdims=True)
    Eh = error_hidden(H, Wo, Eo)
    JWh = X.T @ Eh
    Jbh = np.sum(Eh, axis=0, keepdims=True)
    return [JWh, Jbh, JWo, Jbo]


def update_momentum(X, T, ls_of_params, Ms, momentum_term, learning_rate):  # noqa: ANN001, ANN201
    Js = backprop_gradients(X, T, *ls_of_params)
    return [momentum_term * M - learning_rate * J for M, J in zip(Ms, Js, strict=True)]


def update_params(ls_of_params: list, Ms: list) -> list:
    return [P + M for P, M in zip(ls_of_params, Ms, strict=True)]


def train(
    X: Array, T: Array, params: list, iterations: int, learning_rate: float, momentum_term: float
) -> tuple[list, list[float]]:
    """The tutorial's loop; ``params = [Wh, bh, Wo, bo]``. Returns them and the loss trace."""
    Wh, bh, Wo, bo = params
    Ms = [np.zeros_like(M) for M in [Wh, bh, Wo, bo]]
    ls_loss = [loss(nn(X, Wh, bh, Wo, bo), T)]
    for _ in range(iterations):
        Ms = update_momentum(X, T, [Wh, bh, Wo, bo], Ms, momentum_term, learning_rate)
        Wh, bh, Wo, bo = update_params([Wh, bh, Wo, bo], Ms)
        ls_loss.append(loss(nn(X, Wh, bh, Wo, bo), T))
    return [Wh, bh, Wo, bo], ls_loss
