"""scikit-learn's check of a DataFrame's column names, with glassnet's way out added.

An estimator fitted on a DataFrame keeps scikit-learn's contract: a later DataFrame must
give the same columns in the same order (``feature_names_in_``), and one that gives them
in another order is refused with scikit-learn's ``ValueError`` ("Feature names must be in
the same order as they were in fit."; its estimator checks expect that error). A glassnet
:class:`~glassnet.files.modelfile.Model` (``glassnet.load(path)``, ``est.to_model()``)
matches columns by name instead. :func:`validate` runs scikit-learn's ``validate_data``
and, for columns that are all there in another order, adds to scikit-learn's message how
to score them; for an estimator made from a ``glassnet train`` model, whose features are
its table's encoded columns, it says how to score the table (:func:`table_note`).

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
        if getattr(est, "_table_encoding", None) is not None and "eature names" in str(exc):
            raise ValueError(f"{exc}{table_note(est)}") from None
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


def table_note(est: Any) -> str:
    """For an estimator made by ``from_model`` of a ``glassnet train`` model, which
    encoded its table itself: what its features are and how to score the table."""
    names = [str(n) for n in getattr(est, "feature_names_in_", [])]
    shown = ", ".join(map(repr, names[:4])) + (", ..." if len(names) > 4 else "")
    return (
        f"\nglassnet: this {type(est).__name__} was made from a model of glassnet train, "
        f"which encodes its table into the features {shown} (text as one-hot columns, "
        "missing cells filled); score the table itself with glassnet.load(path).predict(df) "
        "or est.to_model().predict(df), which encode it as in training."
    )
