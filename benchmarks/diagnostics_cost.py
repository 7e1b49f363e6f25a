"""What recording diagnostics costs the tutorial's training (issue 4: at most +20%).

Runs ``run_tutorial()`` (gradient check + 300 momentum iterations) with and without the
demo's recorder (per-layer gradient norms, saturation, loss, parameter snapshots),
interleaved in pairs, and prints the best and the median of each and the median of the
per-pair ratios (the machine's noise hits both halves of a pair alike).

    python benchmarks/diagnostics_cost.py [repeats]
"""

import statistics
import sys
import time

from glassnet.cli.demo import Recording
from glassnet.train.tutorial import TutorialConfig, run_tutorial, tutorial_data
from glassnet.views.diagnostics import DiagnosticsRecord


def once(record: bool) -> float:
    hook = None
    if record:
        hook = Recording(DiagnosticsRecord.for_network(tutorial_data(TutorialConfig())[4]))
    start = time.perf_counter()
    run_tutorial(on_step=hook)
    return time.perf_counter() - start


def main(repeats: int) -> None:
    plain, recorded = [], []
    for _ in range(repeats):
        plain.append(once(False))
        recorded.append(once(True))
    for name, pick in (("best", min), ("median", statistics.median)):
        a, b = pick(plain), pick(recorded)
        print(f"{name:>6}: without {a * 1e3:6.1f} ms, with {b * 1e3:6.1f} ms, {b / a - 1:+.1%}")
    ratios = [b / a for a, b in zip(plain, recorded, strict=True)]
    print(f"median of the {repeats} paired ratios: {statistics.median(ratios) - 1:+.1%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
