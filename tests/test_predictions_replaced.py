"""``predict --out`` over a predictions file it wrote earlier with other ``--keep``
columns (NU13 #1): it said the file "is not a table of predictions" and refused; now
glassnet's own predictions file is replaced (and named as replaced) whatever ``--keep``
columns it opens with, for one target, several named targets (``prediction_<name>``) and
``--proba``. A table whose header merely ends in a ``prediction`` column, opening with
columns the data do not hold, stays refused. The oracle: the header each run writes
(the columns asked for) and the exit codes."""

from pathlib import Path

import pytest

from glassnet.cli.main import main


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pred")
    rows = [f"{(i % 7) / 7:.3f},{(i * 5 % 11) / 11:.3f},{i % 7 * 1.5:.2f},{i * 5 % 11 * 0.5:.2f},"
            f"{'ab'[(i % 7) > 3]}" for i in range(60)]  # fmt: skip
    data = folder / "d.csv"
    data.write_text("x0,x1,t one,t2,label\n" + "\n".join(rows) + "\n")
    common = ["--data", str(data), "--hidden", "3", "--epochs", "2", "--progress", "off"]
    assert main(["train", *common, "--target", "label", "--drop", "t one,t2", "--out",
                 str(folder / "c" / "m.npz")]) == 0  # fmt: skip
    assert main(["train", *common, "--target", "t one,t2", "--drop", "label", "--out",
                 str(folder / "r" / "m.npz")]) == 0  # fmt: skip
    return folder, data


def _predict(runs, model, out, *options):
    folder, data = runs
    return main(["predict", "--model", str(folder / model / "m.npz"), "--data", str(data),
                 "--out", str(out), *options])  # fmt: skip


def _header(path: Path) -> str:
    return path.read_text().partition("\n")[0]


CLASSIFIER = [  # (options, the header written)
    (("--keep", "label"), "label,prediction"),
    ((), "prediction"),
    (("--keep", "x0", "--proba"), "x0,prediction,proba_a,proba_b"),
    (("--keep", "label,x1"), "label,x1,prediction"),
    (("--proba",), "prediction,proba_a,proba_b"),
    (("--keep", "t one"), "t one,prediction"),
    (("--keep", "x1,label", "--proba"), "x1,label,prediction,proba_a,proba_b"),
]
REGRESSOR = [
    ((), "prediction_t one,prediction_t2"),
    (("--keep", "label"), "label,prediction_t one,prediction_t2"),
    (("--keep", "x0,x1"), "x0,x1,prediction_t one,prediction_t2"),
    ((), "prediction_t one,prediction_t2"),
]


@pytest.mark.parametrize(("model", "sequence"), [("c", CLASSIFIER), ("r", REGRESSOR)])
def test_its_own_predictions_are_replaced_whatever_they_keep(runs, tmp_path, capsys, model,
                                                            sequence):
    out = tmp_path / "p.csv"
    for i, (options, header) in enumerate(sequence):
        assert _predict(runs, model, out, *options) == 0, capsys.readouterr().err
        said = capsys.readouterr().out
        assert ("note: replaced the earlier" in said) == (i > 0)
        assert _header(out) == header


def test_a_classifiers_file_is_replaced_by_a_regressors_and_back(runs, tmp_path, capsys):
    out = tmp_path / "p.csv"
    assert _predict(runs, "c", out, "--keep", "label", "--proba") == 0
    assert _predict(runs, "r", out, "--keep", "x0") == 0
    assert _header(out) == "x0,prediction_t one,prediction_t2"
    assert _predict(runs, "c", out, "--keep", "t2") == 0
    assert _header(out) == "t2,prediction"


@pytest.mark.parametrize("header", [
    "x0,prediction,comment",         # a column after the predictions
    "x0,x0,prediction",             # a column twice
    "x0,label",                     # no prediction column
    "x0,prediction_t one",          # one named target alone: not predict's header
])  # fmt: skip
def test_a_table_that_only_looks_alike_is_refused(runs, tmp_path, capsys, header):
    out = tmp_path / "p.csv"
    out.write_text(header + "\n1,2,3\n")
    before = out.read_bytes()
    assert _predict(runs, "c", out, "--keep", "label") == 2
    err = capsys.readouterr().err
    assert "exists and is not a table of predictions" in err
    assert out.read_bytes() == before


@pytest.mark.parametrize(("header", "kept"), [
    ("id,score,prediction", "id,score"),          # a table of the user's, maybe
    ("species,prediction", "species"),            # predictions of other data (NU15)
    ("x0,sepal,prediction,proba_a,proba_b", "x0,sepal"),
    ("id,prediction_t one,prediction_t2", "id"),
])  # fmt: skip
def test_predictions_of_other_data_are_refused_as_what_they_look_like(runs, tmp_path, capsys,
                                                                     header, kept):
    """A file that opens with columns the --data table lacks, then predict's own columns,
    may be predictions of other data or a table of the user's: refused (never replaced
    unasked), with a line that says what it looks like, not "not a table of predictions"."""
    out = tmp_path / "p.csv"
    out.write_text(header + "\n" + ",".join(["1"] * len(header.split(","))) + "\n")
    before = out.read_bytes()
    assert _predict(runs, "c", out, "--keep", "label") == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not a table of predictions" not in err
    assert f"looks like predictions kept with --keep {kept}, columns " in err
    assert out.read_bytes() == before
