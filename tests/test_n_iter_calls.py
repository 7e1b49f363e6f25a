"""What each fitted attribute counts across ``fit``/``partial_fit``/``warm_start`` calls,
against scikit-learn itself on the same calls (the oracle): ``n_iter_`` is the last call's
epochs; ``loss_curve_``, ``t_``, ``validation_scores_`` and ``best_loss_`` (without early
stopping) run on until a fit starts afresh; glassnet's ``history_`` holds the whole run."""

import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn import neural_network as sk  # noqa: E402

from glassnet.sklearn.estimators import MLPClassifier, MLPRegressor  # noqa: E402

PAIRS = [(MLPClassifier, sk.MLPClassifier), (MLPRegressor, sk.MLPRegressor)]
SEQUENCES = {
    "3 partial_fit": ["p", "p", "p"],
    "2 warm fits": ["w", "w"],
    "fit, 2 partial_fit": ["w", "p", "p"],
    "partial_fit, warm fit, partial_fit": ["p", "w", "p"],
    "warm fits, then a fresh fit": ["w", "w", "f"],
    "partial_fit after a fresh fit": ["p", "f", "p", "p"],
    "fresh, 2 warm, fresh, warm": ["f", "w", "w", "f", "w"],
}


def _data(regression: bool):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    return X, (X[:, 0] + 0.3 * X[:, 1] if regression else X[:, 0] > 0)


def _run(cls, calls, early_stopping, regression):
    X, y = _data(regression)
    est = cls(hidden_layer_sizes=(5,), max_iter=4, random_state=0,
              early_stopping=early_stopping, n_iter_no_change=50)  # fmt: skip
    seen = []
    for call in calls:
        if call == "p":
            extra = {} if regression else {"classes": [False, True]}
            est.partial_fit(X, y, **extra)
        else:
            est.set_params(warm_start=call == "w").fit(X, y)
        validation = getattr(est, "validation_scores_", None)
        seen.append((est.n_iter_, est.t_, len(est.loss_curve_),
                     None if validation is None else len(validation)))  # fmt: skip
    return est, seen


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
@pytest.mark.parametrize("sequence", list(SEQUENCES))
@pytest.mark.parametrize("early_stopping", [False, True])
def test_counts_match_scikit_learn_call_by_call(ours, theirs, sequence, early_stopping):
    calls, regression = SEQUENCES[sequence], ours is MLPRegressor
    if early_stopping and "p" in calls:
        pytest.skip("scikit-learn refuses partial_fit with early_stopping")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning after max_iter=4
        ref, expected = _run(theirs, calls, early_stopping, regression)
        est, seen = _run(ours, calls, early_stopping, regression)
    assert seen == expected
    assert est.history_.epochs == len(est.loss_curve_)  # the record: the whole run
    if early_stopping:
        assert est.best_validation_score_ == max(est.validation_scores_)
        assert ref.best_validation_score_ == max(ref.validation_scores_)
    else:
        assert est.best_loss_ == min(est.loss_curve_) and ref.best_loss_ == min(ref.loss_curve_)


def test_verbose_counts_each_call_from_one(capsys):
    X, y = _data(False)
    est = MLPClassifier((5,), max_iter=3, warm_start=True, verbose=True, random_state=0)
    est.fit(X, y)
    est.fit(X, y)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Iter")]
    assert [line.split(",")[0] for line in lines] == [f"Iteration {i}" for i in (1, 2, 3) * 2]
