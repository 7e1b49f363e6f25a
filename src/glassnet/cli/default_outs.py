"""Where ``glassnet report`` and ``glassnet export-onnx`` write when no ``--out`` is given:
beside the model, under a name of their own (:func:`default_out`). That path is checked
before any work as a given ``--out`` is (:mod:`glassnet.cli.out_checks`): a file there of
another kind, whether another command wrote it (a training report) or the user did, is
refused, never replaced silently."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def default_report_path(model: Any, data: Any, labelled: bool = True) -> Path:
    """Beside the model, named for what it shows, never the training report's
    ``report.html``: ``runs/bc/model.npz`` and ``test.csv`` give ``model-report-test.html``
    (scored against the true labels of ``--target``) or, ``labelled`` False,
    ``model-predictions-test.html`` (the predicted classes counted, no true labels)."""
    model, kind = Path(model), "report" if labelled else "predictions"
    return model.with_name(f"{model.name.removesuffix('.npz')}-{kind}-{Path(data).stem}.html")


def default_onnx_path(model: Any) -> Path:
    """``MODEL.onnx`` beside ``MODEL.npz`` (the model's suffix replaced, or added)."""
    return Path(model).with_suffix(".onnx")


def derived_paths(model: Any) -> list[Path]:
    """The files beside ``model`` named as :func:`default_onnx_path` and
    :func:`default_report_path` name them (``MODEL.onnx``, ``MODEL-report-*.html``,
    ``MODEL-predictions-*.html``) that exist now, sorted; none when the folder does not."""
    model = Path(model)
    stem, folder = model.name.removesuffix(".npz"), model.parent
    if not folder.is_dir():
        return []
    onnx = default_onnx_path(model).name
    pages = (f"{stem}-report-", f"{stem}-predictions-")
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and p != model
        and (p.name == onnx or (p.name.startswith(pages) and p.name.endswith(".html")))
    )  # fmt: skip


def default_out(args: argparse.Namespace) -> Path | None:
    """The file ``args.command`` writes when ``args.out`` is None: report's page
    (:func:`default_report_path`, labelled when ``--target`` is given) or export-onnx's
    model (:func:`default_onnx_path`); None for another command, or once ``--out`` is
    given, or before the model is named."""
    model = getattr(args, "model", None)
    if getattr(args, "out", None) is not None or not isinstance(model, str | Path):
        return None
    if args.command == "report":
        return default_report_path(model, args.data, args.target is not None)
    if args.command == "export-onnx":
        return default_onnx_path(model)
    return None


def output(args: argparse.Namespace) -> str | Path | None:
    """The ``--out`` given, or the file written without one (:func:`default_out`)."""
    out = getattr(args, "out", None)
    return out if isinstance(out, str | Path) else default_out(args)


def said(args: argparse.Namespace, out: str | Path) -> str:
    """How a message names the output: ``--out X``, or ``X (where report writes without
    --out)`` for the default, which the user did not type."""
    if getattr(args, "out", None) is None:
        return f"{out} (where {args.command} writes without --out)"
    return f"--out {out}"


def another(args: argparse.Namespace, given: str = "name another file") -> str:
    """The advice closing a refusal: ``given`` for an ``--out``; for the default, another
    file named with ``--out``."""
    return given if getattr(args, "out", None) is not None else "name another file with --out"
