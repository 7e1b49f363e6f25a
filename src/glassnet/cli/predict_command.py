"""What ``glassnet predict`` and ``export-onnx`` do, given parsed arguments (``evaluate``:
:mod:`glassnet.cli.evaluate_command`).

Bad input raises :class:`glassnet.data.tables.DataError` (or another ``ValueError``); the CLI
turns it into one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from glassnet.cli.checks import NotApplicable
from glassnet.cli.evaluate_command import evaluate
from glassnet.cli.model_data import (
    TABLES,
    check_table,
    count_off,
    off_constants,
    warn_filled,
    warn_off,
    warn_unseen,
)
from glassnet.cli.prediction_out import Tally, interrupted, out_format, say, write_csv, write_file
from glassnet.cli.replacing import Replaced
from glassnet.data.tables import DataError
from glassnet.files.fileio import StreamedWrite
from glassnet.files.modelfile import Model, load_model

__all__ = ["evaluate", "export_onnx", "predict", "write_predictions"]


def predict(args: argparse.Namespace) -> int:
    """Predictions streamed block by block from ``--data`` to ``--out`` (or stdout), in the
    format its suffix names (:mod:`glassnet.cli.prediction_out`). A stop signal stops it
    between blocks: ``--out`` is then left as it was (the output is renamed into place only
    once whole), and one line says so, with the signal's exit code."""
    from glassnet.cli.stops import exit_code, signal_name

    stream = StreamedWrite(args.out) if args.out else None
    kind = out_format(args.out, stream is not None and stream.direct)
    keep: tuple[str, ...] = tuple(getattr(args, "keep", None) or ())
    if keep and Path(args.data).suffix.lower() not in TABLES:
        raise NotApplicable(f"--keep names columns of a table (.csv, .parquet); {args.data} "
                            "is an array file")  # fmt: skip
    model = load_model(args.model)
    if args.proba and model.classes is None:
        raise NotApplicable("--proba needs a classifier; this model is a regressor")
    counts: tuple[dict[str, int], dict[str, int]] = ({}, {})  # unseen, filled
    off = off_constants(model)  # cells off a column's one training value, said once
    blocks = _feature_blocks(model, args.data, args.target, counts, keep, off)
    tally = Tally()
    before = Replaced(args.out) if args.out else None
    try:
        if stream is None:
            write_csv(sys.stdout, model, blocks, args.proba, keep, tally)
        else:
            stream.run(lambda fb: write_file(fb, kind, model, blocks, args.proba, keep, tally))
    except KeyboardInterrupt:
        if stream is None or not stream.renamed:
            existed = before is not None and bool(before.before)
            direct = stream is not None and stream.direct
            say(interrupted(args.out, direct, existed, tally, signal_name()))
            return exit_code()
    warn_unseen(counts[0])
    warn_filled(counts[1])
    warn_off(off)
    if stream is not None and before is not None:
        before.note([args.out])
        print(f"wrote {tally.rows} predictions to {args.out}")
    if stream is not None and stream.renamed and _signalled():
        say(f"{signal_name()} came as {args.out} was renamed into place: every prediction "
            "is written")  # fmt: skip
        return exit_code()
    return 0


def _signalled() -> bool:
    from glassnet.cli.stops import received

    return received()


def _feature_blocks(
    model: Model,
    data: str,
    target: str | None,
    counts: tuple[dict[str, int], dict[str, int]],
    keep: tuple[str, ...] = (),
    off: Any = None,
) -> Any:
    """The data's blocks as ``(X, kept)``: the features encoded as in training, and the
    columns to ``keep`` (Arrow arrays); ``counts`` gathers, per column, the cells of
    categories training never saw and the missing cells filled in columns that training
    saw complete. A file of no data rows (a header alone) is refused, as ``train`` and
    ``evaluate`` refuse it, before anything is written. A stop signal acts before each
    block is given and after the last (:func:`glassnet.cli.stops.stop_point`), so one that
    came as the model or the first block was read stops it too, before the rename."""
    from glassnet.cli.block_scores import data_rows
    from glassnet.cli.far_rows import check_reach
    from glassnet.cli.model_data import check_width
    from glassnet.cli.stops import stop_point
    from glassnet.data.blocks import feature_blocks
    from glassnet.data.encoding import strict_encoding

    encoding = model.encoding
    check_table(model, data)  # a model trained on arrays: say so (NU11 #10e)
    if encoding is None and Path(data).suffix.lower() in TABLES:
        names = model.feature_names or ()
        encoding = strict_encoding(names) if names else None
    rows = 0
    for block in feature_blocks(data, encoding, target, keep):
        stop_point()
        n = block.n_rows if hasattr(block, "n_rows") else block.shape[0]
        if not n:
            continue
        kept: list[Any] = []
        locate = block.locate if hasattr(block, "locate") else data_rows(rows)
        rows += n
        if hasattr(block, "n_rows"):
            encoded = encoding.transform(block)  # type: ignore[union-attr]
            for seen, tally in zip(counts, (encoded.unseen, encoded.filled), strict=True):
                for name, count in tally.items():
                    seen[name] = seen.get(name, 0) + count
            kept = [block.source.column(name) for name in keep]
            block = encoded.X
        check_width(model, block, data)
        count_off(off, block, model.feature_names)  # (model_data.off_constants)
        check_reach(model, block, locate, data)
        yield block, kept
    stop_point()
    if not rows:
        raise DataError(f"{data}: has no data rows")


def write_predictions(f: Any, model: Model, blocks: Any, proba: bool) -> int:
    """Write a header and one CSV row per sample of the feature blocks ``blocks`` to the
    text stream ``f``; returns the count."""
    return write_csv(f, model, ((X, []) for X in blocks), proba, (), Tally())


def export_onnx(args: argparse.Namespace) -> int:
    """``glassnet export-onnx --model MODEL.npz [--out MODEL.onnx]``."""
    from glassnet.cli.default_outs import default_onnx_path
    from glassnet.onnx.export import export_onnx as export

    model = load_model(args.model)
    check_export_arguments(args, model)
    target = Path(args.out) if args.out else default_onnx_path(args.model)
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
