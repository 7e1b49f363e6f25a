"""What ``glassnet evaluate`` does: a saved model scored on a data file a block of rows at a
time (the file is never held whole; see :func:`glassnet.data.labelled.labelled_blocks`).

The scores are sums over blocks (:mod:`glassnet.cli.block_scores`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from glassnet.cli.block_scores import ClassSums, RegressionSums, encoded_blocks
from glassnet.cli.model_data import off_constants, warn_filled, warn_off, warn_unseen
from glassnet.cli.model_inputs import TABLES, check_table
from glassnet.core.wording import counted
from glassnet.files.modelfile import Model, load_model

__all__ = ["ClassSums", "RegressionSums", "encoding_for", "evaluate"]


def evaluate(args: argparse.Namespace) -> int:
    """Accuracy, loss, per-class precision/recall/F1/support and the confusion matrix of a
    classifier; RMSE, MAE and R^2 per target of a regressor."""
    from glassnet.data.labelled import labelled_blocks

    model = load_model(args.model)
    renamed = target_named(model, args.target, args.data)
    labelled = labelled_blocks(args.data, encoding_for(model, args.data), args.target,
                               numeric=model.classes is None)  # fmt: skip
    if renamed:  # (said once the column is found)
        print(f"warning: {renamed}", file=sys.stderr)
    if labelled.n_unlabelled:
        left = counted(labelled.n_unlabelled, "row")
        print(f"left out {left} whose target {args.target!r} is empty")
    unseen: dict[str, int] = {}
    filled: dict[str, int] = {}
    off = off_constants(model)  # cells off a column's one training value, said once
    blocks = encoded_blocks(model, labelled.blocks, unseen, filled, args.data, off)
    if model.classes is None:
        lines = RegressionSums(model, args.target).add_all(blocks)
    else:
        lines = ClassSums(model, args.data, args.target).add_all(blocks)
    warn_unseen(unseen)
    warn_filled(filled)
    warn_off(off)
    print("\n".join(lines))
    return 0


def target_named(model: Model, target: str, data: str = "") -> str:
    """Refuse a ``--target`` that names one of the model's input columns, or (a regressor
    scored on a table) another count of columns than the model predicts (NU14 #1); return
    the warning to print (once the column is read) where it names other columns than the
    model was trained to predict, else "" (NU11 #4). Raises
    :class:`~glassnet.data.targets.BadTargets` (exit code 2)."""
    from glassnet.data.targets import check_named, target_names

    inputs = model.encoding.names if model.encoding is not None else model.feature_names
    trained = tuple(model.settings.get("targets", ()))
    given = target_names(target, trained)  # a trained name holding a comma is one column
    warning = check_named(trained, inputs, given)  # an input column named: said first
    if model.classes is None and not str(data).lower().endswith(".npz"):
        check_count(model.net.sizes[-1], trained, given)
    return warning


def check_count(k: int, trained: tuple[str, ...], given: tuple[str, ...]) -> None:
    """Refuse (:class:`~glassnet.data.targets.BadTargets`) ``--target`` columns ``given``
    that are not ``k``, the count of the regressor's outputs (one column each), naming the
    ``trained`` columns to give where the model keeps them."""
    from glassnet.data.targets import BadTargets

    if len(given) == k:
        return
    said = f"--target {','.join(given)}: the model predicts {counted(k, 'target')}"
    if len(trained) == k:
        which = "name it" if k == 1 else "name them all, in that order"
        raise BadTargets(f"{said} ({', '.join(trained)}); {which}: --target {','.join(trained)}")
    raise BadTargets(f"{said}; name {counted(k, 'target column')}, separated by commas "
                     f"(--target a,b), in the order it was trained on")  # fmt: skip


def encoding_for(model: Model, data: str) -> Any:
    """How ``data``'s columns become the model's features: the model's encoding, or for a
    table given to a model trained on named numeric columns, those columns strictly."""
    from glassnet.data.encoding import strict_encoding

    check_table(model, data)  # a model trained on arrays: say so (NU11 #10e)
    if model.encoding is None and str(data).lower().endswith(TABLES) and model.feature_names:
        return strict_encoding(model.feature_names)
    return model.encoding
