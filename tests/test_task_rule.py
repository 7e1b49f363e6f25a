"""The task a target suggests (``glassnet.data.task``): rounded quantities are regression,
class codes and a few labels are classes, and a close call is said. The oracle is how each
target was made (a quantity rounded, or class codes drawn), and scikit-learn's own tables."""

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.data.task import choose_task

QUANTITIES = {  # rounded or counted quantities in several ranges: regression
    "rounded 10x+50 (69 values in 5000 rows)": lambda r: np.round(r.normal(size=5000) * 10 + 50),
    "prices, whole currency units": lambda r: np.round(r.lognormal(12, 0.5, 1000)),
    "prices in thousands": lambda r: np.round(r.uniform(50, 500, 300)) * 1000,
    "ages 18..90": lambda r: r.integers(18, 91, 2000),
    "ages 20..65, 100 rows": lambda r: r.integers(20, 66, 100).astype(float),
    "counts around 30": lambda r: r.poisson(30, 1000),
    "counts around 200": lambda r: r.poisson(200, 500).astype(float),
    "negative and positive whole numbers": lambda r: np.round(r.normal(0, 40, 800)),
    "diabetes-like: 442 rows of 25..346": lambda r: np.round(r.uniform(25, 346, 442)),
}

CLASSES = {  # class codes and labels, few rows included: classification
    "codes 0..11 in 60 rows": lambda r: r.integers(0, 12, 60),
    "codes 1..12 in 60 rows": lambda r: r.integers(1, 13, 60).astype(float),
    "codes 0..2 in 30 rows": lambda r: r.integers(0, 3, 30),
    "codes 0..49 in 1000 rows": lambda r: r.integers(0, 50, 1000),
    "labels 10, 20, 30": lambda r: r.choice([10, 20, 30], 150),
    "labels -1, 1": lambda r: r.choice([-1.0, 1.0], 100),
    "labels 3, 7, 100": lambda r: r.choice([3, 7, 100], 90),
    "one-row-light codes 0/1": lambda r: np.r_[np.zeros(50), np.ones(50)].astype(int),
}


@pytest.mark.parametrize("make", QUANTITIES.values(), ids=list(QUANTITIES))
def test_rounded_quantities_are_regression(make, rng):
    choice = choose_task(make(rng))
    assert choice.task == "regression", choice
    assert "quantity" in choice.reason and not choice.close


@pytest.mark.parametrize("make", CLASSES.values(), ids=list(CLASSES))
def test_codes_and_labels_are_classes(make, rng):
    choice = choose_task(make(rng))
    assert choice.task == "classification", choice


def test_scikit_learn_tables():
    datasets = pytest.importorskip("sklearn.datasets")
    y = datasets.load_diabetes(return_X_y=True)[1]  # 442 rows, 214 whole-valued targets
    assert len(np.unique(y)) == 214 and np.all(y % 1 == 0)
    assert choose_task(y).task == "regression"
    for load in (datasets.load_iris, datasets.load_wine, datasets.load_digits,
                 datasets.load_breast_cancer):  # fmt: skip
        choice = choose_task(load(return_X_y=True)[1])
        assert choice.task == "classification" and "class codes" in choice.reason
        assert not choice.close


@pytest.mark.parametrize(
    "y",
    [np.array(["a", "b", "a"]), np.array([True, False, True]), np.array(["x"] * 5, object)],
)
def test_text_and_booleans_are_classes(y):
    assert choose_task(y) == ("classification", "the target holds class names", False)


@pytest.mark.parametrize(
    ("y", "task"),
    [
        (np.array([0.5, 1.0, 2.0]), "regression"),  # fractional
        (np.zeros((6, 2)), "regression"),  # several columns
    ],
)
def test_fractions_and_columns_are_regression(y, task):
    assert choose_task(y).task == task and not choose_task(y).close


@pytest.mark.parametrize(
    ("make", "task"),
    [
        (lambda r: r.poisson(3, 1000), "regression"),  # counts 0..9: codes but the tail
        (lambda r: np.round(r.normal(size=1000)), None),  # 7-9 values, thin tails: either
        (lambda r: r.integers(0, 40, 1000), "classification"),  # 40 classes
        (lambda r: r.integers(0, 12, 40), "classification"),  # < 5 rows per class
    ],
)
def test_close_calls_are_flagged(make, task, rng):
    choice = choose_task(make(rng))
    assert choice.task in ((task,) if task else ("classification", "regression"))
    assert choice.close, choice


