"""How many rows ``glassnet train`` leaves for training (NU13 #2): ``--test-fraction`` and
``--val-fraction`` are each a share of *all* rows, so two fractions that sum to about 1
leave almost nothing. A split that leaves a single training row is refused (exit code 2,
one line), whether given as fractions or counts; one that leaves fewer training rows than
a held-out set is warned of; training rows of one class are refused and classes missing
from the training rows are named. The oracle: the counts worked by hand from the rule
``round(fraction * n)`` (at least 1) and the saved model's count of training rows."""

import pytest

from glassnet import load
from glassnet.cli.main import main


def _csv(path, labels):
    rows = [f"{i % 5},{(i * 7) % 11},{label}" for i, label in enumerate(labels)]
    path.write_text("x0,x1,label\n" + "\n".join(rows) + "\n")
    return path


def _train(tmp_path, data, *options):
    argv = ["train", "--data", str(data), "--target", "label", "--epochs", "1", "--hidden",
            "2", "--progress", "off", "--out", str(tmp_path / "m.npz"), *options]  # fmt: skip
    return main(argv)


@pytest.mark.parametrize(("test", "val", "left"), [
    ("0.5", "0.5", 0), ("0.5", "0.49", 1), ("0.6", "0.4", 0), ("60", "59", 1),
    ("0.5", "59", 1), ("0", "0.99", 1)])  # fmt: skip
def test_one_training_row_or_none_is_refused(tmp_path, capsys, test, val, left):
    data = _csv(tmp_path / "d.csv", ["ab"[i % 2] for i in range(120)])
    code = _train(tmp_path, data, "--test-fraction", test, "--val-fraction", val)
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "left for training" in err or "cannot split off" in err
    if left == 1:
        assert "1 left for training, and training needs at least 2" in err
    assert not (tmp_path / "m.npz").exists()


def test_two_fractions_that_sum_to_one_are_named(tmp_path, capsys):
    """0.5 + 0.49 of 120 rows: round(60) + round(58.8) = 60 + 59, leaving 1."""
    data = _csv(tmp_path / "d.csv", ["ab"[i % 2] for i in range(120)])
    assert _train(tmp_path, data, "--test-fraction", "0.5", "--val-fraction", "0.49") == 2
    err = capsys.readouterr().err
    assert ("--test-fraction 0.5 holds out 60 of 120 rows as test rows (a fraction of all "
            "120, not of the rows left); --val-fraction 0.49 holds out 59 of 120 rows as "
            "validation rows (a fraction of all 120, not of the rows left): 1 left for "
            "training") in err  # fmt: skip


@pytest.mark.parametrize(("test", "val", "held", "left"), [
    ("0.2", "0.45", ("--val-fraction 0.45 holds out 54",), 42),
    ("0.7", "0", ("--test-fraction 0.7 holds out 84",), 36)])  # fmt: skip
def test_fractions_that_leave_few_training_rows_are_warned_of(tmp_path, capsys, test, val,
                                                             held, left):
    data = _csv(tmp_path / "d.csv", ["ab"[i % 2] for i in range(120)])
    assert _train(tmp_path, data, "--test-fraction", test, "--val-fraction", val) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "held out" in line
                or "holds out" in line]  # fmt: skip
    assert len(warnings) == 1 and warnings[0].startswith("warning: ")
    assert all(h in warnings[0] for h in held)
    assert warnings[0].endswith(f": {left} left for training")
    assert load(tmp_path / "m.npz").settings["run"]["train_rows"] == left


def test_six_training_rows_of_569_train_with_a_warning(tmp_path, capsys):
    """NU13's 0.6 + 0.39 of 569 rows: 341 + 222 held out, 6 left."""
    data = _csv(tmp_path / "d.csv", ["ab"[i % 2] for i in range(569)])
    assert _train(tmp_path, data, "--test-fraction", "0.6", "--val-fraction", "0.39") == 0
    err = capsys.readouterr().err
    assert "holds out 341 of 569 rows as test rows" in err
    assert "holds out 222 of 569 rows as validation rows" in err
    assert err.count(": 6 left for training") == 1


@pytest.mark.parametrize(("test", "val"), [("0.3", "0.3"), ("0.2", "0.2"), ("30", "30")])
def test_ordinary_splits_say_nothing(tmp_path, capsys, test, val):
    data = _csv(tmp_path / "d.csv", ["ab"[i % 2] for i in range(120)])
    assert _train(tmp_path, data, "--test-fraction", test, "--val-fraction", val) == 0
    assert "left for training" not in capsys.readouterr().err


def test_a_two_row_table_needs_val_fraction_0(tmp_path, capsys):
    data = _csv(tmp_path / "d.csv", ["a", "b"])
    code = _train(tmp_path, data)  # the default --val-fraction 0.2 holds out 1 of 2
    assert code == 2
    assert "1 left for training" in capsys.readouterr().err
    assert _train(tmp_path, data, "--val-fraction", "0") == 0


@pytest.mark.parametrize(("labels", "held", "only"), [
    (["a"] + ["b"] * 5, "4", "2 training rows hold only the class 'b', none of 'a'"),
    (["a"] + ["b"] * 5, "0.67", "2 training rows hold only the class 'b', none of 'a'"),
    ([0, 1] + [2] * 8, "0.7", "3 training rows hold only the class 2, none of 0, 1"),
])  # fmt: skip
def test_training_rows_of_one_class_are_refused(tmp_path, capsys, labels, held, only):
    """Stratified by hand: 6 rows ('a' once), 4 held out: quotas a 2/3, b 10/3 -> floors
    0 and 3, the one left to the larger remainder (a): 'b', 'b' are left. 10 rows, 7 held
    out: quotas 0.7, 0.7, 5.6 -> 0, 0, 5 and the two left to classes 0 and 1."""
    data = _csv(tmp_path / "d.csv", labels)
    code = _train(tmp_path, data, "--val-fraction", held, "--task", "classification")
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 2 and last.startswith("glassnet train: error: ") and only in last
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize(("labels", "held", "missing", "kept"), [
    (["a", "b"] * 4 + ["c", "d"], "5", "the class 'c' (all its rows", "'d'"),
    (["a", "b"] * 4 + ["c", "d"], "0.6", "the classes 'c', 'd' (all their rows", "'a'"),
    ([1, 2] * 4 + [3, 4], "0.5", "the class 3 (all its rows", "4")])  # fmt: skip
def test_classes_missing_from_the_training_rows_are_named(tmp_path, capsys, labels, held,
                                                          missing, kept):
    """Quotas by hand: 5 of 10 held out: a 2, b 2, c 0.5, d 0.5 -> 2, 2, 0, 0 and the one
    left to the first of the equal remainders (c); 6 of 10: 2.4, 2.4, 0.6, 0.6 -> c and d."""
    data = _csv(tmp_path / "d.csv", labels)
    assert _train(tmp_path, data, "--val-fraction", held, "--task", "classification") == 0
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if "no training row holds" in x]
    assert len(lines) == 1 and lines[0].startswith("warning: ") and missing in lines[0]
    assert kept not in lines[0]
