"""The rows ``glassnet report MODEL --data FILE`` scores and shows, read a block at a time.

The data file is never held whole, as in ``glassnet evaluate``: each block is encoded,
scored into the sums of :mod:`glassnet.cli.block_scores` (every row counts), and offered
to a :class:`RowSample` of at most :data:`SAMPLE_ROWS` rows, which the report's figures
and per-sample tables show. The sample is drawn by bottom-k sampling: every row gets a
uniform key from one Generator seeded with 0, drawn in file order (so the same rows are
kept whatever the block size), and the rows with the ``k`` smallest keys are kept, which
is a uniform sample without replacement (Efraimidis and Spirakis, "Weighted random sampling
with a reservoir", 2006, with equal weights).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.cli.block_scores import ClassSums, Locate, RegressionSums, encoded_blocks
from glassnet.cli.model_data import class_codes, off_constants, warn_filled, warn_off, warn_unseen
from glassnet.core._types import Array
from glassnet.core.wording import counted
from glassnet.data.tables import DataError
from glassnet.files.modelfile import Model
from glassnet.views.run_report import MAX_ROWS

SAMPLE_ROWS = MAX_ROWS  # rows kept for the report's figures
SEED = 0


class RowSample:
    """At most ``size`` rows of a stream of blocks, uniform without replacement; memory:
    the kept rows and one block."""

    def __init__(self, size: int = SAMPLE_ROWS, seed: int = SEED) -> None:
        self.size, self.rng, self.seen = size, np.random.default_rng(seed), 0
        self.keys, self.rows = np.empty(0), np.empty(0, dtype=np.int64)
        self.X: Array | None = None  # (k, D) the kept rows' features
        self.t: Array | None = None  # (k,) or (k, m): their targets or codes

    def add(self, X: Array, t: Array) -> None:
        """Offer the rows of ``X (B, D)`` and their ``t (B, ...)``."""
        keys = self.rng.random(len(X))  # one key per row, in file order
        rows = np.arange(self.seen, self.seen + len(X))
        self.seen += len(X)
        new = np.flatnonzero(keys < self.keys.max()) if len(self.keys) == self.size else (
            np.arange(len(X)))  # fmt: skip
        if not len(new):
            return
        keys, rows = np.concatenate([self.keys, keys[new]]), np.concatenate([self.rows, rows[new]])
        X = np.concatenate([X[:0] if self.X is None else self.X, X[new]])
        t = np.asarray(t)
        t = np.concatenate([t[:0] if self.t is None else self.t, t[new]])
        keep = np.argpartition(keys, self.size - 1)[: self.size] if len(keys) > self.size else (
            slice(None))  # fmt: skip
        self.keys, self.rows, self.X, self.t = keys[keep], rows[keep], X[keep], t[keep]

    def taken(self) -> tuple[Array, Array, Array]:
        """The kept rows' positions in the stream (increasing), features and targets."""
        if self.X is None or self.t is None:
            raise DataError("no rows to report on")
        order = np.argsort(self.rows, kind="stable")
        return self.rows[order], self.X[order], self.t[order]


class PredictedCounts:
    """Without true labels: a classifier's predicted class counts, and for an ensemble how
    often each member agrees with the ensemble, summed over blocks."""

    def __init__(self, model: Model) -> None:
        assert model.classes is not None
        self.model, self.n = model, 0
        self.counts = np.zeros(len(model.classes), dtype=np.int64)
        self.agree = np.zeros(model.members or 0, dtype=np.int64)

    def add(self, X: Array, labels: Any = None, locate: Locate | None = None) -> Array:
        """Add a block ``X (B, D)``; returns the predicted class codes ``(B,)``."""
        model = self.model
        predicted = class_codes(model, model.predict(X))
        self.counts += np.bincount(predicted, minlength=len(self.counts))
        for k in range(model.members or 0):
            member = class_codes(model, model.member(k).predict(X))
            self.agree[k] += int(np.sum(member == predicted))
        self.n += len(X)
        return predicted


@dataclass
class ScoredRows:
    """What ``glassnet report`` shows: a sample of rows and the scores of all of them."""

    X: Array  # (k, D) the sampled rows' features, encoded as in training
    codes: Array  # (k,) class codes (true, or predicted without labels), or targets as trained
    sums: Any  # ClassSums, RegressionSums or PredictedCounts over every row
    n_unlabelled: int = 0  # rows left out because their target cell is empty
    notes: list[tuple[str, str]] = field(default_factory=list)


def scored_rows(model: Model, data: str, target: str | None) -> ScoredRows:
    """Read ``data`` a block at a time: score every row and keep a sample for the figures."""
    from glassnet.cli.evaluate_command import encoding_for, target_named
    from glassnet.data.blocks import feature_blocks
    from glassnet.data.labelled import labelled_blocks

    encoding, n_unlabelled = encoding_for(model, data), 0
    pairs: Any
    if target is not None:
        renamed = target_named(model, target, data)
        labelled = labelled_blocks(data, encoding, target, numeric=model.classes is None)
        if renamed:  # (said once the column is found)
            print(f"warning: {renamed}", file=sys.stderr)
        pairs, n_unlabelled = labelled.blocks, labelled.n_unlabelled
    else:
        pairs = ((block, None) for block in feature_blocks(data, encoding))
    sums: Any = (PredictedCounts(model) if target is None else ClassSums(model, data, target)
                 if model.classes is not None else RegressionSums(model, target))  # fmt: skip
    unseen: dict[str, int] = {}
    filled: dict[str, int] = {}
    sample = RowSample()
    off = off_constants(model)  # cells off a column's one training value, said once
    for X, y, locate in encoded_blocks(model, pairs, unseen, filled, data, off):
        sample.add(X, sums.add(X, y, locate))
    warn_unseen(unseen)
    warn_filled(filled)
    warn_off(off)
    if sample.X is None:
        raise DataError(f"{data}: has no data rows (no rows to report on)")
    _, X, codes = sample.taken()
    if model.classes is None and model.target_scaler is not None:  # as trained
        codes = model.target_scaler.transform(codes.reshape(len(codes), -1), np.float64)
        codes = codes.reshape(-1) if sample.t is not None and sample.t.ndim == 1 else codes
    shown = f"a sample of {len(X)} of the {counted(sums.n, 'row')}, drawn with seed {SEED}"
    every = "its one row" if sums.n == 1 else f"all {sums.n} rows"
    notes = [("rows in the data", str(sums.n)), ("rows shown", shown if len(X) < sums.n else every)]
    if n_unlabelled:
        left = counted(n_unlabelled, "row")
        notes.append(("left out", f"{left} whose target {target!r} is empty"))
    return ScoredRows(X, codes, sums, n_unlabelled, notes)
