"""The ``glassnet`` command line: parses arguments and calls the library.

Exit codes (:data:`EXIT_CODES`): 0 success; 1 a failed check or bad input data or files
(one line on stderr); 2 bad arguments (one line on stderr); 128 + N stopped by signal N
(130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT; :mod:`glassnet.cli.stops`);
141 the reader of the output went away (``glassnet explain | head``), quietly.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from glassnet.cli.checks import UsageError, check_arguments

EXIT_CODES = {
    0: "success",
    1: "a failed check, or bad input data or files",
    2: "bad arguments: an unknown, malformed, missing or inapplicable option",
    129: "stopped by SIGHUP (the terminal closed); a training run saves its model first",
    130: "interrupted (Ctrl-C, SIGINT); a training run saves its model first",
    131: "stopped by SIGQUIT; a training run saves its model first",
    143: "stopped by SIGTERM (kill, timeout, a scheduler); a training run saves its model first",
    141: "the output pipe was closed by its reader",
}


class CommandError(Exception):
    """A problem with the user's input, reported as one line with exit code 1."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _demo(args: argparse.Namespace) -> int:
    from glassnet.cli.demo import run_demo

    if args.starts < 0:
        raise UsageError(f"--starts must be 0 or more, got {args.starts}")
    run = run_demo(args.out, every=args.every, animate=args.animate, starts=args.starts)
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
        from glassnet.cli.inspect_commands import explain_model

        return explain_model(args)
    from glassnet.train.tutorial import TutorialConfig, draw_params, tutorial_data

    config = TutorialConfig()
    rs, X, t, T, net = tutorial_data(config)
    check_params = draw_params(rs, net.sizes, config.check_init_scale)
    params = draw_params(rs, net.sizes, config.init_scale)
    if args.at == "check":
        params = check_params
    from glassnet.core.optimizers import Momentum

    optimizer = Momentum(config.learning_rate, config.momentum)  # the tutorial's training
    inputs = "input samples, one per row (the circles data, raw coordinates)"
    text, passed = explain(net, params, X, T, show=args.rows, optimizer=optimizer, inputs=inputs)
    print(text)
    return 0 if passed else 1


def build_parser() -> argparse.ArgumentParser:
    from glassnet._version import __version__

    codes = "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items())
    parser = Parser(
        prog="glassnet",
        description="A see-through neural-network library: train, check and look inside MLPs.",
        epilog=f"exit codes: {codes}.",
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=Parser, required=False
    )

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
        help="print progress every K iterations, 0 for none (default: %(default)s)",
    )
    demo.add_argument(
        "--animate",
        action="store_true",
        help="also write training.gif, about 30 frames (default: no animation)",
    )
    demo.add_argument(
        "--starts",
        type=int,
        default=0,
        metavar="N",
        help="also train from N random starts with gradient descent and with momentum, and "
        "report how their final losses spread (default: %(default)s, none)",
    )
    demo.set_defaults(func=_demo)

    grad = sub.add_parser("gradcheck", help="check the tutorial network's gradients numerically")
    grad.add_argument(
        "--eps", type=float, default=1e-5, help="finite-difference step (default: %(default)s)"
    )
    grad.add_argument(
        "--rtol", type=float, default=1e-5, help="relative tolerance (default: %(default)s)"
    )
    grad.add_argument(
        "--atol", type=float, default=1e-7, help="absolute tolerance (default: %(default)s)"
    )
    grad.set_defaults(func=_gradcheck)
    expl = sub.add_parser(
        "explain", help="one forward and backward pass of the tutorial network, step by step"
    )
    expl.add_argument(
        "--rows",
        type=_at_least_one,
        default=3,
        metavar="K",
        help="samples whose numbers are shown (default: %(default)s)",
    )
    expl.add_argument(
        "--at",
        choices=["start", "check"],
        help="tutorial parameters: the training start or the gradient-check draw "
        "(default: start; not with --model)",
    )
    expl.add_argument(
        "--model", metavar="MODEL.npz", help="explain a saved classifier instead (default: none)"
    )
    expl.add_argument("--data", metavar="FILE", help="data for --model (required with it)")
    expl.add_argument(
        "--target", metavar="COLUMN", help="true labels for --model (default: the predicted ones)"
    )
    expl.add_argument(
        "--row", type=int, metavar="I", help="first data row shown for --model (default: 0)"
    )
    expl.set_defaults(func=_explain)

    rep = sub.add_parser("report", help="a self-contained HTML report of a saved classifier")
    _add_model(rep)
    rep.add_argument("--data", required=True, metavar="FILE", help="the data (required)")
    rep.add_argument("--target", metavar="COLUMN", help="true labels (default: the predicted ones)")
    rep.add_argument(
        "--out",
        metavar="FILE",
        help="the page to write (default: MODEL-report-DATA.html beside the model; an "
        "existing file is named when replaced)",
    )
    rep.set_defaults(func=_run("report", "inspect_commands"))
    _add_train(sub)
    _add_predict_evaluate(sub)
    _add_export_onnx(sub)
    _add_sweep(sub)
    _add_playground(sub)
    return parser


