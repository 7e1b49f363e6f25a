"""scikit-learn's check of a DataFrame's column names, with glassnet's way out added.

An estimator fitted on a DataFrame keeps scikit-learn's contract: a later DataFrame must
give the same columns in the same order (``feature_names_in_``), and one that gives them
in another order is refused with scikit-learn's ``ValueError`` ("Feature names must be in
the same order as they were in fit."; its estimator checks expect that error). A glassnet
:class:`~glassnet.files.modelfile.Model` (``glassnet.load(path)``, ``est.to_model()``)
matches columns by name instead. :func:`validate` runs scikit-learn's ``validate_data``
and, for columns that are all there in another order, adds to scikit-learn's message how
to score them.

Importing this module imports scikit-learn; ``import glassnet`` does not.
"""

from __future__ import annotations

from typing import Any

from sklearn.utils.validation import validate_data

REORDERED = "Feature names must be in the same order as they were in fit."


def validate(est: Any, X: Any, *args: Any, scoring: bool, **kwargs: Any) -> Any:
    """``validate_data(est, X, *args, **kwargs)``; its ``ValueError`` for reordered columns
    is raised again with :func:`hint` after scikit-learn's text (``scoring``: raised by
    ``predict`` and the like, rather than by ``partial_fit`` or a ``warm_start`` fit).

    Raises
    ------
    ValueError
        scikit-learn's errors, unchanged but for the added hint.
    """
    try:
        return validate_data(est, X, *args, **kwargs)
    except ValueError as exc:
        if REORDERED not in str(exc):
            raise
        raise ValueError(f"{exc}{hint(est, scoring)}") from None


def hint(est: Any, scoring: bool) -> str:
    """What to do with a DataFrame whose columns are the fitted ones in another order:
    select them in fit's order, or (to score) use a glassnet Model, which matches names."""
    name = type(est).__name__
    text = (
        f"glassnet: every column is there, in another order; give them in fit's order with "
        f"X[est.feature_names_in_] (est: this {name})"
    )
    if scoring:
        text += (
            ", or score the columns by name with est.to_model().predict(X) (a glassnet "
            "Model, as glassnet.load(path) gives: it matches columns by name)"
        )
    return text + "."
