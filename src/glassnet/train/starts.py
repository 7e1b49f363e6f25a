"""The tutorial's claim, tested: plain gradient descent against momentum from many starts.

The tutorial says that gradient descent run "a couple of times from different starting
points ... will almost always converge to a sub-optimal solution", while momentum does
not. :func:`tutorial_starts` trains its 2-3-2 network on its circles data from ``n``
random starts (``randn * 0.1``, the tutorial's initial scale, each start from its own
Generator) with both optimizers at the tutorial's learning rate (0.02; momentum 0.9) for
its 300 full-batch iterations, all starts at once as one population per optimizer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.optimizers import SGD, Momentum, Optimizer
from glassnet.core.population import stack
from glassnet.train.population import Members, fit_population, score
from glassnet.train.state import TrainConfig
from glassnet.train.tutorial import TutorialConfig, tutorial_data


@dataclass
class StartsResult:
    """Per optimizer: each start's final summed cross-entropy ``(n,)`` and whether it
    classified every sample correctly ``(n,)``."""

    final_loss: dict[str, Array]
    all_correct: dict[str, Array]
    chance_loss: float  # N ln C: the summed loss of outputs that give every class 1/C

    def share_all_correct(self, name: str) -> float:
        return float(np.mean(self.all_correct[name]))

    def summary(self) -> dict[str, dict[str, float]]:
        """Share all correct and the loss quartiles, per optimizer (for ``metrics.json``)."""
        return {
            name: {
                "starts": int(len(losses)),
                "share_all_correct": self.share_all_correct(name),
                **{
                    f"final_loss_p{q}": float(np.percentile(losses, q))
                    for q in (10, 25, 50, 75, 90)
                },
            }
            for name, losses in self.final_loss.items()
        }

    def finding(self) -> str:
        """One sentence stating what the numbers show, whichever way they point."""
        gd, mom = self.share_all_correct("gradient descent"), self.share_all_correct("momentum")
        med = {k: float(np.median(v)) for k, v in self.final_loss.items()}
        n = len(self.final_loss["momentum"])
        chance = self.chance_loss
        if gd < 0.5 and mom > gd + 0.25:
            verdict = "support the tutorial's claim"
        elif mom > gd:
            verdict = "point the tutorial's way, but less strongly than its 'almost always'"
        else:
            verdict = "do not support the tutorial's claim"
        return (
            f"From {n} random starts, plain gradient descent classified every sample correctly "
            f"in {gd:.1%} of runs and momentum in {mom:.1%} (median final loss "
            f"{med['gradient descent']:.2f} against {med['momentum']:.2f}, where guessing "
            f"scores {chance:.2f}): these numbers {verdict}."
        )


def random_starts(net: Network, n: int, scale: float, seed: int = 0) -> ParamList:
    """``n`` starts drawn as the tutorial draws one (``randn * scale``, biases included);
    start ``k`` from ``np.random.default_rng([seed, k])``."""
    starts = []
    for k in range(n):
        rng = np.random.default_rng([seed, k])
        starts.append([
            {"W": rng.standard_normal((a, b)) * scale, "b": rng.standard_normal((1, b)) * scale}
            for a, b in zip(net.sizes, net.sizes[1:], strict=False)
        ])  # fmt: skip
    return stack(starts)


def tutorial_starts(n: int, config: TutorialConfig | None = None, seed: int = 0) -> StartsResult:
    """Train the tutorial network from ``n`` random starts with gradient descent and with
    momentum (same starts, the tutorial's rate and iterations); see the module docstring."""
    cfg = config or TutorialConfig()
    _, X, t, T, net = tutorial_data(cfg)
    starts = random_starts(net, n, cfg.init_scale, seed)
    optimizers: dict[str, Optimizer] = {
        "gradient descent": SGD(cfg.learning_rate),
        "momentum": Momentum(cfg.learning_rate, cfg.momentum),
    }
    final, correct = {}, {}
    for name, opt in optimizers.items():
        train = TrainConfig(
            epochs=cfg.iterations, batch_size=None, optimizer=opt, restore_best=False,
            train_metrics=False,
        )  # fmt: skip
        result = fit_population(net, X, t, Members(tuple(range(n))), train, params=starts)
        loss, accuracy = score(net, result.params, (X, T, t))
        final[name] = loss * len(X)  # the tutorial's summed cross-entropy
        assert accuracy is not None
        correct[name] = accuracy == 1.0
    return StartsResult(final, correct, len(X) * float(np.log(T.shape[1])))
