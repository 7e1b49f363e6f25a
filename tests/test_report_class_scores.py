"""The report's per-class table (and the text table of ``evaluate``) against scikit-learn's
``classification_report``: every class row, the macro and the support-weighted average."""

import html
import re

import numpy as np
import pytest

sklearn_metrics = pytest.importorskip("sklearn.metrics")


def _rows(page):
    table = page[: page.index("</table>")]
    return {
        html.unescape(cells[0]): [float(c) for c in cells[1:]]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])
        )
    }


@pytest.mark.parametrize(
    ("classes", "n", "seed", "skew"),
    [(2, 50, 0, 0.0), (3, 200, 1, 0.5), (5, 300, 2, 0.8), (4, 40, 3, 0.95)],
)
def test_per_class_rows_and_both_averages_match_scikit_learn(classes, n, seed, skew):
    from glassnet.views.report import class_scores

    rng = np.random.default_rng(seed)
    p = np.full(classes, (1 - skew) / classes)
    p[0] += skew  # imbalanced supports make the weighted average differ from the macro one
    t = rng.choice(classes, size=n, p=p)
    predicted = np.where(rng.random(n) < 0.7, t, rng.integers(0, classes, n))
    predicted[predicted == classes - 1] = 0  # one class never predicted: precision 0
    names = [f"c{k}" for k in range(classes)]
    rows = _rows(class_scores(names, t, predicted))
    want = sklearn_metrics.classification_report(
        t, predicted, labels=list(range(classes)), target_names=names, output_dict=True,
        zero_division=0,
    )  # fmt: skip
    for name in [*names, "macro avg", "weighted avg"]:
        got = rows[name]
        w = want[name]
        expected = [w["precision"], w["recall"], w["f1-score"], w["support"]]
        np.testing.assert_allclose(got, expected, atol=5e-5)
    assert want["macro avg"]["f1-score"] != pytest.approx(want["weighted avg"]["f1-score"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_text_table_has_the_same_averages(seed):
    from glassnet.views.metrics import ClassScores, confusion_matrix

    rng = np.random.default_rng(seed)
    t = rng.integers(0, 3, 90)
    predicted = np.where(rng.random(90) < 0.6, t, rng.integers(0, 3, 90))
    text = ClassScores.from_confusion(confusion_matrix(t, predicted, 3)).table(["a", "b", "c"])
    want = sklearn_metrics.classification_report(t, predicted, output_dict=True)
    for name in ("macro avg", "weighted avg"):
        line = next(line for line in text.splitlines() if line.strip().startswith(name))
        values = [float(v) for v in line.split()[-4:]]
        w = want[name]
        np.testing.assert_allclose(
            values, [w["precision"], w["recall"], w["f1-score"], w["support"]], atol=5e-5
        )
