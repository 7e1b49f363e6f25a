"""scikit-learn's full estimator check suite, with no expected failures."""

from __future__ import annotations

import pytest

pytest.importorskip("sklearn")

from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402

ESTIMATORS = [
    MLPClassifier(max_iter=50, learning_rate_init=0.01),
    MLPRegressor(max_iter=100, learning_rate_init=0.01),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    check(estimator)
