"""The tutorial's run, reproduced number for number.

Everything random comes from one legacy ``numpy.random.RandomState(1)`` stream, in the
tutorial's order (the only place glassnet uses the legacy generator):

1. the circles data: 100 samples, ``factor=0.3``, ``noise=0.1``, not shuffled;
2. the gradient-check parameters, ``randn * 1`` drawn as ``b_h (1,3)``, ``W_h (2,3)``,
   ``b_o (1,2)``, ``W_o (3,2)``;
3. the training parameters, ``randn * 0.1`` in the same order.

Training: 2-3-2 network, logistic hidden layer, softmax output, summed cross-entropy,
momentum ``lambda = 0.9``, learning rate ``mu = 0.02``, 300 full-batch iterations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from glassnet.core._types import Array, ParamList
from glassnet.core.gradcheck import GradientReport, check_network
from glassnet.core.network import Network
from glassnet.core.optimizers import Momentum, apply_updates
from glassnet.data.datasets import make_circles, one_hot


@dataclass(frozen=True)
class TutorialConfig:
    """The tutorial's settings; change them to experiment, keep them to reproduce."""

    seed: int = 1
    n_samples: int = 100
    factor: float = 0.3
    noise: float = 0.1
    hidden_units: int = 3
    check_init_scale: float = 1.0
    init_scale: float = 0.1
    learning_rate: float = 0.02
    momentum: float = 0.9
    iterations: int = 300


@dataclass
class TutorialRun:
    """What the tutorial computes: data, gradient check, training trace, trained parameters."""

    config: TutorialConfig
    net: Network
    X: NDArray[np.float64]  # (N, 2)
    t: NDArray[np.intp]  # (N,) class labels, 0 = red stars, 1 = blue circles
    T: NDArray[np.float64]  # (N, 2) one-hot targets
    gradient_report: GradientReport
    initial_params: ParamList
    params: ParamList
    loss_history: list[float] = field(default_factory=list)  # before training + after each update
    misclassified_history: list[int] = field(default_factory=list)  # same points in time

    @property
    def initial_loss(self) -> float:
        return self.loss_history[0]

    @property
    def final_loss(self) -> float:
        return self.loss_history[-1]

    @property
    def misclassified(self) -> int:
        return self.misclassified_history[-1]

    @property
    def accuracy(self) -> float:
        return 1.0 - self.misclassified / len(self.t)

    @property
    def first_perfect_iteration(self) -> int | None:
        """First iteration after which every sample is classified correctly (0: at the start)."""
        for i, wrong in enumerate(self.misclassified_history):
            if wrong == 0:
                return i
        return None

    def summary(self) -> str:
        first = self.first_perfect_iteration
        return (
            f"initial loss {self.initial_loss:.4f}, final loss {self.final_loss:.4f}, "
            f"accuracy {self.accuracy:.2%} ({self.misclassified} misclassified), "
            f"all samples correct from iteration {first if first is not None else 'never'}"
        )


def draw_params(rs: np.random.RandomState, sizes: list[int], scale: float) -> ParamList:
    """``randn * scale`` per layer, bias first then weights, as the tutorial draws them."""
    params = []
    for n_in, n_out in zip(sizes, sizes[1:], strict=False):
        b = rs.randn(1, n_out) * scale
        W = rs.randn(n_in, n_out) * scale
        params.append({"W": W, "b": b})
    return params


TutorialData = tuple[
    np.random.RandomState, NDArray[np.float64], NDArray[np.intp], NDArray[np.float64], Network
]


def tutorial_data(
    cfg: TutorialConfig,
) -> TutorialData:
    """The stream (after the data was drawn from it), ``X``, ``t``, ``T`` and the network."""
    rs = np.random.RandomState(cfg.seed)
    X, t = make_circles(rs, cfg.n_samples, cfg.factor, cfg.noise, shuffle=False)
    T = one_hot(t, 2)
    net = Network.mlp([2, cfg.hidden_units, 2], "logistic", "softmax", "sum")
    return rs, X, t, T, net


IterationCallback = Callable[[int, float, int], None]


class Step(NamedTuple):
    """What one training step has in hand: parameters, their gradients, the hidden
    activations ``A_l (N, H_l)`` and the loss, all at iteration ``i``."""

    i: int
    params: ParamList
    grads: ParamList
    hidden: list[Array]
    loss: float


def _hidden_and_predictions(net: Network, params: ParamList, X: Array) -> tuple[list[Array], Array]:
    """One forward pass giving the hidden activations and the class predictions."""
    A, hidden = X, []
    for layer, act, p in zip(net.layers, net.activations, params, strict=False):
        A = act.forward(layer.forward(p, A)[0])  # (N, H_l)
        hidden.append(A)
    Zo, _ = net.layers[-1].forward(params[-1], A)  # (N, C)
    return hidden, np.argmax(net.head.output(Zo), axis=1)


def run_tutorial(
    config: TutorialConfig | None = None,
    on_iteration: IterationCallback | None = None,
    on_start: Callable[[TutorialRun], None] | None = None,
    on_step: Callable[[Step], None] | None = None,
) -> TutorialRun:
    """Run the whole tutorial.

    ``on_start(run)`` is called once the data is drawn and the gradients checked, before
    training; ``on_iteration(i, loss, misclassified)`` sees every step (i = 0 before the
    first update, i = k after the k-th). ``on_step(step)``, when given, sees each
    :class:`Step` too (for diagnostics and snapshots); the hidden activations then come
    from the forward pass that counts the misclassified samples, so they cost nothing extra.
    """
    cfg = config or TutorialConfig()
    rs, X, t, T, net = tutorial_data(cfg)
    sizes = net.sizes

    check_params = draw_params(rs, sizes, cfg.check_init_scale)
    report = check_network(net, check_params, X, T)

    params = draw_params(rs, sizes, cfg.init_scale)
    run = TutorialRun(cfg, net, X, t, T, report, params, params)
    if on_start is not None:
        on_start(run)
    optimizer = Momentum(cfg.learning_rate, cfg.momentum)
    state = optimizer.init(params)
    for i in range(cfg.iterations + 1):
        # The loss at the current parameters; the last pass only measures.
        loss, grads = net.loss_and_grad(params, X, T)
        if on_step is None:
            wrong = int(np.sum(net.predict(params, X) != t))
        else:
            hidden, predicted = _hidden_and_predictions(net, params, X)
            wrong = int(np.sum(predicted != t))
            on_step(Step(i, params, grads, hidden, loss))
        run.loss_history.append(loss)
        run.misclassified_history.append(wrong)
        if on_iteration is not None:
            on_iteration(i, loss, wrong)
        if i == cfg.iterations:
            break
        updates, state = optimizer.update(grads, state, params)
        params = apply_updates(params, updates)
    run.params = params
    return run
