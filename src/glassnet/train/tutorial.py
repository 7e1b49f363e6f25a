"""The tutorial's run, reproduced number for number.

Everything random comes from one legacy ``numpy.random.RandomState(1)`` stream, in the
tutorial's order (the only place glassnet uses the legacy generator):

1. the circles data: 100 samples, ``factor=0.3``, ``noise=0.1``, not shuffled;
2. the gradient-check parameters, ``randn * 1`` drawn as ``b_h (1,3)``, ``W_h (2,3)``,
   ``b_o (1,2)``, ``W_o (3,2)``;
3. the training parameters, ``randn * 0.1`` in the same order.

Training: 2-3-2 network, logistic hidden layer, softmax output, summed cross-entropy,
momentum ``lambda = 0.9``, learning rate ``mu = 0.02``, 300 full-batch iterations, run by
the library's training loop like any other run.
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
from glassnet.core.optimizers import Momentum
from glassnet.data.datasets import make_circles, one_hot
from glassnet.train.session import Training
from glassnet.train.state import LoopState, TrainConfig


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
    """What the run looks like at iteration ``i`` (after ``i`` updates): parameters, their
    gradients, the hidden activations ``A_l (N, H_l)`` and the loss."""

    i: int
    params: ParamList
    grads: ParamList
    hidden: list[Array]
    loss: float


def run_tutorial(
    config: TutorialConfig | None = None,
    on_iteration: IterationCallback | None = None,
    on_start: Callable[[TutorialRun], None] | None = None,
    on_step: Callable[[Step], None] | None = None,
    on_epoch_end: Callable[[LoopState], None] | None = None,
) -> TutorialRun:
    """Run the whole tutorial: data, gradient check, then training through the one loop
    (:class:`glassnet.train.loop.Training`: full batch, momentum, summed cross-entropy).

    ``on_start(run)`` is called once the data is drawn and the gradients checked, before
    training; ``on_iteration(i, loss, misclassified)`` sees every iteration (i = 0 before
    the first update, i = k after the k-th). ``on_step(step)``, when given, sees each
    :class:`Step` too (for diagnostics and snapshots), measured with the seam
    :meth:`Network.loss_and_grad` at the parameters the loop reached. ``on_epoch_end(state)``
    sees the loop's state before training (epoch 0) and after every update (each epoch is one
    full-batch iteration), as :func:`glassnet.train.loop.fit` shows it (for
    :class:`~glassnet.train.snapshots.Snapshots`).
    """
    cfg = config or TutorialConfig()
    rs, X, t, T, net = tutorial_data(cfg)
    check_params = draw_params(rs, net.sizes, cfg.check_init_scale)
    report = check_network(net, check_params, X, T)
    params = draw_params(rs, net.sizes, cfg.init_scale)
    run = TutorialRun(cfg, net, X, t, T, report, params, params)
    if on_start is not None:
        on_start(run)
    training = Training(net, params, X, t, TrainConfig(
        epochs=cfg.iterations, batch_size=None, optimizer=Momentum(cfg.learning_rate, cfg.momentum),
        train_metrics=False,
    ))  # fmt: skip
    for i in range(cfg.iterations + 1):
        if i > 0:
            training.step()  # one full-batch momentum update
        if on_epoch_end is not None:
            on_epoch_end(training.state)
        params = training.state.params
        loss, wrong = _observe(run, params, i, on_step)
        run.loss_history.append(loss)
        run.misclassified_history.append(wrong)
        if on_iteration is not None:
            on_iteration(i, loss, wrong)
    run.params = params
    return run


def _observe(
    run: TutorialRun, params: ParamList, i: int, on_step: Callable[[Step], None] | None
) -> tuple[float, int]:
    """The loss and the misclassified count at ``params``; the :class:`Step` to ``on_step``."""
    net = run.net
    wrong = int(np.sum(net.predict(params, run.X) != run.t))
    if on_step is None:
        return net.loss(params, run.X, run.T), wrong
    loss, grads = net.loss_and_grad(params, run.X, run.T)
    on_step(Step(i, params, grads, net.hidden_activations(params, run.X), loss))
    return loss, wrong