@pytest.mark.parametrize(
    ("make", "task", "said"),
    [
        (lambda r: np.round(r.normal(size=600) * 10 + 50), "regression", "so a quantity"),
        (lambda r: r.integers(0, 12, 60), "classification", "class codes 0..11"),
        (lambda r: r.poisson(3, 300), "regression", "a count's thin tail"),
        (lambda r: r.poisson(3, 300).astype(float), "regression", "a count's thin tail"),
    ],
)
def test_cli_summary_says_the_rule_and_override(capsys, tmp_path, rng, make, task, said):
    y = make(rng)
    np.savez(tmp_path / "d.npz", X=rng.normal(size=(len(y), 3)), y=y)
    out = tmp_path / "m" / "m.npz"
    code = main(["train", "--data", str(tmp_path / "d.npz"), "--epochs", "1",
                 "--progress", "off", "--out", str(out)])  # fmt: skip
    cap = capsys.readouterr()
    assert code == 0, cap.err
    line = next(t for t in cap.out.splitlines() if t.startswith("task:"))
    other = "regression" if task == "classification" else "classification"
    assert line.startswith(f"task: {task}") and said in line and f"--task {other}" in line
    close = choose_task(y).close
    assert ("close call" in cap.err) == close


COUNTS = {  # counts from 0 (few distinct values, many rows): their largest values are rare
    "Poisson(3), 300 rows (NU9: 0..8 and 10)": lambda r: r.poisson(3, 300).astype(float),
    "Poisson(3), 1000 rows": lambda r: r.poisson(3, 1000),
    "Poisson(1), 500 rows": lambda r: r.poisson(1, 500),
    "Poisson(6), 2000 rows": lambda r: r.poisson(6, 2000).astype(float),
    "negative binomial, 800 rows": lambda r: r.negative_binomial(2, 0.4, 800),
    "binomial(12, 0.2), 1000 rows": lambda r: r.binomial(12, 0.2, 1000),
    "geometric from 1, 400 rows": lambda r: r.geometric(0.5, 400),
}


@pytest.mark.parametrize("make", COUNTS.values(), ids=list(COUNTS))
def test_counts_are_regression_with_a_warning(make, rng):
    """A count looks like class codes 0..K but for its thin tail: the largest value in a
    row or a few (NU9 #7; data.md names counts of 0..10 as regression, a close call)."""
    y = make(rng)
    values, counts = np.unique(y, return_counts=True)
    assert values[0] in (0, 1) and counts[-1] < len(y) / (10 * len(values))  # the oracle
    choice = choose_task(y)
    assert choice == ("regression", choice.reason, True)
    assert "a count's thin tail" in choice.reason and f"..{int(values[-1])}" in choice.reason


@pytest.mark.parametrize(
    "counts",
    [[50, 50, 50], [40, 30, 20, 10], [5] * 12, [10, 10, 10, 2], [100, 3], [400, 1], [7, 2, 7]],
)
def test_codes_whose_largest_is_not_rare_are_classes(counts):
    """Codes 0..K-1 stay classes however uneven, unless the largest is a thin tail; two
    values are classes however rare one is."""
    y = np.repeat(np.arange(len(counts)), counts)
    assert choose_task(y).task == "classification"
    assert choose_task(y + 1).task == "classification"  # codes 1..K alike


@pytest.mark.parametrize("counts", [[50, 50, 50, 1], [90, 60, 30, 10, 3, 1], [40, 40, 40, 0, 1]])
def test_codes_ending_in_a_thin_tail_are_a_close_call_for_regression(counts):
    y = np.repeat(np.arange(len(counts)), counts)
    choice = choose_task(y)
    assert choice.task == "regression" and choice.close, choice
    absent = [str(v) for v, c in enumerate(counts) if c == 0]
    assert all(f"no {v}" in choice.reason for v in absent), choice.reason


def test_a_count_target_trains_as_regression_and_classes_when_asked(capsys, tmp_path, rng):
    """NU9 #7 end to end: a Poisson count column of a CSV is regression with a warning that
    names --task classification; asked, it trains as classes."""
    y = rng.poisson(3, 300)
    X = rng.normal(size=(300, 2))
    rows = "".join(f"{a:.4f},{b:.4f},{float(v)}\n" for (a, b), v in zip(X, y, strict=True))
    (tmp_path / "counts.csv").write_text("a,b,visits\n" + rows)
    base = ["train", "--data", str(tmp_path / "counts.csv"), "--target", "visits",
            "--epochs", "1", "--progress", "off"]  # fmt: skip
    assert main([*base, "--out", str(tmp_path / "r" / "m.npz")]) == 0
    cap = capsys.readouterr()
    assert "task: regression" in cap.out and "a count's thin tail" in cap.out
    assert "close call" in cap.err and "--task classification" in cap.err
    assert main([*base, "--task", "classification", "--out", str(tmp_path / "c" / "m.npz")]) == 0
    assert "task: classification" in capsys.readouterr().out
