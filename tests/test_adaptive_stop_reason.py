"""``learning_rate="adaptive"`` ends, as scikit-learn's does, when the rate has fallen to
1e-6 and the loss still does not improve; its stop reason is a documented word."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from glassnet import MLPClassifier, MLPRegressor  # noqa: E402
from glassnet.train.history import STOP_REASONS  # noqa: E402


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_the_adaptive_rate_ends_with_a_documented_reason(cls, early_stopping):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    y = (X[:, 0] > 0).astype(int) if cls is MLPClassifier else X[:, 0] + X[:, 1]
    est = cls(hidden_layer_sizes=(8,), solver="sgd", learning_rate="adaptive",
              learning_rate_init=0.05, momentum=0.9, tol=0.5, n_iter_no_change=1,
              max_iter=200, random_state=0, early_stopping=early_stopping).fit(X, y)  # fmt: skip
    assert est.stop_reason_ == "learning rate too small" == est.history_.stop_reason
    assert est.stop_reason_ in STOP_REASONS
    assert est.n_iter_ < 200  # it stopped, not completed
    rates = [r.learning_rate for r in est.history_.records]
    assert rates[-1] <= 1e-6 < rates[0]  # divided by 5 down to scikit-learn's floor


def test_other_schedules_keep_their_reasons():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    est = MLPClassifier(hidden_layer_sizes=(4,), solver="sgd", learning_rate="invscaling",
                        max_iter=3, random_state=0).fit(X, y)  # fmt: skip
    assert est.stop_reason_ == "completed"


def test_the_documented_words_are_listed():
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs" / "guide" / "sklearn.md").read_text()
    assert "`learning rate too small`" in page
    for name in ("learning_rate", "power_t", "shuffle", "max_fun"):
        assert f"* `{name}`" in page
