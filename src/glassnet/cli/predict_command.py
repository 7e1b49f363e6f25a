"""What ``glassnet predict`` and ``export-onnx`` do, given parsed arguments (``evaluate``:
:mod:`glassnet.cli.evaluate_command`).

Bad input raises :class:`glassnet.data.tables.DataError` (or another ``ValueError``); the CLI
turns it into one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from glassnet.cli.checks import NotApplicable
from glassnet.cli.evaluate_command import evaluate
from glassnet.cli.model_data import TABLES, prediction_rows, warn_filled, warn_unseen
from glassnet.cli.replacing import Replaced
from glassnet.core.wording import counted
from glassnet.data.tables import DataError
from glassnet.files.fileio import atomic_write
from glassnet.files.modelfile import Model, load_model

__all__ = ["evaluate", "export_onnx", "predict", "write_predictions"]


def predict(args: argparse.Namespace) -> int:
    """Predictions streamed block by block from ``--data`` to ``--out`` (or stdout)."""
    model = load_model(args.model)
    if args.proba and model.classes is None:
        raise NotApplicable("--proba needs a classifier; this model is a regressor")
    unseen: dict[str, int] = {}
    filled: dict[str, int] = {}
    blocks = _feature_blocks(model, args.data, args.target, (unseen, filled))
    if args.out:
        before = Replaced(args.out)
        counted: list[int] = []
        atomic_write(args.out, lambda fb: counted.append(_text(fb, model, blocks, args.proba)))
        warn_unseen(unseen)
        warn_filled(filled)
        before.note([args.out])
        print(f"wrote {counted[0]} predictions to {args.out}")
    else:
        write_predictions(sys.stdout, model, blocks, args.proba)
        warn_unseen(unseen)
        warn_filled(filled)
    return 0


def _feature_blocks(
    model: Model, data: str, target: str | None, counts: tuple[dict[str, int], dict[str, int]]
) -> Any:
    """The data's feature blocks, encoded as in training; ``counts`` gathers, per column,
    the cells of categories training never saw and the missing cells filled in columns
    that training saw complete. A file of no data rows (a header alone) is refused, as
    ``train`` and ``evaluate`` refuse it, before anything is written."""
    from glassnet.data.blocks import feature_blocks
    from glassnet.data.encoding import strict_encoding

    encoding = model.encoding
    if encoding is None and Path(data).suffix.lower() in TABLES:
        names = model.feature_names or ()
        encoding = strict_encoding(names) if names else None
    rows = 0
    for block in feature_blocks(data, encoding, target):
        n = block.n_rows if hasattr(block, "n_rows") else block.shape[0]
        if not n:
            continue
        rows += n
        if hasattr(block, "n_rows"):
            encoded = encoding.transform(block)  # type: ignore[union-attr]
            for seen, tally in zip(counts, (encoded.unseen, encoded.filled), strict=True):
                for name, count in tally.items():
                    seen[name] = seen.get(name, 0) + count
            block = encoded.X
        yield block
    if not rows:
        raise DataError(f"{data}: has no data rows")


def write_predictions(f: Any, model: Model, blocks: Any, proba: bool) -> int:
    """Write a header and one CSV row per sample to the text stream ``f``; returns the count."""
    writer = csv.writer(f, lineterminator="\n")
    header, count = None, 0
    for X in blocks:
        if X.shape[1] != model.n_features:
            raise DataError(
                f"the model expects {counted(model.n_features, 'feature')}, "
                f"the data has {X.shape[1]}"
            )
        lines, head = prediction_rows(model, X, proba)
        if header is None:
            header = head
            writer.writerow(head)
        writer.writerows(lines)
        count += len(lines)
        if getattr(f, "stopped", False):  # standard output closed (| head) or full
            break
    return count


def _text(fb: Any, model: Model, blocks: Any, proba: bool) -> int:
    """:func:`write_predictions` to the binary file ``fb``, as UTF-8 text."""
    f = io.TextIOWrapper(fb, encoding="utf-8", newline="")
    count = write_predictions(f, model, blocks, proba)
    f.flush()
    f.detach()
    return count


def export_onnx(args: argparse.Namespace) -> int:
    """``glassnet export-onnx --model MODEL.npz [--out MODEL.onnx]``."""
    from glassnet.onnx.export import export_onnx as export

    model = load_model(args.model)
    check_export_arguments(args, model)
    target = Path(args.out) if args.out else Path(args.model).with_suffix(".onnx")
    before = Replaced(target)
    out = export(model, target, args.opset, args.dtype, labels=not args.no_labels)
    before.note([out])
    dtype = args.dtype or model.params[0]["W"].dtype.name
    print(f"wrote {out} (opset {args.opset}, {dtype}, layers {model.net.sizes})")
    return 0


def check_export_arguments(args: argparse.Namespace, model: Model) -> None:
    """``--no-labels`` of a regressor and an ``--opset`` newer than the installed onnx
    knows are bad arguments (exit 2), said before anything is written."""
    import onnx

    from glassnet.cli.checks import UsageError

    if args.no_labels and model.classes is None:
        raise UsageError("--no-labels does not apply to a regressor (it has no label output)")
    newest = onnx.defs.onnx_opset_version()
    if args.opset > newest:
        raise UsageError(f"--opset {args.opset}: the installed onnx writes opsets 13 to {newest}")
