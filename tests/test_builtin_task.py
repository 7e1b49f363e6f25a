"""The built-in data sets are classification problems whatever ``--n-samples`` draws (NU9
#31): the task rule for users' targets (a few whole numbers in few rows read as a quantity)
never turns them into regression; ``--task regression`` is honoured and said to go against
the set; sizes that cannot hold the classes, and ``--n-samples`` for the fixed digits, are
refused with exit code 2."""

import numpy as np
import pytest

import glassnet
from glassnet.cli.main import main
from glassnet.cli.recipe import Recipe
from glassnet.data.datasets import load_dataset

SMALL = [("circles", 2), ("circles", 3), ("moons", 2), ("moons", 3), ("moons", 5),
         ("spirals", 6), ("spirals", 7), ("xor", 3), ("xor", 5)]  # fmt: skip


def _code(argv):
    try:
        return main(argv)
    except SystemExit as exc:  # refused by the parser
        return exc.code


def _train(tmp_path, name, n, *extra):
    out = tmp_path / "m.npz"
    # two rows: no validation row (one would leave a single training row, refused)
    held = ["--val-fraction", "0"] if n == 2 else []
    argv = ["train", "--dataset", name, "--n-samples", str(n), "--hidden", "2", "--epochs", "1",
            "--progress", "off", "--out", str(out), *held, *extra]  # fmt: skip
    return _code(argv), out


@pytest.mark.parametrize(("name", "n"), SMALL)
def test_small_builtin_sets_train_classifiers(tmp_path, capsys, name, n):
    code, out = _train(tmp_path, name, n)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    drawn = np.unique(load_dataset(name, np.random.default_rng(0), n)[1])  # the same draw
    model = glassnet.load(out)
    assert model.classes is not None
    assert model.classes.tolist() == drawn.tolist()
    assert f"the {name} data set is a classification problem" in captured.out
    assert "close call" not in captured.err  # the users' rule was not asked


@pytest.mark.parametrize(("name", "n"), [("xor", 3), ("moons", 2), ("spirals", 6)])
def test_task_regression_is_honoured_and_said_to_go_against_the_set(tmp_path, capsys, name, n):
    code, out = _train(tmp_path, name, n, "--task", "regression")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert glassnet.load(out).classes is None
    assert f"as asked, though the {name} data set is a classification problem" in captured.out


def test_task_classification_on_a_builtin_set_is_as_asked(tmp_path, capsys):
    code, out = _train(tmp_path, "xor", 3, "--task", "classification")
    assert code == 0
    assert glassnet.load(out).classes is not None
    assert "(as asked);" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "n", "message"),
    [
        ("circles", 1, "--n-samples 1: the circles data set needs at least 2 samples"),
        ("moons", 1, "--n-samples 1: the moons data set needs at least 2"),
        ("xor", 1, "--n-samples 1: the xor data set needs at least 2"),
        ("spirals", 5, "--n-samples 5: the spirals data set needs at least 6 samples (2 for"),
        ("digits", 50, "--n-samples does not apply to --dataset digits"),
    ],
)
@pytest.mark.parametrize("command", ["train", "sweep"])
def test_sizes_that_cannot_hold_the_classes_are_refused(tmp_path, capsys, name, n, message,
                                                        command):  # fmt: skip
    argv = [command, "--dataset", name, "--n-samples", str(n), "--out", str(tmp_path / "o")]
    assert _code(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_draw_of_one_class_is_refused_naming_the_seed(tmp_path, capsys):
    seed = next(
        s
        for s in range(50)
        if len(np.unique(load_dataset("xor", np.random.default_rng(s), 2)[1])) == 1
    )
    code, out = _train(tmp_path, "xor", 2, "--seed", str(seed))
    assert code == 2
    err = capsys.readouterr().err
    assert f"drawn with --seed {seed} are all of class" in err and "another --seed" in err
    assert not out.exists()


def test_sweep_of_a_small_builtin_set_ranks_classifiers(tmp_path, capsys):
    argv = ["sweep", "--dataset", "xor", "--n-samples", "3", "--hidden", "2", "--epochs", "1",
            "--out", str(tmp_path / "sw")]  # fmt: skip
    assert _code(argv) == 0, capsys.readouterr().err
    assert glassnet.load(tmp_path / "sw" / "best.npz").classes is not None


def test_the_known_task_is_not_a_stored_setting():
    with_known = Recipe(known_task=("classification", "a built-in set"))
    assert with_known.settings() == Recipe().settings()  # --resume of older runs unchanged
