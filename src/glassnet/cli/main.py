"""The ``glassnet`` command line: parses arguments and calls the library.

Exit codes: 0 success, 1 a failed check or bad input (one line on stderr), 2 bad arguments,
128 + N when signal N (SIGINT, SIGTERM, SIGHUP, SIGQUIT) stopped it (:mod:`glassnet.cli.stops`).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence


class CommandError(Exception):
    """A problem with the user's input, reported as one line with exit code 1."""


def _demo(args: argparse.Namespace) -> int:
    from glassnet.cli.demo import run_demo

    run = run_demo(args.out, every=args.every, animate=args.animate)
    return 0 if run.gradient_report.passed else 1


def _gradcheck(args: argparse.Namespace) -> int:
    from glassnet.core.gradcheck import check_network
    from glassnet.train.tutorial import TutorialConfig, draw_params, tutorial_data

    config = TutorialConfig()
    rs, X, t, T, net = tutorial_data(config)
    params = draw_params(rs, net.sizes, config.check_init_scale)
    report = check_network(net, params, X, T, eps=args.eps, rtol=args.rtol, atol=args.atol)
    print(report.format())
    return 0 if report.passed else 1


def _explain(args: argparse.Namespace) -> int:
    from glassnet.views.explain import explain

    if args.model is not None:
        if args.data is None:
            raise CommandError("--model needs --data FILE (and --row, --target)")
        from glassnet.cli.inspect_commands import explain_model

        return explain_model(args)
    from glassnet.train.tutorial import TutorialConfig, draw_params, tutorial_data

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
    from glassnet._version import __version__

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
        "--rows",
        type=_at_least_one,
        default=3,
        metavar="K",
        help="samples to show numbers for (default 3)",
    )
    expl.add_argument(
        "--at",
        choices=["start", "check"],
        default="start",
        help="parameters: the training start (default) or the gradient-check draw",
    )
    expl.add_argument("--model", metavar="MODEL.npz", help="explain a saved classifier instead")
    expl.add_argument("--data", metavar="FILE", help="data for --model")
    expl.add_argument("--target", metavar="COLUMN", help="true labels (default: predicted)")
    expl.add_argument("--row", type=int, default=0, help="first data row for --model (0)")
    expl.set_defaults(func=_explain)

    rep = sub.add_parser("report", help="a self-contained HTML report of a saved classifier")
    rep.add_argument("model", metavar="MODEL.npz")
    rep.add_argument("--data", required=True, metavar="FILE")
    rep.add_argument("--target", metavar="COLUMN", help="true labels (default: predicted)")
    rep.add_argument("--out", default="report.html", metavar="FILE")
    rep.set_defaults(func=_run("report", "inspect_commands"))
    _add_train(sub)
    _add_predict_evaluate(sub)
    _add_export_onnx(sub)
    return parser


def _at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a count of at least 1, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text}")
    return value


