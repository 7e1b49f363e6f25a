"""Per-class scores and regression errors, checked against scikit-learn's metrics."""

import numpy as np
import pytest

from glassnet.views.metrics import ClassScores, RegressionScores, confusion_matrix

metrics = pytest.importorskip("sklearn.metrics")


@pytest.mark.parametrize(("n_classes", "never_predicted"), [(2, None), (3, None), (4, 2), (5, 0)])
def test_class_scores_match_scikit_learn(n_classes, never_predicted):
    rng = np.random.default_rng(n_classes)
    true = rng.integers(0, n_classes, 200)
    predicted = np.where(rng.random(200) < 0.6, true, rng.integers(0, n_classes, 200))
    if never_predicted is not None:  # a class no sample is predicted as: precision 0
        predicted[predicted == never_predicted] = (never_predicted + 1) % n_classes
    scores = ClassScores.from_confusion(confusion_matrix(true, predicted, n_classes))
    labels = np.arange(n_classes)
    p, r, f, s = metrics.precision_recall_fscore_support(
        true, predicted, labels=labels, zero_division=0
    )
    np.testing.assert_allclose(scores.precision, p, rtol=1e-12)
    np.testing.assert_allclose(scores.recall, r, rtol=1e-12)
    np.testing.assert_allclose(scores.f1, f, rtol=1e-12)
    np.testing.assert_array_equal(scores.support, s)
    np.testing.assert_array_equal(
        scores.confusion, metrics.confusion_matrix(true, predicted, labels=labels)
    )
    assert scores.accuracy == pytest.approx(metrics.accuracy_score(true, predicted))
    text = scores.table([f"c{i}" for i in labels])
    macro = metrics.f1_score(true, predicted, average="macro", zero_division=0)
    weighted = metrics.f1_score(true, predicted, average="weighted", zero_division=0)
    rows = {line.strip().split("  ")[0]: line for line in text.splitlines()}
    assert f"{macro:9.4f}" in rows["macro avg"] and f"{weighted:9.4f}" in rows["weighted avg"]
    # a class never predicted: its precision is named undefined where scikit-learn warns
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metrics.precision_score(true, predicted, labels=labels, average=None)
    warned = any(w.category is metrics._classification.UndefinedMetricWarning for w in caught)
    assert warned == (never_predicted is not None)
    if never_predicted is None:
        assert "undefined" not in text
    else:
        assert text.splitlines()[-1] == (
            f"note: the precision of 'c{never_predicted}' (never predicted) is undefined, "
            "shown as 0"
        )


@pytest.mark.parametrize("shape", [(50,), (50, 1), (50, 3)])
def test_regression_scores_match_scikit_learn(shape):
    rng = np.random.default_rng(len(shape))
    t = rng.normal(size=shape) * 3 + 1
    y = t + rng.normal(size=shape) * 0.5
    s = RegressionScores.of(y, t)
    kw = {"multioutput": "raw_values"}
    np.testing.assert_allclose(s.r2, metrics.r2_score(t, y, **kw), rtol=1e-12)
    np.testing.assert_allclose(s.mae, metrics.mean_absolute_error(t, y, **kw), rtol=1e-12)
    np.testing.assert_allclose(s.rmse, np.sqrt(metrics.mean_squared_error(t, y, **kw)), rtol=1e-12)


def test_r2_of_a_constant_target_follows_scikit_learn():
    t = np.full(10, 2.0)
    assert RegressionScores.of(t, t).r2[0] == metrics.r2_score(t, t) == 1.0
    assert RegressionScores.of(t + 1, t).r2[0] == metrics.r2_score(t, t + 1) == 0.0


def test_evaluate_prints_per_class_scores_and_regression_errors(tmp_path, capsys):
    from glassnet.cli.main import main

    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 2))
    cls = np.array(["lo", "mid", "hi"])[np.digitize(X[:, 0], [-0.5, 0.5])]
    reg = 2 * X[:, 0] - X[:, 1]
    lines = ["a,b,kind,value"] + [
        f"{a},{b},{k},{v}" for (a, b), k, v in zip(X, cls, reg, strict=True)
    ]
    data = tmp_path / "d.csv"
    data.write_text("\n".join(lines) + "\n")
    for target, task in (("kind", "classification"), ("value", "regression")):
        other = "value" if target == "kind" else "kind"
        kept = tmp_path / f"{target}.csv"
        header = lines[0].split(",")
        drop = header.index(other)
        kept.write_text(
            "\n".join(",".join(c for j, c in enumerate(r.split(",")) if j != drop) for r in lines)
        )
        out = tmp_path / target / "m.npz"
        argv = ["train", "--data", str(kept), "--target", target, "--task", task, "--epochs", "30"]
        assert main([*argv, "--progress", "off", "--out", str(out)]) == 0
        capsys.readouterr()
        assert main(["evaluate", "--model", str(out), "--data", str(kept), "--target", target]) == 0
        text = capsys.readouterr().out
        if task == "classification":
            assert "precision" in text and "recall" in text and "F1" in text
            assert "support" in text and "confusion matrix" in text and "macro avg" in text
        else:
            assert "RMSE" in text and "MAE" in text and "R^2" in text