def _add_model(parser: argparse.ArgumentParser, out: bool = False) -> None:
    """``--model MODEL.npz`` (the one way, as in every command) and the older positional form
    ``COMMAND MODEL.npz [OUT]``, still accepted."""
    parser.add_argument("model_arg", nargs="?", metavar="MODEL.npz", help=argparse.SUPPRESS)
    if out:
        parser.add_argument("out_arg", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--model", metavar="MODEL.npz", help="the model file (required)")


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


def _number_in(low: float, high: float, *, open_low: bool, open_high: bool) -> Any:
    """An argparse type: a finite number in the interval from ``low`` to ``high``."""
    left, right = "(" if open_low else "[", ")" if open_high else "]"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        below = value <= low if open_low else value < low
        above = value >= high if open_high else value > high
        if not math.isfinite(value) or below or above:
            raise argparse.ArgumentTypeError(
                f"expected a number in {left}{low:g}, {high:g}{right}, got {text}"
            )
        return value

    return parse


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text}")
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
    """``64,32`` -> ``(64, 32)``; an empty part (``64,,32``, ``64,``) is an error."""
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected sizes like 64,32 (positive integers, comma-separated), got {text!r}"
        ) from None
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"hidden layer sizes must be positive, got {text!r}")
    return sizes


def _split_size(text: str) -> float | int:
    """A split size, or 0 for none."""
    try:
        if float(text) == 0:
            return 0
    except ValueError:
        pass
    return _size(text)


def _add_train(sub: argparse._SubParsersAction) -> None:
    from glassnet.cli.workflow import Recipe
    from glassnet.data.datasets import DATASETS

    r = Recipe()
    train = sub.add_parser(
        "train", help="train an MLP on a CSV/NPZ/NPY file or a built-in data set and save the model"
    )
    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--data",
        metavar="FILE",
        help="training data: .csv, .parquet, .npz or .npy (this or --dataset is required)",
    )
    source.add_argument(
        "--dataset", choices=DATASETS, help="a built-in data set (this or --data is required)"
    )
    train.add_argument(
        "--target", metavar="COLUMN", help="the target column (required with --data)"
    )
    train.add_argument(
        "--features", metavar="COL,...", help="the feature columns (default: all but the target)"
    )
    train.add_argument(
        "--drop", metavar="COL,...", help="columns to leave out, e.g. IDs, dates (default: none)"
    )
    train.add_argument(
        "--preset",
        choices=["tutorial-digits", "digits"],
        help="a stored recipe, the tutorial's digits run or glassnet's (default: none; "
        "digits with --dataset digits); the options below override it",
    )
    add = train.add_argument
    add(
        "--hidden",
        type=_hidden,
        metavar="SIZES",
        help=f"hidden layer sizes, e.g. 64,32 (default: {','.join(map(str, r.hidden))})",
    )
    add(
        "--activation",
        choices=["logistic", "tanh", "relu", "identity"],
        help=f"hidden activation (default: {r.activation})",
    )
    add(
        "--optimizer",
        choices=["sgd", "momentum", "nesterov", "adam"],
        help=f"(default: {r.optimizer})",
    )
    add(
        "--lr",
        type=_number_in(0, math.inf, open_low=True, open_high=True),
        help=f"learning rate (default: {r.learning_rate})",
    )
    add(
        "--momentum",
        type=_number_in(0, 1, open_low=False, open_high=True),
        help=f"momentum term, for --optimizer momentum or nesterov (default: {r.momentum})",
    )
    add("--epochs", type=_positive_int, help=f"maximum epochs (default: {r.epochs})")
    add(
        "--batch-size",
        type=_positive_int,
        help=f"minibatch size, 0 for full batch (default: {r.batch_size})",
    )
    add(
        "--val-fraction",
        type=_split_size,
        metavar="F",
        help="validation share, a fraction or a count; 0: train on all rows with early "
        f"stopping off (default: {r.val_size})",
    )
    add(
        "--test-fraction",
        type=_split_size,
        metavar="F",
        help="held-out test share, a fraction or a count (default: 0, none)",
    )
    add(
        "--patience",
        type=_positive_int,
        help="stop after this many epochs without a better validation loss and keep the best "
        f"epoch; 0: no early stopping, keep the last epoch (default: {r.patience})",
    )
    add(
        "--schedule",
        choices=["constant", "step", "exponential", "invscaling", "plateau"],
        help="learning-rate schedule (default: constant)",
    )
    add(
        "--weight-decay",
        type=_number_in(0, math.inf, open_low=False, open_high=True),
        help=f"L2 penalty on the weights (default: {r.weight_decay:g})",
    )
    add("--seed", type=int, help=f"seed for splits, init and shuffling (default: {r.seed})")
    add("--dtype", choices=["float32", "float64"], help=f"(default: {r.dtype})")
    add(
        "--task",
        choices=["auto", "classification", "regression"],
        help="auto: class names or whole numbers mean classification (default: auto)",
    )
    add(
        "--no-standardize",
        action="store_true",
        help="do not standardize the inputs (default: standardize with training statistics)",
    )
    add(
        "--n-samples",
        type=_at_least_one,
        metavar="N",
        help="samples drawn for a synthetic --dataset (default: the data set's own)",
    )
    add(
        "--progress",
        choices=["auto", "bar", "lines", "off"],
        default="auto",
        help="a bar on a terminal, lines otherwise (default: %(default)s)",
    )
    add(
        "--ensemble",
        type=_at_least_one,
        default=1,
        metavar="K",
        help="train K members (seeds SEED..SEED+K-1) at once and save them as one model that "
        "averages their outputs (default: %(default)s, one network)",
    )
    add(
        "--resume",
        action="store_true",
        help="continue an interrupted run from MODEL.ckpt.npz; --epochs may be raised, other "
        "settings must match (default: start afresh)",
    )
    add(
        "--out",
        default="model.npz",
        metavar="MODEL.npz",
        help="model file; history.json, loss.png and report.html go beside it "
        "(default: %(default)s)",
    )
    train.set_defaults(func=_run("train"))


