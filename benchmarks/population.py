"""Populations (issue 13): many networks trained at once against the same fits one by one.

    python benchmarks/population.py            # the full run (a few minutes on 2 cores)
    python benchmarks/population.py --quick    # a smoke test in seconds; its figures mean nothing

1. The tutorial network (2-3-2, 100 samples, 300 full-batch momentum steps, mu 0.02,
   lambda 0.9) from K = 1,000 starts: one population against K sequential ``fit`` calls,
   K sequential runs of the bare compiled loop (``fast.train_steps``) and K sequential
   scikit-learn ``MLPClassifier`` fits. The sequential contenders time a subset of the K
   fits and are scaled to K (printed as such); the population always trains all K.
2. The digits (64-64-10, Adam, minibatches of 32): 16 members as one population against
   16 ``fit`` calls one after another.
3. Memory: the traced peak of a population whose buffers (K x N x H) are large, trained
   in one group and in groups of a quarter of the members.

Every comparison runs its contenders in turn (interleaved repeats) and prints medians,
the best repeat, and the ratios; on a shared machine the figures are noisy.
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from common import interleaved, median, verdict  # noqa: E402

from glassnet.core import fast  # noqa: E402
from glassnet.core import population as pop  # noqa: E402
from glassnet.core.network import Network  # noqa: E402
from glassnet.core.optimizers import Adam, Momentum  # noqa: E402
from glassnet.data.datasets import load_digits  # noqa: E402
from glassnet.train.loop import TrainConfig, fit  # noqa: E402
from glassnet.train.population import Members, fit_population  # noqa: E402
from glassnet.train.starts import random_starts  # noqa: E402
from glassnet.train.tutorial import TutorialConfig, tutorial_data  # noqa: E402


def _scaled(run_one: Any, subset: int, K: int) -> Any:
    """Run ``subset`` of the K sequential fits; ``interleaved`` times it, we scale by K/subset."""

    def run() -> None:
        for k in range(subset):
            run_one(k)

    run.scale = K / subset  # type: ignore[attr-defined]
    return run


def tutorial_contenders(K: int, iterations: int, subset: int) -> dict[str, Any]:
    cfg = TutorialConfig()
    _, X, t, T, net = tutorial_data(cfg)
    starts = random_starts(net, K, cfg.init_scale)
    opt = Momentum(cfg.learning_rate, cfg.momentum)
    train = TrainConfig(epochs=iterations, batch_size=None, optimizer=opt, restore_best=False,
                        train_metrics=False)  # fmt: skip
    members = Members(tuple(range(K)))

    def population(axis: str) -> Any:
        return lambda: fit_population(net, X, t, members, train, params=starts, member_axis=axis)

    def one_fit(k: int) -> None:
        fit(net, pop.member(starts, k), X, t, train)

    def one_loop(k: int) -> None:
        p = pop.member(starts, k)
        fast.train_steps(net, p, opt, opt.init(p), X, T, iterations)

    return {
        "population (members innermost)": population("last"),
        "population (members first)": population("first"),
        "sequential fit": _scaled(one_fit, subset, K),
        "sequential fast.train_steps": _scaled(one_loop, subset, K),
        "sequential scikit-learn": _scaled(_sklearn_fit(X, T, starts, iterations), subset, K),
    }


def _sklearn_fit(X: np.ndarray, T: np.ndarray, starts: list, iterations: int) -> Any:
    """``MLPClassifier`` as in ``benchmarks/tiny.py`` (rate ``mu N`` on its mean loss)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    def run(k: int) -> None:
        clf = MLPClassifier(
            hidden_layer_sizes=(3,), activation="logistic", solver="sgd", alpha=0.0,
            batch_size=X.shape[0], learning_rate="constant", learning_rate_init=0.02 * len(X),
            momentum=0.9, nesterovs_momentum=False, max_iter=iterations, shuffle=False,
            tol=0.0, n_iter_no_change=iterations + 1, random_state=k,
        )  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, T)

    return run