def _size(text: str) -> float | int:
    """A split size: a fraction in (0, 1) or a count of samples."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0 or (value >= 1 and value != int(value)):
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1) or a count, got {text}")
    return value if value < 1 else int(value)


def _hidden(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 64,32, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"hidden layer sizes must be positive, got {text!r}")
    return sizes


def _add_train(sub: argparse._SubParsersAction) -> None:
    from glassnet.data.datasets import DATASETS

    train = sub.add_parser(
        "train", help="train an MLP on a CSV/NPZ/NPY file or a built-in data set and save the model"
    )
    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", metavar="FILE", help="training data: .csv, .npz or .npy")
    source.add_argument("--dataset", choices=DATASETS, help="a built-in data set")
    train.add_argument("--target", metavar="COLUMN", help="the target column (with --data)")
    train.add_argument(
        "--preset",
        choices=["tutorial-digits", "digits"],
        help="a stored recipe (the tutorial's digits run, or glassnet's)",
    )
    train.add_argument(
        "--hidden",
        type=_hidden,
        metavar="SIZES",
        help="hidden layer sizes, e.g. 64,32 (default 64)",
    )
    train.add_argument("--activation", choices=["logistic", "tanh", "relu", "identity"])
    train.add_argument("--optimizer", choices=["sgd", "momentum", "nesterov", "adam"])
    train.add_argument("--lr", type=float, help="learning rate (default 0.001)")
    train.add_argument("--momentum", type=float, help="momentum term (default 0.9)")
    train.add_argument("--epochs", type=_positive_int, help="maximum epochs (default 200)")
    train.add_argument(
        "--batch-size", type=_positive_int, help="minibatch size, 0 for full batch (default 32)"
    )
    train.add_argument(
        "--val-fraction",
        type=_size,
        metavar="F",
        help="validation share (fraction or count; default 0.2)",
    )
    train.add_argument(
        "--test-fraction",
        type=_size,
        metavar="F",
        help="held-out test share (fraction or count; default none)",
    )
    train.add_argument(
        "--patience",
        type=_positive_int,
        help="early-stopping patience in epochs, 0 for none (default 20)",
    )
    train.add_argument(
        "--schedule", choices=["constant", "step", "exponential", "invscaling", "plateau"]
    )
    train.add_argument("--weight-decay", type=float, help="L2 penalty on the weights")
    train.add_argument("--seed", type=int, help="seed for splits, init and shuffling (0)")
    train.add_argument("--dtype", choices=["float32", "float64"])
    train.add_argument("--task", choices=["auto", "classification", "regression"])
    train.add_argument(
        "--no-standardize", action="store_true", help="do not standardize the inputs"
    )
    train.add_argument("--n-samples", type=int, help="samples for a synthetic data set")
    train.add_argument("--progress", choices=["auto", "bar", "lines", "off"], default="auto")
    train.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run from MODEL.ckpt.npz (same arguments)",
    )
    train.add_argument(
        "--out",
        default="model.npz",
        metavar="MODEL.npz",
        help="model file; history.json and loss.png go beside it",
    )
    train.set_defaults(func=_run("train"))


def _add_predict_evaluate(sub: argparse._SubParsersAction) -> None:
    pred = sub.add_parser("predict", help="predict with a saved model")
    pred.add_argument("--model", required=True, metavar="MODEL.npz")
    pred.add_argument("--data", required=True, metavar="FILE")
    pred.add_argument("--target", metavar="COLUMN", help="a column to leave out, if present")
    pred.add_argument("--out", metavar="PREDICTIONS.csv", help="write here instead of stdout")
    pred.add_argument("--proba", action="store_true", help="add class probabilities")
    pred.set_defaults(func=_run("predict"))

    ev = sub.add_parser("evaluate", help="accuracy, loss and confusion matrix of a saved model")
    ev.add_argument("--model", required=True, metavar="MODEL.npz")
    ev.add_argument("--data", required=True, metavar="FILE")
    ev.add_argument("--target", required=True, metavar="COLUMN")
    ev.set_defaults(func=_run("evaluate"))


def _add_export_onnx(sub: argparse._SubParsersAction) -> None:
    onnx = sub.add_parser("export-onnx", help="export a saved model to ONNX (needs glassnet[onnx])")
    onnx.add_argument("model", metavar="MODEL.npz", help="a glassnet model file")
    onnx.add_argument("out", metavar="MODEL.onnx", help="the ONNX file to write")
    onnx.add_argument("--opset", type=int, default=17, help="ONNX opset (default: %(default)s)")
    onnx.add_argument(
        "--dtype", choices=["float32", "float64"], help="input type (default: the model's)"
    )
    onnx.add_argument("--no-labels", action="store_true", help="probabilities only, no labels")
    onnx.set_defaults(func=_run("export_onnx"))


def _run(name: str, module: str = "commands") -> Callable[[argparse.Namespace], int]:
    """A handler that imports ``glassnet.cli.<module>`` only when the command runs."""

    def handler(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(f"glassnet.cli.{module}"), name)(args))

    return handler


def main(argv: Sequence[str] | None = None) -> int:
    from glassnet.cli.stops import exit_code, signal_name, stop_signals

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with stop_signals():
            return int(args.func(args))
    except (CommandError, ValueError, OSError, ImportError, FloatingPointError) as exc:
        # Bad input (DataError, ModelFileError are ValueErrors), unreadable files, a missing
        # optional dependency, a diverged run: one line, exit code 1, never a traceback.
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"glassnet {args.command}: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C or another stop signal (glassnet.cli.stops)
        print(f"glassnet {args.command}: interrupted by {signal_name()}", file=sys.stderr)
        return exit_code()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
