"""Where the time of one fast training step goes, call by call.

    python benchmarks/profile_step.py            # the tiny and the large float32 step
    python benchmarks/profile_step.py --large    # the large one only

Times every NumPy call of the compiled step (``fast.compile_step``) on its own, from the
buffers a real step left (an in-place call repeated drifts its own output, nothing else),
plus the copies in and the optimizer update, largest first with their share of the step.
"""

from __future__ import annotations

import sys
import timeit
from collections.abc import Callable
from functools import partial

import numpy as np

import glassnet as gn
from glassnet.core import fast, step_update


def _name(op: Callable[[], object]) -> str:
    func = getattr(op, "func", op)
    owner = getattr(func, "__self__", None)
    if owner is not None:
        return f"{type(owner).__name__}.{func.__name__}"
    args = getattr(op, "args", ())
    shapes = " ".join(str(a.shape) for a in args if isinstance(a, np.ndarray))
    return f"{getattr(func, '__name__', type(func).__name__)} {shapes}"


def profile(net: gn.Network, X: np.ndarray, T: np.ndarray, opt: gn.Momentum, number: int) -> None:
    params = net.init(np.random.default_rng(0), X.dtype)
    ws = fast.Workspace(net, X.shape[0], X.dtype)
    state = opt.init(params)
    _, params, state = fast.step(net, params, opt, state, X, T, ws)
    program = ws.programs[X.shape[0]]

    def per_call(fn: Callable[[], object]) -> float:
        with np.errstate(all="ignore"):  # a call repeated on its own output may overflow
            return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6

    rows = [("whole step", per_call(lambda: fast.step(net, params, opt, state, X, T, ws)))]
    rows.append(("copy X in", per_call(lambda: np.copyto(program.X, X))))
    rows.append(("copy T in", per_call(lambda: np.copyto(program.T, T))))
    buffers = [ws.X, ws.T, *ws.Z, *ws.E, *ws.S, ws.row, ws.theta, ws.grad, ws.slots[0]]
    fast.step(net, params, opt, state, X, T, ws)
    snapshot = [b.copy() for b in buffers]
    for function, args, kwargs in program.unweighted:  # the recorded NumPy calls
        op = partial(function, *args, **kwargs)
        for b, saved in zip(buffers, snapshot, strict=True):  # every call sees real inputs
            np.copyto(b, saved)
        rows.append((_name(op), per_call(op)))
    update = per_call(lambda: step_update.update(ws, opt, 0.0, 1, program, None))
    rows.append(("optimizer update (flat, in place)", update))
    total = rows[0][1]
    print(f"  whole step {total:9.1f} us; each call timed alone, largest first:")
    for name, us in sorted(rows[1:], key=lambda r: -r[1]):
        print(f"  {us:9.1f} us {100 * us / total:5.1f}%  {name}")


def main() -> int:
    from glassnet.train.tutorial import TutorialConfig, tutorial_data

    _, X, _, T, net = tutorial_data(TutorialConfig())
    print("tiny: tutorial problem, 2-3-2, 100 samples, float64, momentum")
    profile(net, X, T, gn.Momentum(0.02, 0.9), 2000) if "--large" not in sys.argv else None
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 784)).astype(np.float32)
    T = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 256)]
    print("\nlarge: 784-512-512-10 ReLU, batch 256, float32, momentum")
    profile(
        gn.Network.mlp([784, 512, 512, 10], "relu", "softmax", "mean"), X, T, gn.Momentum(0.01), 5
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
