"""A trained model: a network with everything needed to use it on new data.

:class:`Model` holds the parameters, the class labels of a classifier, the input and target
scalings and a table's column encoding; its ``predict`` and ``predict_proba`` check and
prepare ``X`` as training did and run the network in row blocks (:meth:`Model.block_rows`),
so inference never holds a whole hidden layer for every row. Written to and read from files
by :mod:`glassnet.files.modelfile`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from glassnet.core._types import Array, ParamList
from glassnet.core.network import Network
from glassnet.core.validation import DataError, NonFinite, as_features
from glassnet.core.wording import counted, noun
from glassnet.data.cell_counts import warn_filled, warn_off, warn_unseen
from glassnet.data.constant_columns import off_counts
from glassnet.data.encoding import Encoded, Encoding
from glassnet.data.frames import Frame
from glassnet.data.headers import unique_names
from glassnet.data.preprocessing import Standardizer

BLOCK_ELEMENTS = 1 << 19  # numbers per layer per block of inference (4 MB in float64)


@dataclass
class Model:
    """A trained network and everything needed to use it on new data."""

    net: Network
    params: ParamList
    classes: Array | None = None  # class labels for a classifier, None for regression
    scaler: Standardizer | None = None
    feature_names: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    encoding: Encoding | None = None  # table columns -> features, for models trained on one
    target_scaler: Standardizer | None = None  # regression targets as trained: (y - mean)/scale
    constants: dict[int, float] | None = None  # features of one value in training (None: unknown)

    @property
    def n_features(self) -> int:
        return self.net.sizes[0]

    @property
    def members(self) -> int | None:
        """``K`` for an ensemble (stacked parameters ``W (K, n_in, n_out)``), else None."""
        W = self.params[0]["W"]
        return int(W.shape[0]) if W.ndim == 3 else None

    def member(self, k: int) -> Model:
        """Member ``k`` of an ensemble as a model of its own."""
        params = [{name: a[k] for name, a in p.items()} for p in self.params]
        return replace(self, params=params)

    def __repr__(self) -> str:
        """A few lines: task, network, parameters, inputs, classes, the run; never the
        weights (:func:`glassnet.files.model_view.text`)."""
        from glassnet.files.model_view import text

        return text(self)

    def _repr_html_(self) -> str:
        """Jupyter's display: the same facts over the architecture table."""
        from glassnet.files.model_view import html

        return html(self)

    def encode(self, frame: Frame, impute: bool = True) -> Encoded:
        """A table's rows as this model's features ``(N, D)`` float64 (strictly numeric
        columns, named as in training, for a model without an encoding), as ``glassnet
        predict`` encodes them: a missing cell gets what training stored (the median, or
        the ``(missing)`` category; counted in ``Encoded.filled``); with ``impute=False``
        it raises :class:`DataError` naming its column and row (what :meth:`predict`
        does by default)."""
        from glassnet.data.encoding import strict_encoding

        encoding = self.encoding or strict_encoding(self.feature_names or frame.names)
        return encoding.transform(frame, impute)

    def features(self, X: Any, impute: bool = False) -> Any:
        """``X`` checked (``(N, D)``, finite; a :class:`Frame` or a pandas DataFrame encoded
        first, see :meth:`encode`; a DataFrame's numeric columns matched by name, see
        :meth:`by_name`), not yet scaled. Cells of categories unseen in training encode as
        all zeros, counted per column in one
        :class:`~glassnet.data.cell_counts.UnseenCategoryWarning`; with ``impute``, missing
        cells filled in columns that had none in training, in one
        :class:`~glassnet.data.cell_counts.FilledCellWarning`. A DataFrame with two columns
        of one name raises :class:`DataError` (``data: duplicate column names: a``)."""
        if hasattr(X, "columns") and not isinstance(X, Frame):  # a column named twice: which?
            unique_names("data", list(X.columns))  # the readers' one message (as train's)
        if isinstance(X, Frame) or (hasattr(X, "columns") and self.encoding is not None):
            encoded = self.encode(X if isinstance(X, Frame) else Frame(X, "data"), impute)
            warn_unseen(encoded.unseen)  # one UnseenCategoryWarning, as the CLI's one line
            warn_filled(encoded.filled)  # impute=True: cells the model never saw missing
            X = encoded.X
        try:
            X = as_features(self.by_name(X), n_features=self.n_features)
        except NonFinite as exc:
            if impute and self.encoding is None:  # nothing stored to fill with
                raise DataError(f"{exc}; impute=True cannot fill it: this model stores no "
                                "fill values (it was trained on numbers, as by the estimators);"
                                " fill missing cells first, e.g. with scikit-learn's "
                                "SimpleImputer") from None  # fmt: skip
            raise
        if X.shape[1] != self.n_features:
            expects = counted(self.n_features, "feature")
            raise DataError(f"the model expects {expects}, got {X.shape[1]}")
        return X

    def inputs(self, X: Any) -> Array:
        """Check the feature count and standardize as in training (in float64, then cast
        to the parameters' dtype)."""
        X = np.asarray(self.features(X))
        dtype = self.params[0]["W"].dtype
        return self.scaler.transform(X, dtype) if self.scaler else np.asarray(X, dtype=dtype)

    def block_rows(self) -> int:
        """Rows per block of inference: about 0.5M numbers in the widest layer (4 MB)."""
        return max(1, BLOCK_ELEMENTS // (max(self.net.sizes) * (self.members or 1)))

    def by_name(self, X: Any) -> Any:
        """``X``'s columns in the model's feature order, when both have names."""
        columns = getattr(X, "columns", None)
        if columns is None or not self.feature_names:
            return X
        if not all(isinstance(c, str) for c in columns):  # unnamed columns: by position
            return X
        names = [str(c) for c in columns]
        missing = [n for n in self.feature_names if n not in names]
        if missing:
            named = ", ".join(map(repr, missing))
            raise DataError(
                f"the data lacks the model's feature {noun(len(missing), 'column')} {named}"
            )
        if names == list(self.feature_names):
            return X
        where = {n: i for i, n in enumerate(names)}
        return X.iloc[:, [where[n] for n in self.feature_names]]

    def _blocks(self, X: Any, f: Any, impute: bool) -> Array:
        """``f(inputs)`` over row blocks of ``X``, concatenated (memory bounded by the block)."""
        X = self.features(X, impute)
        if self.constants:  # a value training never saw where its weights never trained
            warn_off(off_counts(np.asarray(X), self.constants, self.feature_names))
        step = self.block_rows()
        parts = [f(self.inputs(np.asarray(X[i : i + step]))) for i in range(0, X.shape[0], step)]
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def output(self, inputs: Array) -> Array:
        """The network output ``(N, C)`` for prepared ``inputs``; an ensemble's is the mean
        of its members' (class probabilities, or values)."""
        Y = self.net.predict_proba(self.params, inputs)  # (N, C) or (K, N, C)
        return Y if self.members is None else np.mean(Y, axis=0)

    def outputs(self, X: Any, *, impute: bool = False) -> Array:
        """The network's outputs ``(N, C_out)`` as trained, in row blocks: ``C_out`` is 1 for
        a two-class classifier's one logistic unit (P(``classes[1]``))."""
        return self._blocks(X, self.output, impute)

    def predict_proba(self, X: Any, *, impute: bool = False) -> Array:
        """Class probabilities ``(N, C)``, columns in the order of ``classes`` (a two-class
        model's one logistic unit as ``[1 - p, p]``, as scikit-learn's ``predict_proba``);
        a regressor's outputs ``(N, k)``. ``X`` and ``impute`` as in :meth:`predict`."""
        Y = self.outputs(X, impute=impute)
        if self.classes is not None and len(self.classes) == 2 and Y.shape[1] == 1:
            return np.column_stack([1 - Y[:, 0], Y[:, 0]])
        return Y

    def predict(self, X: Any, *, impute: bool = False) -> Array:
        """Class labels ``(N,)`` for a classifier; predicted values ``(N, k)`` for a regressor
        of ``k`` targets (2-D even for one target: ``.ravel()`` gives scikit-learn's ``(N,)``),
        in the targets' units. Computed in row blocks (:meth:`block_rows`).

        ``X``: ``(N, D)`` numbers, or a pandas DataFrame of the training table's columns
        (encoded as in training). Strict by default, as scikit-learn is: a missing cell
        (NaN, None) raises :class:`DataError` naming its column and row. ``impute=True``
        fills missing cells of a DataFrame as ``glassnet predict`` does: a numeric column's
        training median (and its was-missing indicator), a category column's
        ``(missing)`` category; cells filled in a column that had none in training are
        counted per column in one :class:`~glassnet.data.cell_counts.FilledCellWarning`
        (the CLI's warning line). A category training never saw encodes as all zeros, with
        one :class:`~glassnet.data.cell_counts.UnseenCategoryWarning` counting such cells
        per column (the CLI's warning line). Two DataFrame columns of one name raise
        :class:`DataError` naming it, as every reader of a table does."""
        codes = self._blocks(X, lambda Xs: self.net.decide(self.output(Xs)), impute)
        if self.classes is not None:
            return self.classes[codes]
        if self.target_scaler is None:
            return codes
        values = np.asarray(codes, dtype=np.float64).reshape(len(codes), -1)
        return self.target_scaler.inverse(values).reshape(codes.shape)
