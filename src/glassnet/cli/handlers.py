"""What each ``glassnet`` command runs, given its parsed arguments; returns the exit code.

Each handler imports its command's module when the command runs, not before, so that
``glassnet --help`` stays fast and ``import glassnet.cli`` loads neither the training nor the
views (nor matplotlib or scikit-learn).
"""

from __future__ import annotations

import argparse

from glassnet.cli.checks import UsageError


def demo(args: argparse.Namespace) -> int:
    from glassnet.cli.demo import run_demo

    if args.starts < 0:
        raise UsageError(f"--starts must be 0 or more, got {args.starts}")
    run = run_demo(args.out, every=args.every, animate=args.animate, starts=args.starts)
    return 0 if run.gradient_report.passed else 1


def gradcheck(args: argparse.Namespace) -> int:
    """Exit code 0 passed, 1 FAILED, 3 inconclusive (the differences' own error exceeds the
    tolerance); an ``--eps`` that cannot move the parameters is a bad argument (2)."""
    from glassnet.core.gradcheck import StepTooSmall, check_network
    from glassnet.train.tutorial import TutorialConfig, draw_params, tutorial_data

    config = TutorialConfig()
    rs, X, t, T, net = tutorial_data(config)
    params = draw_params(rs, net.sizes, config.check_init_scale)
    try:
        report = check_network(net, params, X, T, eps=args.eps, rtol=args.rtol, atol=args.atol)
    except StepTooSmall as exc:
        raise UsageError(str(exc).replace(f"eps={args.eps:g}", f"--eps {args.eps:g}", 1)) from None
    print(report.format())
    return {"passed": 0, "FAILED": 1}.get(report.verdict, 3)


def explain(args: argparse.Namespace) -> int:
    if args.model is not None:
        from glassnet.cli.explain_model import explain_model
        from glassnet.cli.npz_target import default_target

        default_target(args)

        return explain_model(args)
    from glassnet.core.optimizers import Momentum
    from glassnet.data.datasets import CIRCLES_CLASSES
    from glassnet.train.tutorial import TutorialConfig, draw_params, tutorial_data
    from glassnet.views.explain import explain as explain_pass

    config = TutorialConfig()
    rs, X, t, T, net = tutorial_data(config)
    check_params = draw_params(rs, net.sizes, config.check_init_scale)
    params = draw_params(rs, net.sizes, config.init_scale)
    if args.at == "check":
        params = check_params
    optimizer = Momentum(config.learning_rate, config.momentum)  # the tutorial's training
    inputs = "input samples, one per row (the circles data, raw coordinates)"
    text, passed = explain_pass(
        net, params, X, T, show=args.rows, optimizer=optimizer, inputs=inputs,
        classes=list(CIRCLES_CLASSES),  # the tutorial's names, as the demo gives them
    )
    print(text)
    return 0 if passed else 1


def report(args: argparse.Namespace) -> int:
    from glassnet.cli.inspect_commands import report as run
    from glassnet.cli.npz_target import default_target

    default_target(args)
    return run(args)


def train(args: argparse.Namespace) -> int:
    from glassnet.cli.train_command import train as run

    return run(args)


def predict(args: argparse.Namespace) -> int:
    from glassnet.cli.npz_target import default_target
    from glassnet.cli.predict_command import predict as run

    default_target(args)  # an .npz's y (never a feature), or the --target checked
    return run(args)


def evaluate(args: argparse.Namespace) -> int:
    from glassnet.cli.npz_target import default_target
    from glassnet.cli.predict_command import evaluate as run

    default_target(args, required=True)
    return run(args)


def export_onnx(args: argparse.Namespace) -> int:
    from glassnet.cli.predict_command import export_onnx as run

    return run(args)


def sweep(args: argparse.Namespace) -> int:
    from glassnet.cli.sweep_command import sweep as run

    return run(args)


def playground(args: argparse.Namespace) -> int:
    try:
        from glassnet.playground import run
    except ImportError as exc:
        raise ImportError(
            f"the playground needs its extra: pip install 'glassnet[playground]' ({exc})"
        ) from None
    return int(run(args.data, args.target, args.port))
