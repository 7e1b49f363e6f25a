"""MLPRegressor's ``loss`` parameter (NU13 #11): the squared error only, by keyword, and the
positional order ported from scikit-learn 1.9 (``loss`` first) named in the error."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.neural_network import MLPRegressor as SkRegressor  # noqa: E402

from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402
from glassnet.sklearn.settings import PORTED_LOSS  # noqa: E402

X, Y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0.0, 1.0, 2.0, 3.0])
GUIDE = Path(__file__).parents[1] / "docs" / "guide" / "sklearn.md"


def _positional(cls) -> list[str]:
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in inspect.signature(cls).parameters.values() if p.kind in kinds]


def test_the_orders_the_guide_states():
    assert _positional(MLPRegressor) == ["hidden_layer_sizes", "activation"]
    assert inspect.signature(MLPRegressor).parameters["loss"].kind == inspect.Parameter.KEYWORD_ONLY
    assert _positional(SkRegressor)[0] == "loss"  # scikit-learn 1.9: loss first
    assert MLPRegressor((3,)).get_params()["loss"] == "squared_error"
    text = " ".join(GUIDE.read_text().split())
    assert "* `loss` (`MLPRegressor` only, default `\"squared_error\"`)" in text
    assert "give every argument by keyword" in text


@pytest.mark.parametrize("args", [("squared_error", (3,)), ("poisson",), ("squared_error",)])
def test_scikit_learns_positional_loss_is_refused_with_the_order(args):
    with pytest.raises(ValueError) as caught:
        MLPRegressor(*args, max_iter=2).fit(X, Y)
    assert PORTED_LOSS in str(caught.value)
    assert "must be" in str(caught.value)  # scikit-learn's own words come first


@pytest.mark.parametrize(
    "make", [lambda: MLPRegressor("relu"), lambda: MLPClassifier("squared_error"),
             lambda: MLPRegressor(np.array([3, 2]), activation="sigmoid")],
)  # fmt: skip
def test_other_bad_values_get_no_note_on_the_order(make):
    with pytest.raises(ValueError) as caught:
        make().fit(X, Y > 1)
    assert PORTED_LOSS not in str(caught.value)


def test_loss_by_keyword():
    MLPRegressor((3,), loss="squared_error", max_iter=2).fit(X, Y)
    with pytest.raises(ValueError, match="loss='poisson' is not available in glassnet"):
        MLPRegressor((3,), loss="poisson", max_iter=2).fit(X, Y)
