"""The tutorial problem: 100 circles samples, 2-3-2 logistic/softmax, 300 momentum steps.

Every contender does the same work in float64: 300 full-batch iterations of classical
momentum (``lambda = 0.9``, ``mu = 0.02`` on the summed cross-entropy) from the same
starting parameters, recording the loss of each iteration.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import tutorial_code
from common import interleaved, median, torch_or_none

import glassnet as gn
from glassnet.core import fast
from glassnet.train.tutorial import TutorialConfig, draw_params, tutorial_data

ITERATIONS, LEARNING_RATE, MOMENTUM = 300, 0.02, 0.9


def _problem() -> tuple[np.ndarray, np.ndarray, np.ndarray, gn.Network, list]:
    cfg = TutorialConfig()
    rs, X, t, T, net = tutorial_data(cfg)
    draw_params(rs, net.sizes, cfg.check_init_scale)  # the tutorial's gradient-check draw
    return X, t, T, net, draw_params(rs, net.sizes, cfg.init_scale)


def contenders(iterations: int = ITERATIONS) -> dict[str, Any]:
    X, t, T, net, params = _problem()
    opt = gn.Momentum(LEARNING_RATE, MOMENTUM)
    flat = [params[0]["W"], params[0]["b"], params[1]["W"], params[1]["b"]]

    def glassnet_fast() -> object:
        ws = fast.Workspace(net, X.shape[0], X.dtype)
        return fast.train_steps(net, params, opt, opt.init(params), X, T, iterations, ws)

    def glassnet_pure() -> object:
        p, state, losses = params, opt.init(params), []
        for _ in range(iterations):
            loss, grads = net.loss_and_grad(p, X, T)
            updates, state = opt.update(grads, state, p)
            p = gn.apply_updates(p, updates)
            losses.append(loss)
        return p

    def tutorial() -> object:
        return tutorial_code.train(X, T, flat, iterations, LEARNING_RATE, MOMENTUM)

    runs = {"glassnet": glassnet_fast, "glassnet (pure path)": glassnet_pure}
    runs["tutorial code"] = tutorial
    runs["scikit-learn"] = _sklearn(X, T, params, iterations)
    torch_run = _torch(X, T, params, iterations)
    if torch_run is not None:
        runs["pytorch"] = torch_run
    return runs


def _sklearn(X: np.ndarray, T: np.ndarray, params: list, iterations: int) -> Any:
    """``MLPClassifier`` on the one-hot targets: 2-3-2, logistic units, same start and step.

    Its loss is the *mean* cross-entropy, so the learning rate is ``mu * N``. With
    one-hot targets it trains two logistic output units (its softmax needs three or
    more classes); the work per iteration is the same size.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    def run() -> object:
        clf = MLPClassifier(
            hidden_layer_sizes=(3,), activation="logistic", solver="sgd", alpha=0.0,
            batch_size=X.shape[0], learning_rate="constant",
            learning_rate_init=LEARNING_RATE * X.shape[0], momentum=MOMENTUM,
            nesterovs_momentum=False, max_iter=iterations, shuffle=False, tol=0.0,
            n_iter_no_change=iterations + 1, random_state=0,
        )  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, T)
        assert clf.n_iter_ == iterations, clf.n_iter_
        return clf

    return run


def _torch(X: np.ndarray, T: np.ndarray, params: list, iterations: int) -> Any:
    torch = torch_or_none()
    if torch is None:
        return None
    nn: Any = torch.nn  # type: ignore[attr-defined]
    Xt, yt = torch.from_numpy(X), torch.from_numpy(T.argmax(axis=1))  # type: ignore[attr-defined]

    def run() -> object:
        model = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 2)).double()
        with torch.no_grad():  # type: ignore[attr-defined]
            for layer, p in zip((model[0], model[2]), params, strict=True):
                layer.weight.copy_(torch.from_numpy(p["W"].T))  # type: ignore[attr-defined]
                layer.bias.copy_(torch.from_numpy(p["b"][0]))  # type: ignore[attr-defined]
        # torch's v <- lambda v + g; p <- p - mu v is the tutorial's momentum with M = -mu v.
        opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)  # type: ignore[attr-defined]
        loss_fn, losses = nn.CrossEntropyLoss(reduction="sum"), []
        for _ in range(iterations):
            opt.zero_grad()
            loss = loss_fn(model(Xt), yt)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses

    return run


def run(repeats: int, iterations: int = ITERATIONS) -> dict[str, Any]:
    """Median microseconds per iteration of every contender, and its ratio to glassnet's."""
    times = interleaved(contenders(iterations), repeats)
    us = {name: median(t) / iterations * 1e6 for name, t in times.items()}
    best = {name: min(t) / iterations * 1e6 for name, t in times.items()}
    return {
        "iterations": iterations,
        "repeats": repeats,
        "us_per_iteration": us,
        "slowdown_vs_glassnet": {name: value / us["glassnet"] for name, value in us.items()},
        "best_us_per_iteration": best,  # the fastest repeat: least disturbed by other load
        "slowdown_vs_glassnet_best": {k: v / best["glassnet"] for k, v in best.items()},
    }
