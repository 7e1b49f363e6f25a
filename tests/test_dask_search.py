"""Hyperparameter search over glassnet estimators on a Dask cluster (joblib's Dask backend)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")
distributed = pytest.importorskip("dask.distributed")
joblib = pytest.importorskip("joblib")

from sklearn.datasets import make_classification  # noqa: E402
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV  # noqa: E402

from glassnet.sklearn.estimators import MLPClassifier  # noqa: E402


def _searches() -> list[GridSearchCV | RandomizedSearchCV]:
    est = MLPClassifier(hidden_layer_sizes=(8,), max_iter=15, random_state=0)
    grid = {"alpha": [1e-4, 1e-1], "learning_rate_init": [1e-3, 3e-2]}
    space = {"hidden_layer_sizes": [(4,), (8,), (16,)], "activation": ["relu", "tanh"]}
    return [
        GridSearchCV(est, grid, cv=3),
        RandomizedSearchCV(est, space, n_iter=3, cv=3, random_state=0),
    ]


def test_search_on_a_local_dask_cluster_equals_the_single_process_search():
    X, y = make_classification(
        n_samples=90, n_features=6, n_classes=3, n_informative=4, random_state=0
    )
    single = [search.fit(X, y) for search in _searches()]
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster, timeout="60s") as client,
        distributed.get_task_stream(client) as stream,
        joblib.parallel_backend("dask"),
    ):
        spread = [search.set_params(n_jobs=-1).fit(X, y) for search in _searches()]
    assert len({task["worker"] for task in stream.data}) == 2  # both workers took fits
    for a, b in zip(single, spread, strict=True):
        assert a.best_params_ == b.best_params_
        for key in ("mean_test_score", "std_test_score", "rank_test_score", "params"):
            np.testing.assert_array_equal(a.cv_results_[key], b.cv_results_[key])
        np.testing.assert_array_equal(a.predict(X), b.predict(X))
