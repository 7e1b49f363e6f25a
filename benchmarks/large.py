"""The large problem: one epoch of 784-512-512-10 ReLU on 60,000 x 784 random inputs.

Softmax cross-entropy (mean over the batch), minibatches of 256 in a fresh random order,
SGD with classical momentum (``mu = 0.01``, ``lambda = 0.9``). Work is counted as the
matrix multiplies backpropagation needs: forward ``2 N n_in n_out`` per layer, backward
twice that, less the first layer's input gradient, which nobody computes.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from common import cores, interleaved, median, torch_or_none

import glassnet as gn
from glassnet.core import fast

SIZES = [784, 512, 512, 10]
BATCH, LEARNING_RATE, MOMENTUM = 256, 0.01, 0.9


def flops_per_sample(sizes: list[int] = SIZES) -> int:
    forward = sum(2 * n_in * n_out for n_in, n_out in zip(sizes, sizes[1:], strict=False))
    return 3 * forward - 2 * sizes[0] * sizes[1]


def data(n: int, dtype: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, SIZES[0]), dtype=np.float64).astype(dtype)
    y = rng.integers(0, SIZES[-1], n)
    return X, y, np.eye(SIZES[-1], dtype=dtype)[y]


def ceiling(n: int, dtype: Any = np.float32) -> Any:
    """The same matrix multiplies as one epoch, alone: NumPy at the layer shapes, into buffers."""
    rng = np.random.default_rng(1)
    Ws = [rng.standard_normal((i, o)).astype(dtype) for i, o in zip(SIZES, SIZES[1:], strict=False)]
    As = [rng.standard_normal((BATCH, s)).astype(dtype) for s in SIZES]
    Gs = [np.empty_like(W) for W in Ws]

    def run() -> None:
        for start in range(0, n, BATCH):
            m = min(BATCH, n - start)  # the epoch's batch sizes, the last one short
            for i, W in enumerate(Ws):
                np.matmul(As[i][:m], W, out=As[i + 1][:m])  # forward
            for i in range(len(Ws) - 1, -1, -1):
                np.matmul(As[i][:m].T, As[i + 1][:m], out=Gs[i])  # dW = A^T E
                if i > 0:
                    np.matmul(As[i + 1][:m], Ws[i].T, out=As[i][:m])  # dA = E W^T

    return run


def glassnet_epoch(X: np.ndarray, T: np.ndarray) -> Any:
    net = gn.Network.mlp(SIZES, "relu", "softmax", "mean")
    opt = gn.Momentum(LEARNING_RATE, MOMENTUM)
    params = net.init(np.random.default_rng(2), X.dtype)

    def run() -> float:
        ws = fast.Workspace(net, BATCH, X.dtype)
        p, state, order = params, opt.init(params), np.random.default_rng(3).permutation(len(X))
        Tb = np.empty((BATCH, T.shape[1]), T.dtype)
        loss = 0.0
        for start in range(0, len(X), BATCH):
            idx = order[start : start + BATCH]
            n = len(idx)
            Xb = ws.inputs(n)  # the batch is gathered straight into the workspace
            np.take(X, idx, axis=0, out=Xb)
            np.take(T, idx, axis=0, out=Tb[:n])
            loss, p, state = fast.step(net, p, opt, state, Xb, Tb[:n], ws)
        return loss

    return run


def sklearn_epoch(X: np.ndarray, y: np.ndarray) -> Any:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    def run() -> object:
        clf = MLPClassifier(
            hidden_layer_sizes=tuple(SIZES[1:-1]), activation="relu", solver="sgd", alpha=0.0,
            batch_size=BATCH, learning_rate="constant", learning_rate_init=LEARNING_RATE,
            momentum=MOMENTUM, nesterovs_momentum=False, max_iter=1, shuffle=True,
            random_state=0,
        )  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y)
        return clf

    return run


def torch_epoch(X: np.ndarray, y: np.ndarray) -> Any:
    torch: Any = torch_or_none()
    if torch is None:
        return None
    nn = torch.nn
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def run() -> float:
        torch.manual_seed(0)
        layers: list[Any] = []
        for n_in, n_out in zip(SIZES, SIZES[1:], strict=False):
            layers += [nn.Linear(n_in, n_out), nn.ReLU()]
        model = nn.Sequential(*layers[:-1]).to(Xt.dtype)
        opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
        order, loss = torch.randperm(len(Xt)), None
        for start in range(0, len(Xt), BATCH):
            idx = order[start : start + BATCH]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        return float(loss.item()) if loss is not None else 0.0

    return run


def run(repeats: int, n_samples: int) -> dict[str, Any]:
    """Samples/s, GFLOP/s and ratios for float32 and float64, with the float32 ceiling."""
    flops = flops_per_sample() * n_samples
    out: dict[str, Any] = {"n_samples": n_samples, "batch": BATCH, "repeats": repeats,
                           "cores": cores(), "gflop_per_epoch": flops / 1e9}  # fmt: skip
    for dtype in (np.float32, np.float64):
        X, y, T = data(n_samples, dtype)
        runs: dict[str, Any] = {
            "glassnet": glassnet_epoch(X, T),
            "scikit-learn": sklearn_epoch(X, y),
        }
        torch_run = torch_epoch(X, y)
        if torch_run is not None:
            runs["pytorch"] = torch_run
        if dtype is np.float32:
            runs["matmul ceiling"] = ceiling(n_samples)
        raw = interleaved(runs, repeats)
        times = {name: median(t) for name, t in raw.items()}
        best = {name: min(t) for name, t in raw.items()}
        name = np.dtype(dtype).name
        res: dict[str, Any] = {
            "seconds": times,
            "samples_per_s": {k: n_samples / t for k, t in times.items()},
            "gflop_per_s": {k: flops / t / 1e9 for k, t in times.items()},
            "speedup_vs_peer": {k: t / times["glassnet"] for k, t in times.items()},
        }
        res["best_seconds"] = best  # the fastest repeat: least disturbed by other load
        res["speedup_vs_peer_best"] = {k: t / best["glassnet"] for k, t in best.items()}
        if "matmul ceiling" in times:
            res["fraction_of_ceiling"] = times["matmul ceiling"] / times["glassnet"]
            res["fraction_of_ceiling_best"] = best["matmul ceiling"] / best["glassnet"]
        out[name] = res
    return out