def _add_predict_evaluate(sub: argparse._SubParsersAction) -> None:
    pred = sub.add_parser("predict", help="predict with a saved model")
    _add_model(pred)
    pred.add_argument("--data", required=True, metavar="FILE", help="the data (required)")
    pred.add_argument(
        "--target", metavar="COLUMN", help="a column to leave out, if present (default: none)"
    )
    pred.add_argument(
        "--out", metavar="PREDICTIONS.csv", help="write here (default: standard output)"
    )
    pred.add_argument(
        "--proba", action="store_true", help="add class probabilities (default: labels only)"
    )
    pred.set_defaults(func=_run("predict"))

    ev = sub.add_parser(
        "evaluate",
        help="accuracy, per-class precision/recall/F1 and confusion matrix, or RMSE/MAE/R^2",
    )
    _add_model(ev)
    ev.add_argument("--data", required=True, metavar="FILE", help="the data (required)")
    ev.add_argument("--target", required=True, metavar="COLUMN", help="true values (required)")
    ev.set_defaults(func=_run("evaluate"))


def _add_export_onnx(sub: argparse._SubParsersAction) -> None:
    onnx = sub.add_parser("export-onnx", help="export a saved model to ONNX (needs glassnet[onnx])")
    _add_model(onnx, out=True)
    onnx.add_argument(
        "--out", metavar="MODEL.onnx", help="the ONNX file (default: MODEL.onnx beside MODEL.npz)"
    )
    onnx.add_argument("--opset", type=int, default=17, help="ONNX opset (default: %(default)s)")
    onnx.add_argument(
        "--dtype",
        choices=["float32", "float64"],
        help="the network's computation type (default: the model's); the input is float64",
    )
    onnx.add_argument(
        "--no-labels", action="store_true", help="probabilities only (default: labels too)"
    )
    onnx.set_defaults(func=_run("export_onnx"))


