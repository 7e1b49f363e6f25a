"""The ``glassnet`` command line: parses arguments and calls the library.

Exit codes: 0 success, 1 a failed check or bad input (one line on stderr), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


class CommandError(Exception):
    """A problem with the user's input, reported as one line with exit code 1."""


def _demo(args: argparse.Namespace) -> int:
    from glassnet.demo import run_demo

    run = run_demo(args.out, every=args.every, animate=args.animate)
    return 0 if run.gradient_report.passed else 1


def _gradcheck(args: argparse.Namespace) -> int:
    from glassnet.gradcheck import check_network
    from glassnet.tutorial import TutorialConfig, draw_params, tutorial_data

    config = TutorialConfig()
    rs, X, t, T, net = tutorial_data(config)
    params = draw_params(rs, net.sizes, config.check_init_scale)
    report = check_network(net, params, X, T, eps=args.eps, rtol=args.rtol, atol=args.atol)
    print(report.format())
    return 0 if report.passed else 1


def _explain(args: argparse.Namespace) -> int:
    from glassnet.explain import explain
    from glassnet.tutorial import TutorialConfig, draw_params, tutorial_data

    config = TutorialConfig()
    rs, X, t, T, net = tutorial_data(config)
    check_params = draw_params(rs, net.sizes, config.check_init_scale)
    params = draw_params(rs, net.sizes, config.init_scale)
    if args.at == "check":
        params = check_params
    text, passed = explain(net, params, X, T, show=args.rows)
    print(text)
    return 0 if passed else 1


def build_parser() -> argparse.ArgumentParser:
    from glassnet import __version__

    parser = argparse.ArgumentParser(
        prog="glassnet",
        description="A see-through neural-network library: train, check and look inside MLPs.",
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo", help="reproduce the tutorial: 2-3-2 network on the circles data, with figures"
    )
    demo.add_argument(
        "--out",
        default="glassnet-demo",
        metavar="DIR",
        help="folder for metrics.json, params.npz and the figures (default: %(default)s)",
    )
    demo.add_argument(
        "--every",
        type=int,
        default=25,
        metavar="K",
        help="print progress every K iterations, 0 for none (default: 25)",
    )
    demo.add_argument(
        "--animate", action="store_true", help="also write training.gif (about 30 frames)"
    )
    demo.set_defaults(func=_demo)

    grad = sub.add_parser("gradcheck", help="check the tutorial network's gradients numerically")
    grad.add_argument("--eps", type=float, default=1e-5, help="finite-difference step")
    grad.add_argument("--rtol", type=float, default=1e-5, help="relative tolerance")
    grad.add_argument("--atol", type=float, default=1e-7, help="absolute tolerance")
    grad.set_defaults(func=_gradcheck)

    expl = sub.add_parser(
        "explain", help="one forward and backward pass of the tutorial network, step by step"
    )
    expl.add_argument(
        "--rows", type=int, default=3, metavar="K", help="samples to show numbers for (default 3)"
    )
    expl.add_argument(
        "--at",
        choices=["start", "check"],
        default="start",
        help="parameters: the training start (default) or the gradient-check draw",
    )
    expl.set_defaults(func=_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CommandError as exc:
        print(f"glassnet {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"glassnet {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
