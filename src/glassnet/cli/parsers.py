"""The options of ``glassnet demo``, ``gradcheck``, ``explain``, ``report``, ``predict``,
``evaluate``, ``export-onnx`` and ``playground`` (``train``: :mod:`glassnet.cli.parser_train`;
``sweep``: :mod:`glassnet.cli.parser_sweep`). Every option's help says its default."""

from __future__ import annotations

import argparse
import math

from glassnet.cli import handlers
from glassnet.cli.argtypes import (
    at_least_one,
    column_names,
    non_negative_int,
    number_in,
    opset,
    port,
)

Commands = argparse._SubParsersAction


def add_model(parser: argparse.ArgumentParser, out: bool = False) -> None:
    """``--model MODEL.npz`` (the one way, as in every command) and the older positional form
    ``COMMAND MODEL.npz [OUT]``, still accepted."""
    parser.add_argument("model_arg", nargs="?", metavar="MODEL.npz", help=argparse.SUPPRESS)
    if out:
        parser.add_argument("out_arg", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--model", metavar="MODEL.npz", help="the model file (required)")
    parser.model_required = True  # type: ignore[attr-defined]  # main.Parser's usage line


def add_demo(sub: Commands) -> None:
    demo = sub.add_parser(
        "demo", help="reproduce the tutorial: 2-3-2 network on the circles data, with figures"
    )
    add = demo.add_argument
    add(
        "--out",
        default="glassnet-demo",
        metavar="DIR",
        help="folder for metrics.json, params.npz and the figures (default: %(default)s)",
    )
    add(
        "--every",
        type=non_negative_int,
        default=25,
        metavar="K",
        help="print progress every K iterations, 0 for none (default: %(default)s)",
    )
    add(
        "--animate",
        action="store_true",
        help="also write training.gif, about 30 frames (default: no animation)",
    )
    add(
        "--starts",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="also train from N random starts with gradient descent and with momentum, and "
        "report how their final losses spread (default: %(default)s, none)",
    )
    demo.set_defaults(func=handlers.demo)


def add_gradcheck(sub: Commands) -> None:
    grad = sub.add_parser("gradcheck", help="check the tutorial network's gradients numerically")
    step = number_in(0, math.inf, open_low=True, open_high=True)
    tolerance = number_in(0, math.inf, open_low=False, open_high=True)
    add = grad.add_argument
    add("--eps", type=step, default=1e-5, help="finite-difference step (default: %(default)s)")
    add("--rtol", type=tolerance, default=1e-5, help="relative tolerance (default: %(default)s)")
    add("--atol", type=tolerance, default=1e-7, help="absolute tolerance (default: %(default)s)")
    grad.set_defaults(func=handlers.gradcheck)


def add_explain(sub: Commands) -> None:
    expl = sub.add_parser(
        "explain",
        help="one forward and backward pass, step by step: of the tutorial network, or of a "
        "saved classifier (--model) on your data",
    )
    add = expl.add_argument
    add("model_arg", nargs="?", metavar="MODEL.npz", help=argparse.SUPPRESS)  # older form
    add(
        "--rows",
        type=at_least_one,
        default=3,
        metavar="K",
        help="samples whose numbers are shown (default: %(default)s)",
    )
    add(
        "--at",
        choices=["start", "check"],
        help="tutorial parameters: the training start or the gradient-check draw "
        "(default: start; not with --model)",
    )
    add("--model", metavar="MODEL.npz", help="explain a saved classifier instead (default: none)")
    add("--data", metavar="FILE", help="data for --model (required with it)")
    add("--target", metavar="COLUMN",
        help="true labels for --model (default: an .npz's y, else the predicted ones)")
    add(
        "--row",
        type=non_negative_int,
        metavar="I",
        help="with --model: the batch explained is the data rows from I on (at most 256), "
        "its first --rows shown; the loss is that batch's (default: 0)",
    )
    expl.set_defaults(func=handlers.explain)


def add_report(sub: Commands) -> None:
    rep = sub.add_parser(
        "report",
        help="a self-contained HTML report of a saved model (a regressor's needs --target)",
    )
    add_model(rep)
    rep.add_argument("--data", required=True, metavar="FILE", help="the data (required)")
    rep.add_argument(
        "--target", metavar="COLUMN",
        help="true labels or values (several columns: a,b; default: an .npz's y, else a "
        "classifier's predicted labels; required for a regressor)",
    )  # fmt: skip
    rep.add_argument(
        "--out",
        metavar="FILE",
        help="the page to write (default, beside the model: MODEL-report-DATA.html with "
        "--target, MODEL-predictions-DATA.html without); an earlier report page there is "
        "replaced and named, any other file refused",
    )
    rep.set_defaults(func=handlers.report)


def add_predict_evaluate(sub: Commands) -> None:
    pred = sub.add_parser("predict", help="predict with a saved model")
    add_model(pred)
    add = pred.add_argument
    add("--data", required=True, metavar="FILE", help="the data (required)")
    add("--target", metavar="COLUMN",
        help="columns to leave out, if present: a or a,b (default: none; an .npz's: its y, "
        "if any)")
    add("--out", metavar="PREDICTIONS.csv",
        help="write here, as CSV (.csv) or Parquet (.parquet, .pq) by the suffix (default: "
        "CSV to standard output)")  # fmt: skip
    add("--keep", type=column_names, metavar="COL,...",
        help="copy these columns of --data (an ID, say) into the output, first, beside the "
        "predictions (default: none)")  # fmt: skip
    add("--proba", action="store_true", help="add class probabilities (default: labels only)")
    pred.set_defaults(func=handlers.predict)

    ev = sub.add_parser(
        "evaluate",
        help="accuracy, per-class precision/recall/F1 and confusion matrix, or RMSE/MAE/R^2",
    )
    add_model(ev)
    ev.add_argument("--data", required=True, metavar="FILE", help="the data (required)")
    ev.add_argument(
        "--target", metavar="COLUMN",
        help="true values (required; several columns: a,b; an .npz's default: its y)",
    )
    ev.set_defaults(func=handlers.evaluate)


def add_export_onnx(sub: Commands) -> None:
    onnx = sub.add_parser("export-onnx", help="export a saved model to ONNX (needs glassnet[onnx])")
    add_model(onnx, out=True)
    add = onnx.add_argument
    add("--out", metavar="MODEL.onnx",
        help="the ONNX file (default: MODEL.onnx beside MODEL.npz); an earlier ONNX model "
        "there is replaced and named, any other file refused")  # fmt: skip
    add("--opset", type=opset, default=17, help="ONNX opset (default: %(default)s)")
    add(
        "--dtype",
        choices=["float32", "float64"],
        help="the network's computation type (default: the model's); the input is float64",
    )
    add("--no-labels", action="store_true", help="probabilities only (default: labels too)")
    onnx.set_defaults(func=handlers.export_onnx)


def add_playground(sub: Commands) -> None:
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
        "--port", type=port, default=0, help="port on 127.0.0.1 (default: a free one)"
    )
    play.set_defaults(func=handlers.playground)