def _floats(text: str) -> tuple[float, ...]:
    """``1e-3,3e-3`` -> ``(0.001, 0.003)``."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 1e-3,3e-3, got {text!r}") from None
    if not all(math.isfinite(v) for v in values) or min(values) < 0:
        raise argparse.ArgumentTypeError(f"expected non-negative finite numbers, got {text!r}")
    return values


def _architectures(text: str) -> tuple[tuple[int, ...], ...]:
    """``64/32,32`` -> ``((64,), (32, 32))``: architectures separated by ``/``."""
    return tuple(_hidden(part) for part in text.split("/"))


def _add_sweep(sub: argparse._SubParsersAction) -> None:
    """The ``sweep`` command's options."""
    from glassnet.cli.workflow import Recipe
    from glassnet.data.datasets import DATASETS

    r = Recipe()
    p = sub.add_parser(
        "sweep", help="train every combination of settings at once and rank them on validation"
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--data", metavar="FILE", help="training data (this or --dataset is required)"
    )
    source.add_argument(
        "--dataset", choices=DATASETS, help="a built-in data set (this or --data is required)"
    )
    add = p.add_argument
    add("--target", metavar="COLUMN", help="the target column (required with --data)")
    add("--features", metavar="COL,...", help="the feature columns (default: all but the target)")
    add("--drop", metavar="COL,...", help="columns to leave out, e.g. IDs (default: none)")
    add(
        "--lr",
        type=_floats,
        default=(r.learning_rate,),
        metavar="LIST",
        help="learning rates, e.g. 1e-3,3e-3,1e-2 (default: %(default)s)",
    )
    add(
        "--weight-decay",
        type=_floats,
        default=(0.0,),
        metavar="LIST",
        help="L2 weight decays, e.g. 0,1e-4 (default: %(default)s)",
    )
    add(
        "--momentum",
        type=_floats,
        default=(r.momentum,),
        metavar="LIST",
        help="momentum terms, for --optimizer momentum or nesterov (default: %(default)s)",
    )
    add(
        "--seeds",
        type=_at_least_one,
        default=1,
        metavar="N",
        help="seeds per combination (initialization and minibatch order; default: 1)",
    )
    add(
        "--hidden",
        type=_architectures,
        default=(r.hidden,),
        metavar="SIZES[/SIZES...]",
        help="architectures, e.g. 64/32,32; each trains as its own population (default: 64)",
    )
    add(
        "--activation",
        choices=["logistic", "tanh", "relu", "identity"],
        default=r.activation,
        help="hidden activation (default: %(default)s)",
    )
    add(
        "--optimizer",
        choices=["sgd", "momentum", "nesterov", "adam"],
        default=r.optimizer,
        help="(default: %(default)s)",
    )
    add("--epochs", type=_at_least_one, default=50, help="epochs (default: %(default)s)")
    add(
        "--batch-size",
        type=_positive_int,
        default=r.batch_size,
        help="minibatch size, 0 for full batch (default: %(default)s)",
    )
    add(
        "--val-fraction",
        type=_size,
        default=r.val_size,
        metavar="F",
        help="validation share, a fraction or a count (default: %(default)s)",
    )
    add("--seed", type=int, default=0, help="split seed and first member seed (default: 0)")
    add(
        "--n-samples",
        type=_at_least_one,
        metavar="N",
        help="samples for a synthetic --dataset (default: its own)",
    )
    add("--dtype", choices=["float32", "float64"], default="float64", help="(default: %(default)s)")
    add(
        "--dask",
        metavar="ADDRESS",
        help="a Dask scheduler to split the sweep across its workers (default: run here)",
    )
    add(
        "--out",
        default="sweep",
        metavar="DIR",
        help="folder for results.csv, best.npz and report.html (default: %(default)s)",
    )
    p.set_defaults(func=_run("sweep", "sweep_command"))


def _add_playground(sub: argparse._SubParsersAction) -> None:
    play = sub.add_parser(
        "playground",
        help="a local web page where glassnet trains live on built-in or your own data "
        "(needs glassnet[playground])",
    )
    play.add_argument("--data", metavar="FILE", help="a table to train on (default: none)")
    play.add_argument(
        "--target", metavar="COLUMN", help="its class column (default: the last column)"
    )
    play.add_argument(
        "--port", type=_port, default=0, help="port on 127.0.0.1 (default: a free one)"
    )
    play.set_defaults(func=_playground)


def _playground(args: argparse.Namespace) -> int:
    try:
        from glassnet.playground import run
    except ImportError as exc:
        raise ImportError(
            f"the playground needs its extra: pip install 'glassnet[playground]' ({exc})"
        ) from None
    return run(args.data, args.target, args.port)


def _run(name: str, module: str = "commands") -> Callable[[argparse.Namespace], int]:
    """A handler that imports ``glassnet.cli.<module>`` only when the command runs."""

    def handler(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(f"glassnet.cli.{module}"), name)(args))

    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``glassnet`` command; returns its exit code (see :data:`EXIT_CODES`)."""
    from glassnet.cli.quiet import library_warnings_quiet
    from glassnet.cli.stops import exit_code, signal_name, stop_signals

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        check_arguments(args)
        with stop_signals(), library_warnings_quiet():
            return int(args.func(args))
    except UsageError as exc:
        print(f"glassnet {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _closed_pipe()
    except (CommandError, ValueError, OSError, ImportError, FloatingPointError) as exc:
        # Bad input (DataError, ModelFileError are ValueErrors), unreadable files, a missing
        # optional dependency, a diverged run: one line, exit code 1, never a traceback.
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"glassnet {args.command}: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C or another stop signal (glassnet.cli.stops)
        print(f"glassnet {args.command}: interrupted by {signal_name()}", file=sys.stderr)
        return exit_code()


def _closed_pipe() -> int:
    """The reader of standard output went away (``| head``): stop quietly. Standard output
    is pointed at devnull so that Python's flush at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a replaced sys.stdout (tests) has no fd
        pass
    return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