def digits_contenders(K: int, epochs: int) -> dict[str, Any]:
    X, y = load_digits()
    X = (X - X.mean(0)) / (X.std(0) + 1e-8)
    net = Network.mlp([64, 64, 10], "relu", "softmax", "mean")
    cfg = TrainConfig(epochs=epochs, batch_size=32, optimizer=Adam(1e-3), train_metrics=False)
    seeds = tuple(range(K))
    start = pop.init_members(net, seeds)

    def population(axis: str) -> Any:
        return lambda: fit_population(net, X, y, Members(seeds), cfg, params=start,
                                      member_axis=axis)  # fmt: skip

    def sequential() -> None:
        for k in seeds:
            fit(net, pop.member(start, k), X, y, TrainConfig(**{**cfg.__dict__, "seed": k}))

    return {
        "population (members first)": population("first"),
        "population (members innermost)": population("last"),
        "sequential fit": sequential,
    }


def memory(K: int, epochs: int) -> dict[str, float]:
    """Traced peak MiB of one full-batch digits population, in one group and in four."""
    X, y = load_digits()
    X = (X - X.mean(0)) / (X.std(0) + 1e-8)
    net = Network.mlp([64, 64, 10], "tanh", "softmax")
    cfg = TrainConfig(epochs=epochs, batch_size=None, optimizer=Momentum(1e-4, 0.9),
                      train_metrics=False)  # fmt: skip
    peaks = {}
    for group in (K, max(1, K // 4)):
        tracemalloc.start()
        fit_population(net, X, y, Members(tuple(range(K))), cfg, group=group)
        peaks[f"group of {group}"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return peaks


def _report(title: str, contenders: dict[str, Any], repeats: int, base: list[str]) -> dict:
    times = interleaved(contenders, repeats)
    scale = {name: getattr(run, "scale", 1.0) for name, run in contenders.items()}
    med = {name: median(t) * scale[name] for name, t in times.items()}
    best = {name: min(t) * scale[name] for name, t in times.items()}
    print(f"\n{title}  ({repeats} interleaved repeats; noisy on a shared machine)")
    for name in contenders:
        note = f"  (timed {1 / scale[name]:.0%} of the fits, scaled)" if scale[name] != 1 else ""
        print(f"  {name:<32} median {med[name]:8.3f} s   best {best[name]:8.3f} s{note}")
    ratios = {}
    for b in base:
        for name in contenders:
            if name not in base:
                ratios[f"{name} / {b}"] = (med[name] / med[b], best[name] / best[b])
    for label, (r_med, r_best) in ratios.items():
        print(f"  {label:<62} {r_med:6.2f}x (best repeats {r_best:5.2f}x)")
    return {"median_s": med, "best_s": best, "ratios": ratios}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        tut, dig, mem, repeats = (40, 30, 4), (4, 1), (8, 1), 1
    else:
        tut, dig, mem, repeats = (1000, 300, 50), (16, 3), (64, 2), 3
    K, iterations, subset = tut
    tutorial = _report(
        f"tutorial network: {K} members, {iterations} full-batch momentum steps",
        tutorial_contenders(K, iterations, subset), repeats,
        ["population (members innermost)", "population (members first)"],
    )  # fmt: skip
    for contender, target in (("sequential fit", 5.0), ("sequential scikit-learn", 15.0)):
        ratio = tutorial["ratios"][f"{contender} / population (members innermost)"][0]
        print(f"  target: {contender} at least {target:g}x slower (medians): "
              f"{ratio:.2f}x, {verdict(ratio, target)}")  # fmt: skip
    _report(
        f"digits 64-64-10: {dig[0]} members, {dig[1]} epochs of minibatches of 32 (Adam)",
        digits_contenders(*dig), repeats,
        ["population (members first)", "population (members innermost)"],
    )  # fmt: skip
    peaks = memory(*mem)
    print(f"\nmemory: {mem[0]} digits networks (64 hidden), full batch of 1797, traced peak")
    for name, mib in peaks.items():
        print(f"  {name:<14} {mib:8.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
